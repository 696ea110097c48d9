import { strings } from "../strings";

/** A short Chinese reason for a failed request (a ChatError's code), for toasts and form errors. */
export function describeError(error: unknown): string {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return (typeof code === "string" && strings.errors[code]) || strings.unknownError;
}
