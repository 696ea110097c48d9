const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * A clientMsgId: time then randomness, so ids sort roughly by creation and two
 * devices of one user do not collide. Math.random is enough: uniqueness is per
 * sender, and the mini program has no crypto.getRandomValues on old base libraries.
 */
export function makeClientMsgId(now: number, random: () => number): string {
  let suffix = "";
  for (let i = 0; i < 12; i++) suffix += ALPHABET.charAt(Math.floor(random() * ALPHABET.length));
  return `${now.toString(36)}-${suffix}`;
}
