import { createDecipheriv, createHash, timingSafeEqual } from "node:crypto";

/** How far a push's timestamp may be from our clock (PROTOCOL.md "Details … Content checks"). */
export const MAX_PUSH_SKEW_MS = 5 * 60_000;

/** WeChat's safe mode pads to 32-byte blocks (PKCS#7 with k = 32), not AES's 16. */
const PAD_BLOCK = 32;

export interface PushQuery {
  signature?: string | undefined;
  msg_signature?: string | undefined;
  timestamp?: string | undefined;
  nonce?: string | undefined;
}

/** A refused push: answered 401, with a reason for the log only. */
export class PushRefusedError extends Error {
  override name = "PushRefusedError";
}

/** sha1 of the sorted, concatenated parts, as WeChat signs its pushes (WECHAT.md). */
export function pushSignature(parts: readonly string[]): string {
  return createHash("sha1")
    .update([...parts].sort().join(""))
    .digest("hex");
}

/**
 * The message push URL's checks (WeChat's "消息推送"): `signature` over
 * token/timestamp/nonce, a timestamp within MAX_PUSH_SKEW_MS, and in safe mode
 * `msg_signature` over token/timestamp/nonce/Encrypt and the AES-256-CBC body
 * (key: the 43-character EncodingAESKey + "=", base64; IV: its first 16 bytes;
 * plaintext: 16 random bytes, a 4-byte big-endian length, the message, the appid).
 */
export class MessagePush {
  private readonly aesKey: Buffer | undefined;

  constructor(
    private readonly options: { token: string; aesKey?: string | undefined; appId: string; now: () => number },
  ) {
    this.aesKey = options.aesKey === undefined ? undefined : Buffer.from(`${options.aesKey}=`, "base64");
  }

  /** The plain mode's check (URL verification and plain events). */
  verifyPlain(query: PushQuery): void {
    const { timestamp, nonce } = this.requireFresh(query);
    requireEqual(query.signature, pushSignature([this.options.token, timestamp, nonce]), "signature");
  }

  /**
   * The event of a POST: its JSON body decrypted when it carries `Encrypt` (safe
   * mode; the compatible mode's plain fields are then ignored), else plain.
   */
  open(query: PushQuery, body: unknown): Record<string, unknown> {
    if (!isObject(body)) throw new PushRefusedError("the body is not a JSON object");
    if (typeof body.Encrypt !== "string") {
      this.verifyPlain(query);
      // A plain event names the appid it is for (wxa_media_check does): another's is refused.
      if (body.appid !== undefined && body.appid !== this.options.appId) {
        throw new PushRefusedError("the event is for another appid");
      }
      return body;
    }
    if (this.aesKey === undefined) throw new PushRefusedError("an encrypted push, but WECHAT_PUSH_AES_KEY is not set");
    const { timestamp, nonce } = this.requireFresh(query);
    const expected = pushSignature([this.options.token, timestamp, nonce, body.Encrypt]);
    requireEqual(query.msg_signature, expected, "msg_signature");
    const event = parseObject(this.decrypt(body.Encrypt));
    if (!event) throw new PushRefusedError("the decrypted message is not a JSON object");
    return event;
  }

  private requireFresh(query: PushQuery): { timestamp: string; nonce: string } {
    const { timestamp, nonce } = query;
    if (timestamp === undefined || nonce === undefined || !/^\d{1,12}$/.test(timestamp)) {
      throw new PushRefusedError("timestamp or nonce missing");
    }
    if (Math.abs(Number(timestamp) * 1000 - this.options.now()) > MAX_PUSH_SKEW_MS) {
      throw new PushRefusedError("timestamp more than 5 minutes off");
    }
    return { timestamp, nonce };
  }

  private decrypt(encrypted: string): string {
    const key = this.aesKey as Buffer;
    let plain: Buffer;
    try {
      const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
      plain = Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]);
    } catch {
      throw new PushRefusedError("Encrypt does not decrypt with WECHAT_PUSH_AES_KEY");
    }
    const pad = plain.at(-1) ?? 0;
    if (pad < 1 || pad > PAD_BLOCK || pad > plain.length) throw new PushRefusedError("Encrypt: bad padding");
    const unpadded = plain.subarray(0, plain.length - pad);
    if (unpadded.length < 20) throw new PushRefusedError("Encrypt: too short");
    const length = unpadded.readUInt32BE(16);
    if (20 + length > unpadded.length) throw new PushRefusedError("Encrypt: bad length");
    const appId = unpadded.subarray(20 + length).toString("utf8");
    if (appId !== this.options.appId) throw new PushRefusedError("Encrypt: for another appid");
    return unpadded.subarray(20, 20 + length).toString("utf8");
  }
}

function requireEqual(given: string | undefined, expected: string, name: string): void {
  const a = Buffer.from(given ?? "");
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new PushRefusedError(`${name} does not match`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
