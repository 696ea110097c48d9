import type { ChatSession } from "../../services/chat-session";
import type { HiddenMessages } from "../../services/hidden-messages";
import type { RenderScheduler } from "../../view/render-scheduler";
import type { PrivacyGate } from "../profile/privacy-gate";
import type { BubbleItem } from "./chat-items";
import type { ComposerPanel } from "./composer";
import type { HoldToTalk } from "./hold-to-talk";
import type { ScrollFollower } from "./scroll-follower";
import type { TypingIndicator } from "./typing-indicator";
import type { VoicePlayer } from "./voice-player";
import type { MuteEndTimer } from "./write-notice";

/** What one chat page instance holds outside `data` (never sent to the view layer). */
export interface PageState {
  chat: ChatSession;
  conversationId: string;
  scheduler: RenderScheduler;
  unsubscribe: Array<() => void>;
  /** Between onShow and onHide: only then are arrivals marked read. */
  visible: boolean;
  scroll: ScrollFollower;
  typing: TypingIndicator;
  /** Highest seq this page has marked read. */
  markedSeq: number;
  player: VoicePlayer;
  talk: HoldToTalk;
  /** Our privacy popup, which WeChat asks for before the first picker or recording. */
  privacy: PrivacyGate;
  /** Messages deleted on this phone ("删除"). */
  hidden: HiddenMessages;
  /** My recalled texts, by message id, for "重新编辑" (kept for this page only). */
  reedits: Map<string, { text: string; at: number }>;
  /** "@name" → user id of the members picked in the @ picker since the last send. */
  mentions: Map<string, string>;
  /** The server said I am no longer in it (left, removed): read-only from then on. */
  removed: boolean;
  /** Re-renders when a mute ends by itself, so the input bar comes back. */
  muteEnd: MuteEndTimer;
}

/** The part of the page instance the method modules use (composer-methods, bubble-methods). */
export interface ChatPageInstance {
  data: {
    items: BubbleItem[];
    input: string;
    voiceMode: boolean;
    panel: ComposerPanel;
    focus: boolean;
    conversationId: string;
    menu: { key: string; actions: { action: string; label: string }[]; top: number } | null;
    replying: { seq: number; text: string } | null;
    mentionOpen: boolean;
  };
  setData(patch: object): void;
  render(): void;
}

const states = new WeakMap<object, PageState>();

export function stateOf(page: object): PageState | undefined {
  return states.get(page);
}

export function setState(page: object, state: PageState | undefined): void {
  if (state) states.set(page, state);
  else states.delete(page);
}

/** The bubble a tap came from (its `data-key`). */
export function tappedItem(page: ChatPageInstance, event: WechatMiniprogram.BaseEvent): BubbleItem | undefined {
  const key = event.currentTarget.dataset.key;
  return typeof key === "string" ? page.data.items.find((item) => item.key === key) : undefined;
}
