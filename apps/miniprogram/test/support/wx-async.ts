/** The callback shape of wx's asynchronous APIs, and how the shim answers them. */

export type Callback<T> = ((result: T) => void) | undefined;

export interface AsyncOption<T> {
  success?: Callback<T>;
  fail?: Callback<{ errMsg: string }>;
  complete?: Callback<unknown>;
}

/** Answers with success on a later turn, as wx does. */
export function later<T>(option: AsyncOption<T> | undefined, result: T): void {
  setImmediate(() => {
    option?.success?.(result);
    option?.complete?.(result);
  });
}

/** Answers with fail on a later turn, as wx does. */
export function failLater(option: Omit<AsyncOption<never>, "success"> | undefined, errMsg: string): void {
  setImmediate(() => {
    option?.fail?.({ errMsg });
    option?.complete?.({ errMsg });
  });
}
