import fc from "fast-check";
import { junk } from "./field-values";
import { type Build, json } from "./frame-case";
import { anyUnits } from "./strings";

/** Nothing readable: no id, so the error carries none. */
export const anonymousJunk: fc.Arbitrary<Build> = fc.oneof(
  junk.map(
    (value): Build =>
      () => {
        // Objects lose `id` and get a type that is not one: nothing in them can be read or be valid.
        const data =
          typeof value === "object" && value !== null && !Array.isArray(value)
            ? { ...value, id: undefined, type: typeof value.type === "string" ? `?${value.type}` : value.type }
            : value;
        return { family: "nested junk", data: json(data) ?? "null", expect: { kind: "anonymous" } };
      },
  ),
  anyUnits.map(
    (text): Build =>
      () => ({ family: "raw text", data: `\u0001${text}`, expect: { kind: "anonymous" } }),
  ),
  fc
    .constantFrom(
      '{"type":"sync","afterSeq":1e400}',
      "[".repeat(5000),
      '{"type":"ping","id":"a","id":5}',
      "1e999",
      '"\\ud800"',
      '{"type":"send","id":"\\udc00"}',
      "{",
      "",
    )
    .map(
      (text): Build =>
        () => ({ family: "crafted JSON", data: text, expect: { kind: "anonymous" } }),
    ),
  fc.uint8Array({ maxLength: 64 }).map(
    (bytes): Build =>
      () => ({ family: "binary frame", data: Buffer.from(bytes), binary: true, expect: { kind: "anonymous" } }),
  ),
);
