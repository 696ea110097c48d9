/**
 * How a refused setting's value appears in a ConfigError: start-up errors end up
 * in terminals, CI logs and support tickets, so a secret never does.
 */

/** Secrets by name: TOKEN_SECRET(_PREVIOUS), WECHAT_SECRET, *_PASSWORD, and names ending in _TOKEN or _KEY. */
const SECRET_NAME = /(^|_)(SECRET|PASSWORD)(_|$)|(^|_)(TOKEN|KEY)$/;
/** Connection strings: shown without their credentials. */
const URL_NAME = /(^|_)URL$/;

/** Whether a variable holds a secret, by its name (future *_SECRET / *_TOKEN / *_KEY variables included). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A URL with whatever sits before `@` in its authority (user and password) and any
 * password-like query value replaced. Lenient on purpose: the URL being shown is one
 * that failed validation, so it may not parse.
 */
export function withoutCredentials(value: string): string {
  return value
    .replace(/^([^@/?#]*?\/\/|[a-z][a-z0-9+.-]*:)?[^@?#]*@/i, "$1***@")
    .replace(/([?&;](?:password|pass|pwd|secret|token|key|auth)=)[^&;#]*/gi, "$1***");
}

/** The value as a ConfigError may print it. */
export function shownValue(name: string, input: unknown): string {
  if (isSecretName(name)) {
    return typeof input === "string" ? `a hidden value of ${input.length} characters` : "a hidden value";
  }
  if (URL_NAME.test(name) && typeof input === "string") return JSON.stringify(withoutCredentials(input));
  return JSON.stringify(input);
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** https anywhere; plain http only to this machine (the fake WeChat of the tests). */
export function loopbackOrHttps(value: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return false;
  }
  return parsed.protocol === "https:" || (parsed.protocol === "http:" && LOOPBACK_HOSTS.has(parsed.hostname));
}
