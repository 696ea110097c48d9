import { waitUntil } from "./activity";
import { bubbles } from "./flows";
import type { SimulatedPage } from "./simulated-app";

/** How a media bubble's kind and state read in the page's data. */
const stored = (chat: SimulatedPage, kind: string) =>
  (bubbles(chat) as unknown as Array<{ kind: string; status: string }>).filter(
    (b) => b.kind === kind && b.status === "sent",
  ).length;

const touch = (clientY: number) => ({ touches: [{ clientY }], changedTouches: [{ clientY }] });

/** Picks a picture from the album in the + panel; resolves once it is stored. */
export async function sendPhoto(chat: SimulatedPage, bytes: Uint8Array): Promise<void> {
  const { media } = chat.app.wx;
  const before = stored(chat, "image");
  media.pickerAnswers.push({ files: [media.addTempFile({ bytes }, "jpg")] });
  await chat.call("onChooseAlbum");
  await waitUntil(`${chat.app.name}'s photo stored`, () => stored(chat, "image") > before);
}

/** Holds the talk button, "records" the clip, lets go; resolves once the voice message is stored. */
export async function sendVoice(chat: SimulatedPage, bytes: Uint8Array, durationMs: number): Promise<void> {
  const before = stored(chat, "voice");
  const voiceMode = chat.data.voiceMode === true;
  if (!voiceMode) chat.call("onToggleVoice");
  chat.call("onTalkStart", touch(600));
  chat.app.wx.media.recorder.next = { bytes, durationMs };
  chat.call("onTalkEnd", touch(600));
  if (!voiceMode) chat.call("onToggleVoice");
  await waitUntil(`${chat.app.name}'s voice stored`, () => stored(chat, "voice") > before);
}

/** Sends a file picked from a WeChat chat; resolves once it is stored. */
export async function sendChatFile(chat: SimulatedPage, name: string, bytes: Uint8Array): Promise<void> {
  const { media } = chat.app.wx;
  const before = stored(chat, "file");
  media.pickerAnswers.push({ files: [media.addTempFile({ bytes, name }, name.split(".").at(-1) ?? "bin")] });
  await chat.call("onChooseFile");
  await waitUntil(`${chat.app.name}'s file stored`, () => stored(chat, "file") > before);
}
