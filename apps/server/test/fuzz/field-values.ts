import fc from "fast-check";
import { anyUnits, goodRequestId, goodText, poisoned, poisonUnit } from "./strings";

// Field values, good and bad, that the frame generators draw from.

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
export const seqValue = fc.oneof(fc.nat(), fc.integer({ min: 0, max: MAX_SAFE }));
/** Values that are not a valid seq/cursor. */
export const badNumber = fc.oneof(
  fc.integer({ max: -1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isSafeInteger(d) || d < 0),
  fc.constantFrom(2 ** 53, 1e300, -0.5, 0.1, MAX_SAFE + 2),
  fc.string({ maxLength: 5 }),
  poisoned(fc.constant("1")),
  fc.constantFrom(null, true, false, [], {}, [1], { n: 1 }),
);
/** Values that are not a valid string field (ids, clientMsgIds, tokens). */
export const badString = fc.oneof(
  poisoned(goodRequestId),
  poisoned(fc.constant(""), poisonUnit),
  fc.constantFrom("", "x".repeat(65)),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, [], {}, ["a"], { a: "b" }),
);
/** Nested junk of any JSON shape, strings with any code units. */
export const junk = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    anyUnits,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(null, true, false),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(anyUnits, tie("value"), { maxKeys: 4 }),
  ),
})).value;

export const goodBody = goodText.map((text) => ({ kind: "text", text }));
export const badBody = fc.oneof(
  poisoned(goodText).map((text) => ({ kind: "text", text })),
  fc.constantFrom(
    { kind: "text", text: "" },
    { kind: "text" },
    { text: "hi" },
    { kind: "image", text: "x" },
    "text",
    5,
  ),
  junk.filter((j) => typeof j !== "object" || j === null || Array.isArray(j)),
);

/** Not a conversation id at all (a well-formed id of another conversation would be not_found). */
export const badConversationId = fc.oneof(
  badString,
  goodRequestId.filter((s) => !/^[A-Za-z0-9_-]{1,64}$/.test(s)),
);
