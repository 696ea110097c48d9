import fc from "fast-check";
import { oneBadField, tooLong } from "./bad-field-frames";
import type { Build } from "./frame-case";
import { anonymousJunk } from "./junk-frames";
import { validFrame } from "./valid-frames";

export type { Expectation, FrameCase, FrameContext } from "./frame-case";

/** One frame of any family; weights roughly: 25% valid, 49% one bad field, 25% junk, 1% too long. */
export const frameCase: fc.Arbitrary<Build> = fc.oneof(
  { arbitrary: validFrame, weight: 20 },
  { arbitrary: tooLong, weight: 1 },
  { arbitrary: oneBadField, weight: 40 },
  { arbitrary: anonymousJunk, weight: 20 },
);
