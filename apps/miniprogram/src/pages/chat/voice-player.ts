/**
 * Plays voice messages with one InnerAudioContext for the page: a tap plays a bubble, a tap on the
 * playing one stops it, a tap on another switches (so one plays at a time). `changed` tells the page
 * which bubble is playing ("" for none) to animate it.
 */
export class VoicePlayer {
  private audio: WechatMiniprogram.InnerAudioContext | undefined;
  private playing = "";

  constructor(private readonly changed: (key: string) => void) {}

  get playingKey(): string {
    return this.playing;
  }

  toggle(key: string, src: string): void {
    if (key === this.playing) {
      this.audio?.stop();
      this.set("");
      return;
    }
    if (src === "") return;
    const audio = this.context();
    // A new src stops what played before; no stop() here, whose late onStop would end the new one.
    audio.src = src;
    audio.play();
    this.set(key);
  }

  destroy(): void {
    this.audio?.destroy();
    this.audio = undefined;
    this.playing = "";
  }

  private context(): WechatMiniprogram.InnerAudioContext {
    if (this.audio) return this.audio;
    const audio = wx.createInnerAudioContext();
    const ended = () => this.set("");
    audio.onEnded(ended);
    audio.onError(ended);
    this.audio = audio;
    return audio;
  }

  private set(key: string): void {
    if (key === this.playing) return;
    this.playing = key;
    this.changed(key);
  }
}
