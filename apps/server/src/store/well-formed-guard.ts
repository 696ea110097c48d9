import { isWellFormedText } from "@mpchat/protocol";

/**
 * A string that must not be stored: an unpaired surrogate or U+0000. The
 * protocol refuses them first; this is the store's own line of defence (SQLite
 * would keep the surrogate as invalid UTF-8, and reading it back aborts libsql).
 * The chat boundary (chat/errors.ts) answers it as `bad_request`.
 */
export class IllFormedStringError extends Error {
  override readonly name = "IllFormedStringError";

  constructor(readonly path: string) {
    super(`${path}: must be well-formed Unicode (no unpaired surrogate, no U+0000)`);
  }
}

const MAX_DEPTH = 8;

/** The dotted path of the first ill-formed string in `value` (strings, arrays, plain objects), if any. */
export function findIllFormed(value: unknown, path = "", depth = 0): string | undefined {
  if (typeof value === "string") return isWellFormedText(value) ? undefined : path || "value";
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findIllFormed(value[i], `${path}[${i}]`, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const found = findIllFormed((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Whether `value` holds an ill-formed string anywhere: the check every store call
 * pays, so it builds no path strings (findIllFormed names the path only once one
 * was found).
 */
function holdsIllFormed(value: unknown, depth: number): boolean {
  if (typeof value === "string") return !isWellFormedText(value);
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (holdsIllFormed(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && holdsIllFormed((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/** Throws IllFormedStringError when `value` holds an ill-formed string anywhere. */
export function assertWellFormed(value: unknown, path = ""): void {
  const found = findIllFormed(value, path);
  if (found !== undefined) throw new IllFormedStringError(found);
}

/**
 * The store boundary: every call into `store` (whichever adapter) has its
 * arguments checked first, so that no adapter can write an ill-formed string.
 * A refused call rejects and touches nothing.
 */
export function guardStrings<S extends object>(store: S): S {
  return new Proxy(store, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key, target);
      if (typeof member !== "function") return member;
      return (...args: unknown[]) => {
        if (holdsIllFormed(args, 0)) {
          return Promise.reject(new IllFormedStringError(findIllFormed(args, String(key)) ?? String(key)));
        }
        return (member as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
