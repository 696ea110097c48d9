import { createCipheriv, createHash, randomBytes } from "node:crypto";

/** WeChat's message push as the tests send it: the signed query and the (optionally encrypted) JSON body. */

export const PUSH_TOKEN = "pushToken123";
/** A 43-character EncodingAESKey (as the admin console generates one). */
export const PUSH_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

export interface PushParts {
  token?: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  nonce?: string;
}

export function sha1Sorted(parts: readonly string[]): string {
  return createHash("sha1")
    .update([...parts].sort().join(""))
    .digest("hex");
}

/** `signature`, `timestamp`, `nonce` of a plain push (and of the URL verification). */
export function signedQuery(parts: PushParts = {}): Record<string, string> {
  const timestamp = String(parts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = parts.nonce ?? randomBytes(6).toString("hex");
  return { signature: sha1Sorted([parts.token ?? PUSH_TOKEN, timestamp, nonce]), timestamp, nonce };
}

/** WeChat's safe mode: AES-256-CBC, key = base64(aesKey + "="), IV = key[0..16), PKCS#7 to 32-byte blocks. */
export function encryptMessage(message: string, appId: string, aesKey = PUSH_AES_KEY): string {
  const key = Buffer.from(`${aesKey}=`, "base64");
  const body = Buffer.from(message, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(appId, "utf8")]);
  const pad = 32 - (plain.length % 32);
  const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString("base64");
}

/** The query and body of an encrypted push (`encrypt_type=aes`, msg_signature over the Encrypt). */
export function encryptedPush(
  event: object,
  appId: string,
  parts: PushParts & { aesKey?: string } = {},
): { query: Record<string, string>; body: { ToUserName: string; Encrypt: string } } {
  const encrypt = encryptMessage(JSON.stringify(event), appId, parts.aesKey);
  const query = signedQuery(parts);
  const msgSignature = sha1Sorted([parts.token ?? PUSH_TOKEN, query.timestamp ?? "", query.nonce ?? "", encrypt]);
  return {
    query: { ...query, encrypt_type: "aes", msg_signature: msgSignature },
    body: { ToUserName: "gh_fake", Encrypt: encrypt },
  };
}

/** A `wxa_media_check` event as WeChat pushes it (JSON). */
export function mediaCheckEvent(traceId: string, suggest: "pass" | "review" | "risky", appId: string) {
  return {
    ToUserName: "gh_fake",
    FromUserName: "o_system",
    CreateTime: Math.floor(Date.now() / 1000),
    MsgType: "event",
    Event: "wxa_media_check",
    appid: appId,
    trace_id: traceId,
    version: 2,
    detail: [{ strategy: "content_model", errcode: 0, suggest, label: suggest === "pass" ? 100 : 20002, prob: 90 }],
    errcode: 0,
    errmsg: "ok",
    result: { suggest, label: suggest === "pass" ? 100 : 20002 },
  };
}
