/** How far (px) the finger moves up from where it pressed before a release cancels, as in WeChat. */
export const CANCEL_DISTANCE_PX = 60;
/** Shorter recordings are dropped ("说话时间太短"). */
export const MIN_VOICE_MS = 1000;
/** The server takes voice up to 60 s; the recorder stops itself there (and the clip is sent). */
export const MAX_VOICE_MS = 60_000;

/** What the overlay shows: nothing, "松开 发送", or (finger moved up) "松开手指，取消发送". */
export interface RecordingView {
  recording: boolean;
  cancel: boolean;
}

export interface HoldToTalkEvents {
  view(view: RecordingView): void;
  /** A recording to send. */
  recorded(clip: { path: string; durationMs: number }): void;
  tooShort(): void;
  failed(message: string): void;
}

/**
 * Hold-to-talk over `wx.getRecorderManager()` (one per app): press starts an AAC recording,
 * sliding up past CANCEL_DISTANCE_PX arms the cancel, release stops it and sends, unless armed
 * (or too short). The recorder is shared by the app and its listeners cannot be removed, so they
 * are set once here and ignore stops this object did not ask for.
 */
export class HoldToTalk {
  private startY = 0;
  private active = false;
  private cancel = false;
  /**
   * What to do with each stop asked for and not yet reported, oldest first: a quick second press
   * can come before the first recording's onStop, which must not take the second's decision.
   */
  private readonly stops: Array<"send" | "discard"> = [];

  constructor(
    private readonly recorder: WechatMiniprogram.RecorderManager,
    private readonly events: HoldToTalkEvents,
  ) {
    recorder.onStop((result) => this.stopped(result));
    recorder.onError((error) => {
      if (!this.active && this.stops.length === 0) return;
      this.stops.length = 0;
      this.reset();
      this.events.failed(error.errMsg);
    });
  }

  press(y: number): void {
    if (this.active) return;
    this.active = true;
    this.cancel = false;
    this.startY = y;
    // 16 kHz mono at 48 kbps is one of the documented valid pairs; plenty for speech, small files.
    this.recorder.start({
      format: "aac",
      duration: MAX_VOICE_MS,
      sampleRate: 16000,
      numberOfChannels: 1,
      encodeBitRate: 48000,
    });
    this.events.view({ recording: true, cancel: false });
  }

  move(y: number): void {
    if (!this.active) return;
    const cancel = this.startY - y > CANCEL_DISTANCE_PX;
    if (cancel === this.cancel) return;
    this.cancel = cancel;
    this.events.view({ recording: true, cancel });
  }

  /** The finger lifted; `cancelled` for a touchcancel (a call came in, the page went away). */
  release(cancelled = false): void {
    if (!this.active) return;
    this.active = false;
    this.stops.push(cancelled || this.cancel ? "discard" : "send");
    this.events.view({ recording: false, cancel: false });
    this.recorder.stop();
  }

  private stopped(result: { tempFilePath: string; duration: number }): void {
    const asked = this.stops.shift();
    // The 60 s limit stops the recorder while the finger is still down: that clip is sent.
    const action = asked ?? (this.active ? "send" : undefined);
    if (asked === undefined) this.reset();
    if (action !== "send") return;
    if (result.duration < MIN_VOICE_MS) {
      this.events.tooShort();
      return;
    }
    this.events.recorded({ path: result.tempFilePath, durationMs: result.duration });
  }

  private reset(): void {
    const wasShown = this.active;
    this.active = false;
    this.cancel = false;
    if (wasShown) this.events.view({ recording: false, cancel: false });
  }
}
