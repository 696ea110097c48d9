const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * Makes clientMsgIds: time, a counter, then randomness. The counter keeps ids
 * of one client distinct even with a frozen clock or a poor random source; the
 * time and random parts keep two devices (or a restarted app) from colliding.
 * Math.random is enough: uniqueness is per sender, and old mini program base
 * libraries have no crypto.getRandomValues.
 */
export class ClientMsgIdMaker {
  private counter = 0;

  constructor(
    private readonly now: () => number,
    private readonly random: () => number,
  ) {}

  next(): string {
    this.counter += 1;
    let suffix = "";
    for (let i = 0; i < 10; i++) suffix += ALPHABET.charAt(Math.floor(this.random() * ALPHABET.length));
    return `${this.now().toString(36)}-${this.counter.toString(36)}-${suffix}`;
  }
}
