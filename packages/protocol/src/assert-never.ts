/**
 * The `default` of a switch that must handle every case: the call only compiles
 * when `value` has been narrowed to `never`, so a new frame type or body kind
 * fails the build wherever it is not handled. Throws if reached at run time
 * (a value the types said could not exist).
 */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
