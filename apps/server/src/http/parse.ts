import { parseWith } from "@mpchat/protocol";
import type * as v from "valibot";
import { badRequest } from "../app-error";

/** Validates a request part with a protocol schema; throws `bad_request` naming the field. */
export function parseOrThrow<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const parsed = parseWith(schema, input ?? {});
  if (!parsed.ok) throw badRequest(parsed.error.message);
  return parsed.value;
}
