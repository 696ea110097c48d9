import * as v from "valibot";

/**
 * What a client makes of a body whose kind it does not know (sent by a newer
 * server): the message keeps its place in the conversation, and the app shows
 * "unsupported message" instead of dropping it or failing. Only ever produced by
 * decoding what a server sent; a client never sends it and a server never stores it.
 */
export interface UnknownBody {
  kind: "unknown";
  /** The kind the server named, e.g. "sticker". */
  rawKind: string;
}

export const UnknownBodySchema = v.pipe(
  v.looseObject({ kind: v.string() }),
  v.transform((input): UnknownBody => ({ kind: "unknown", rawKind: input.kind })),
);
