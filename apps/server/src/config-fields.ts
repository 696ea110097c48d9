import * as v from "valibot";

/** The field schemas of the environment (config.ts): each names what it accepts in its message. */

export const int = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, `must be an integer from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );
export const url = (protocols: readonly string[]) =>
  v.pipe(
    v.string(),
    v.url("must be a URL"),
    v.check(
      (value) => protocols.some((protocol) => value.startsWith(protocol)),
      `must start with ${protocols.join(" or ")}`,
    ),
  );

/** on/off, a hop count, or a comma-separated list of addresses, CIDRs or proxy-addr's names (loopback, …). */
const PROXY_ITEM = /^(((\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)(\/\d{1,3})?|loopback|linklocal|uniquelocal)$/;
export const trustProxy = v.pipe(
  v.string(),
  v.check(
    (value) => /^(on|off|\d{1,3})$/.test(value) || value.split(",").every((item) => PROXY_ITEM.test(item.trim())),
    "must be on, off, a number of hops, or a comma-separated list of proxy addresses or CIDRs",
  ),
  v.transform((value): boolean | number | string =>
    value === "on" ? true : value === "off" ? false : /^\d+$/.test(value) ? Number(value) : value,
  ),
);
