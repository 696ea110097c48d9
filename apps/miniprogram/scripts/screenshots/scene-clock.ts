/**
 * The time of the screenshot story, so that message times read "11月28日", "昨天", "09:12" and
 * every run draws the same pictures.
 *
 * The server takes it through its clock port (`AppDeps.now`). The mini program and its client
 * read `Date.now()` (they have no clock port), so `install` points `Date.now` at it while the
 * scenes run. Time keeps flowing from the instant set (real elapsed time is added), so timeouts
 * and ordering behave as usual; `at` only ever jumps forward.
 */
export class SceneClock {
  private base = 0;
  private setAtReal = 0;
  private readonly realNow = Date.now.bind(Date);
  private readonly monotonic = () => performance.now();

  constructor(
    /** The story's day, as "YYYY-MM-DD" in the process time zone (TZ=Asia/Shanghai). */
    readonly today: string,
  ) {}

  /** The current time of the story, in epoch milliseconds. */
  readonly now = (): number => Math.floor(this.base + (this.monotonic() - this.setAtReal));

  /** Jumps to `time` ("HH:MM") `daysAgo` days before today; never backwards. */
  at(time: string, daysAgo = 0): void {
    const [year, month, day] = this.today.split("-").map(Number);
    const [hours, minutes] = time.split(":").map(Number);
    if (year === undefined || month === undefined || day === undefined || hours === undefined) {
      throw new Error(`bad scene time ${this.today} ${time}`);
    }
    const target = new Date(year, month - 1, day - daysAgo, hours, minutes ?? 0).getTime();
    if (target < this.now()) throw new Error(`the scene clock only moves forward (to ${time}, ${daysAgo} days ago)`);
    this.base = target;
    this.setAtReal = this.monotonic();
  }

  /** "HH:MM" for the status bar. */
  clockText(): string {
    const date = new Date(this.now());
    return `${date.getHours()}:${String(date.getMinutes()).padStart(2, "0")}`;
  }

  install(): void {
    Date.now = this.now;
  }

  uninstall(): void {
    Date.now = this.realNow;
  }
}
