import { type ClientFrame, decodeClientFrame, ErrorCode, type ParseResult } from "@mpchat/protocol";
import type { RawData } from "ws";

const BINARY_REFUSED: ParseResult<ClientFrame> = {
  ok: false,
  error: { code: ErrorCode.BadRequest, message: "binary frames are not supported; send JSON text" },
};

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** A WebSocket message as a client frame, or why it is not one (binary frames are refused). */
export function decodeRawFrame(data: RawData, isBinary: boolean): ParseResult<ClientFrame> {
  return isBinary ? BINARY_REFUSED : decodeClientFrame(toBuffer(data).toString("utf8"));
}
