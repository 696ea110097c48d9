import { beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { useAppServer } from "./support/app-server";
import {
  type Bubble,
  bubbles,
  inputOf,
  lastChatNavigation,
  openList,
  tapOn,
  typeAndSend,
  waitForBubble,
} from "./support/flows";
import { pdfBytes, photo, voiceClip } from "./support/media-fixtures";
import type { SimulatedApp, SimulatedPage } from "./support/simulated-app";
import { sharp } from "./support/wx-media";

/** A media bubble as the page's data holds it. */
type MediaBubble = Bubble & {
  key: string;
  kind: string;
  progress: number;
  image?: { src: string; full: string; width: number; height: number };
  voice?: { seconds: number; width: number; src: string };
  file?: { name: string; sizeText: string; iconLabel: string; src: string };
};
const items = (chat: SimulatedPage) => bubbles(chat) as MediaBubble[];
const last = (chat: SimulatedPage) => items(chat).at(-1);
const sentOfKind = (chat: SimulatedPage, kind: string) =>
  items(chat).filter((item) => item.kind === kind && item.status === "sent");
const touch = (clientY: number) => ({ touches: [{ clientY }], changedTouches: [{ clientY }] });

/**
 * Alice sends pictures, voice and files from the input bar of her chat with bob, as people do:
 * the + panel (album, camera, a file from a WeChat chat), hold-to-talk. Both apps run against the
 * real server; uploads are real multipart POSTs to /v1/media. The tests share the two chats and
 * run in order.
 */
describe("sending images, voice and files from the chat's input bar", () => {
  const { login } = useAppServer();
  let alice: SimulatedApp;
  let bob: SimulatedApp;
  let aliceChat: SimulatedPage;
  let bobChat: SimulatedPage;

  beforeAll(async () => {
    alice = await login("alice");
    bob = await login("bob");
    // Both agreed to the privacy guide before (the popup has its own test below).
    alice.wx.privacyAgreed = true;
    bob.wx.privacyAgreed = true;
    const list = await openList(alice);
    list.call("onComposeDirect");
    list.call("onPeerIdInput", inputOf("bob"));
    await list.call("onCreateDirect");
    const id = lastChatNavigation(alice);
    alice.close(list);
    aliceChat = alice.open("chat", { id });
    bobChat = bob.open("chat", { id });
    await waitUntil("both online", () => aliceChat.data.banner === "" && bobChat.data.banner === "");
  });

  it("the input bar: voice/keyboard toggle, emoji panel inserting into the text, the + panel", () => {
    expect(aliceChat.data).toMatchObject({ voiceMode: false, panel: "" });
    expect(aliceChat.byClass("composer-input")).toHaveLength(1);
    aliceChat.call("onToggleVoice");
    expect(aliceChat.data).toMatchObject({ voiceMode: true, panel: "" });
    expect(aliceChat.byClass("composer-input")).toHaveLength(0);
    expect(aliceChat.byClass("hold-to-talk").map((el) => el.textContent)).toEqual(["按住 说话"]);
    aliceChat.call("onToggleVoice");
    expect(aliceChat.data).toMatchObject({ voiceMode: false, focus: true });

    aliceChat.call("onToggleEmoji");
    expect(aliceChat.data.panel).toBe("emoji");
    expect(aliceChat.byClass("emoji-cell").length).toBeGreaterThanOrEqual(32);
    aliceChat.call("onInput", inputOf("好的"));
    aliceChat.call("onPickEmoji", tapOn({ emoji: "👍" }));
    aliceChat.call("onPickEmoji", tapOn({ emoji: "✌️" }));
    expect(aliceChat.data.input).toBe("好的👍✌️");
    aliceChat.call("onDeleteEmoji");
    expect(aliceChat.data.input).toBe("好的👍");
    // The + panel replaces the emoji panel; a tap on the messages closes it.
    aliceChat.call("onTogglePlus");
    expect(aliceChat.data.panel).toBe("plus");
    expect(aliceChat.byClass("plus-label").map((el) => el.textContent)).toEqual(["相册", "拍摄", "文件"]);
    expect(aliceChat.byClass("emoji-panel")).toHaveLength(0);
    aliceChat.call("onTapMessages");
    expect(aliceChat.data.panel).toBe("");
    aliceChat.call("onInput", inputOf(""));
  });

  it("a picture from the album is uploaded (progress on the bubble) and shows for bob as an image", async () => {
    const path = alice.wx.media.addTempFile({ bytes: new Uint8Array(await photo(800, 600)) }, "jpg");
    alice.wx.media.pickerAnswers.push({ files: [path] });
    alice.wx.uploadControl.hold();
    aliceChat.call("onTogglePlus");
    await aliceChat.call("onChooseAlbum");
    expect(alice.wx.media.callsOf("chooseMedia").at(-1)).toMatchObject({
      mediaType: ["image"],
      sourceType: ["album"],
      sizeType: ["compressed"],
    });
    expect(aliceChat.data.panel).toBe("");

    // Half sent: the pending bubble shows the local picture under its progress.
    const pending = await waitUntil("progress shown", () =>
      last(aliceChat)?.progress === 50 ? last(aliceChat) : undefined,
    );
    expect(pending).toMatchObject({ kind: "image", status: "pending", mine: true });
    expect(pending?.image?.src).toBe(path);
    // In the picture's own shape (read with getImageInfo, upright: 600 × 800) before the server answered.
    await waitUntil("the pending bubble has the photo's shape", () => last(aliceChat)?.image?.width === 270);
    expect(last(aliceChat)?.image).toMatchObject({ width: 270, height: 360 });
    expect(alice.wx.media.callsOf("getImageInfo").at(-1)).toMatchObject({ src: path });
    expect(aliceChat.byClass("upload-percent").map((el) => el.textContent)).toEqual(["50%"]);
    alice.wx.uploadControl.release();

    const upload = alice.wx.uploads.at(-1);
    expect(upload).toMatchObject({ filePath: path, name: "file", formData: { kind: "image" } });
    expect(upload?.url).toMatch(/\/v1\/media$/);
    expect(upload?.header.authorization).toMatch(/^Bearer /);

    const [sent] = await waitUntil("alice's image stored", () =>
      sentOfKind(aliceChat, "image").length === 1 ? sentOfKind(aliceChat, "image") : undefined,
    );
    expect(sent?.progress).toBe(-1);
    // The server rotated the sideways photo upright: 600 × 800, a 270 × 360 rpx box.
    const [received] = await waitUntil("bob sees the image", () =>
      sentOfKind(bobChat, "image").length === 1 ? sentOfKind(bobChat, "image") : undefined,
    );
    expect(received).toMatchObject({ mine: false, image: { width: 270, height: 360 } });
    expect(received?.image?.src).toMatch(/\/v1\/media\/[^/]+\/thumb\?t=/);
    expect(bobChat.byClass("image-thumb")).toHaveLength(1);
    // Bob's view loads it: his GET of the thumbnail (with his media token) answers the JPEG.
    const thumbnail = await bob.wx.loadImage(received?.image?.src ?? "");
    expect(thumbnail).toMatchObject({ status: 200, contentType: "image/jpeg" });
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({ format: "jpeg", width: 270, height: 360 });
    bobChat.call("onOpenImage", tapOn({ key: received?.key ?? "" }));
    expect(bob.wx.media.callsOf("previewImage").at(-1)).toMatchObject({ current: received?.image?.full });
  });

  it("a photo from the camera: chooseMedia with the camera as its source", async () => {
    const path = alice.wx.media.addTempFile({ bytes: new Uint8Array(await photo(400, 400)) }, "jpg");
    alice.wx.media.pickerAnswers.push({ files: [path] });
    await aliceChat.call("onChooseCamera");
    expect(alice.wx.media.callsOf("chooseMedia").at(-1)).toMatchObject({ count: 1, sourceType: ["camera"] });
    await waitUntil("bob sees the second image", () => sentOfKind(bobChat, "image").length === 2);
  });

  it("a cancelled picker sends nothing and says nothing", async () => {
    const before = alice.wx.uploads.length;
    const toasts = alice.wx.uiCallsOf("showToast").length;
    alice.wx.media.pickerAnswers.push("cancel");
    await aliceChat.call("onChooseAlbum");
    expect(alice.wx.uploads).toHaveLength(before);
    expect(alice.wx.uiCallsOf("showToast")).toHaveLength(toasts);
  });

  it("hold to talk records AAC; released, a voice bubble with its duration reaches bob, whose tap plays it", async () => {
    aliceChat.call("onToggleVoice");
    aliceChat.call("onTalkStart", touch(600));
    expect(alice.wx.media.recorder.starts.at(-1)).toMatchObject({ format: "aac", duration: 60000 });
    expect(aliceChat.data).toMatchObject({ recording: true, recordCancel: false });
    expect(aliceChat.byClass("record-text").map((el) => el.textContent)).toEqual(["手指上划，取消发送"]);
    expect(aliceChat.byClass("hold-to-talk").map((el) => el.textContent)).toEqual(["松开 发送"]);
    aliceChat.call("onTalkMove", touch(580));
    expect(aliceChat.data.recordCancel).toBe(false);

    alice.wx.media.recorder.next = { bytes: await voiceClip(), durationMs: 2100 };
    aliceChat.call("onTalkEnd", touch(580));
    expect(aliceChat.data.recording).toBe(false);
    expect(aliceChat.byClass("record-overlay")).toHaveLength(0);

    const [mine] = await waitUntil("alice's voice stored", () =>
      sentOfKind(aliceChat, "voice").length === 1 ? sentOfKind(aliceChat, "voice") : undefined,
    );
    expect(mine?.voice?.seconds).toBe(2);
    expect(alice.wx.uploads.at(-1)?.formData).toMatchObject({ kind: "voice", durationMs: "2100" });
    const [theirs] = await waitUntil("bob sees the voice", () =>
      sentOfKind(bobChat, "voice").length === 1 ? sentOfKind(bobChat, "voice") : undefined,
    );
    expect(bobChat.byClass("voice-seconds").map((el) => el.textContent)).toEqual(["2″"]);
    bobChat.call("onPlayVoice", tapOn({ key: theirs?.key ?? "" }));
    expect(bob.wx.media.audios.at(-1)?.played).toEqual([theirs?.voice?.src]);
    expect(bobChat.data.playingKey).toBe(theirs?.key);
    expect(bobChat.byClass("playing")).toHaveLength(1);
  });

  it("sliding up past the line and releasing cancels: nothing is uploaded or sent; a too short clip neither", async () => {
    const uploads = alice.wx.uploads.length;
    const count = items(aliceChat).length;
    aliceChat.call("onTalkStart", touch(600));
    aliceChat.call("onTalkMove", touch(500));
    expect(aliceChat.data.recordCancel).toBe(true);
    expect(aliceChat.byClass("record-text").map((el) => el.textContent)).toEqual(["松开手指，取消发送"]);
    expect(aliceChat.byClass("cancel")).toHaveLength(1);
    // Back down below the line: armed to send again; up again: cancel.
    aliceChat.call("onTalkMove", touch(590));
    expect(aliceChat.data.recordCancel).toBe(false);
    aliceChat.call("onTalkMove", touch(520));
    alice.wx.media.recorder.next = { bytes: await voiceClip(), durationMs: 3000 };
    const stops = alice.wx.media.recorder.stops;
    aliceChat.call("onTalkEnd", touch(520));
    expect(alice.wx.media.recorder.stops).toBe(stops + 1);
    expect(aliceChat.data.recording).toBe(false);

    // Too short: a toast, nothing sent.
    aliceChat.call("onTalkStart", touch(600));
    alice.wx.media.recorder.next = { bytes: await voiceClip(), durationMs: 400 };
    aliceChat.call("onTalkEnd", touch(600));
    await waitUntil(
      "the too-short toast",
      () => alice.wx.uiCallsOf("showToast").at(-1)?.option.title === "说话时间太短",
    );

    // A message sent after shows that nothing else went out in between.
    aliceChat.call("onToggleVoice");
    aliceChat.call("onInput", inputOf("刚才那条不算"));
    aliceChat.call("onSend");
    await waitUntil("bob has the text", () =>
      items(bobChat).some((b) => b.text === "刚才那条不算" && b.status === "sent"),
    );
    expect(alice.wx.uploads).toHaveLength(uploads);
    expect(items(aliceChat)).toHaveLength(count + 1);
    expect(sentOfKind(bobChat, "voice")).toHaveLength(1);
  });

  it("a file from a WeChat chat keeps its name, shows as a file bubble for bob, and opens with openDocument", async () => {
    const path = alice.wx.media.addTempFile({ bytes: pdfBytes(), name: "周报-第48周.pdf" }, "pdf");
    alice.wx.media.pickerAnswers.push({ files: [path] });
    await aliceChat.call("onChooseFile");
    expect(alice.wx.media.callsOf("chooseMessageFile").at(-1)).toMatchObject({ count: 1, type: "file" });
    // Uploaded from a copy under its real name (wx.uploadFile sends the path's last segment as the name).
    expect(alice.wx.uploads.at(-1)?.filePath).toMatch(/^http:\/\/usr\/outgoing\/[^/]+\/周报-第48周\.pdf$/);
    const copy = String(alice.wx.uploads.at(-1)?.filePath);
    expect(alice.wx.media.files.has(copy)).toBe(true);

    const [theirs] = await waitUntil("bob sees the file", () =>
      sentOfKind(bobChat, "file").length === 1 ? sentOfKind(bobChat, "file") : undefined,
    );
    expect(theirs?.file).toMatchObject({
      name: "周报-第48周.pdf",
      iconLabel: "PDF",
      sizeText: `${pdfBytes().length} B`,
    });
    expect(bobChat.byClass("file-name").map((el) => el.textContent)).toEqual(["周报-第48周.pdf"]);
    // Acknowledged: the named copy is deleted (the picked original is WeChat's temporary file).
    await waitUntil("alice's file sent", () => sentOfKind(aliceChat, "file").length === 1);
    expect(alice.wx.media.files.has(copy)).toBe(false);
    expect([...alice.wx.media.files.keys()].filter((p) => p.startsWith("http://usr/outgoing/"))).toEqual([]);

    // Alice opens her own file: downloaded from the server, opened in WeChat's viewer.
    const [mine] = sentOfKind(aliceChat, "file");
    aliceChat.call("onOpenFile", tapOn({ key: mine?.key ?? "" }));
    const opened = await waitUntil("openDocument called", () => alice.wx.media.callsOf("openDocument").at(-1));
    expect(alice.wx.media.callsOf("downloadFile").at(-1)).toMatchObject({ url: mine?.file?.src });
    expect(opened).toMatchObject({ fileType: "pdf", showMenu: true });
    expect(alice.wx.media.files.get(String(opened.filePath))?.bytes).toEqual(pdfBytes());
  });

  it("a refused upload shows the failed mark; a tap uploads it again and bob gets it once", async () => {
    const path = alice.wx.media.addTempFile({ bytes: new Uint8Array(await photo(640, 480)) }, "jpg");
    alice.wx.media.pickerAnswers.push({ files: [path] });
    alice.wx.uploadControl.refuse.push(413);
    await aliceChat.call("onChooseAlbum");
    const failed = await waitUntil("the failed mark", () =>
      last(aliceChat)?.status === "failed" ? last(aliceChat) : undefined,
    );
    expect(failed).toMatchObject({ kind: "image", progress: -1 });
    expect(aliceChat.byClass("failed").map((el) => el.textContent)).toEqual(["!上传失败，重试"]);
    expect(sentOfKind(bobChat, "image")).toHaveLength(2);

    aliceChat.call("onRetry", tapOn({ id: failed?.clientMsgId ?? "" }));
    await waitUntil(
      "stored after the retry",
      () => last(aliceChat)?.status === "sent" && last(aliceChat)?.kind === "image",
    );
    await waitUntil("bob has the third image", () => sentOfKind(bobChat, "image").length === 3);
    const attempts = alice.wx.uploads.filter((call) => call.filePath === path);
    expect(attempts).toHaveLength(2);
    // The same clientMediaId both times: one media on the server.
    expect(new Set(attempts.map((call) => call.formData.clientMediaId)).size).toBe(1);
    expect(aliceChat.byClass("failed")).toHaveLength(0);
  });

  it("a chat file refused for good and discarded: its named copy is deleted too", async () => {
    const path = alice.wx.media.addTempFile({ bytes: pdfBytes(), name: "作废.pdf" }, "pdf");
    alice.wx.media.pickerAnswers.push({ files: [path] });
    alice.wx.uploadControl.refuse.push(413);
    await aliceChat.call("onChooseFile");
    const copy = String(alice.wx.uploads.at(-1)?.filePath);
    expect(copy).toMatch(/^http:\/\/usr\/outgoing\/[^/]+\/作废\.pdf$/);
    const failed = await waitUntil("the failed mark", () =>
      last(aliceChat)?.status === "failed" ? last(aliceChat) : undefined,
    );
    // Still in the outbox (a tap would retry it): the copy stays.
    expect(alice.wx.media.files.has(copy)).toBe(true);
    const client = alice.instance.services.chat?.client;
    expect(client?.discard(failed?.clientMsgId ?? "")).toBe(true);
    await waitUntil("the bubble gone", () => !items(aliceChat).some((b) => b.clientMsgId === failed?.clientMsgId));
    expect(alice.wx.media.files.has(copy)).toBe(false);
    expect(alice.wx.media.files.has(path)).toBe(true);
  });

  it("the first picture or recording asks for consent with our popup; declined, nothing is picked or sent", async () => {
    const carol = await login("carol");
    const list = await openList(carol);
    list.call("onComposeDirect");
    list.call("onPeerIdInput", inputOf("bob"));
    await list.call("onCreateDirect");
    const chat = carol.open("chat", { id: lastChatNavigation(carol) });
    await waitUntil("online", () => chat.data.banner === "");

    // Declined: the picker fails quietly (our toast says why), nothing is uploaded.
    carol.wx.media.pickerAnswers.push({
      files: [carol.wx.media.addTempFile({ bytes: new Uint8Array(await photo(64, 64)) }, "jpg")],
    });
    const declined = chat.call("onChooseAlbum") as Promise<void>;
    await waitUntil("our privacy popup", () => chat.data.privacyShown === true);
    expect(chat.byClass("popup-title").map((el) => el.textContent)).toEqual(["用户隐私保护提示"]);
    chat.call("onDeclinePrivacy");
    await declined;
    expect(chat.data.privacyShown).toBe(false);
    expect(carol.wx.uploads).toHaveLength(0);
    expect(carol.wx.uiCallsOf("showToast").map((call) => call.option.title)).toEqual([
      "未同意隐私保护指引，暂时无法发送图片、语音和文件",
    ]);
    // Text chat needs no privacy API: it keeps working after the decline.
    typeAndSend(chat, "图片发不了，先打字说");
    await waitForBubble(chat, "图片发不了，先打字说");
    // The recorder too: declined, it reports an error and the overlay goes away.
    chat.call("onToggleVoice");
    chat.call("onTalkStart", touch(600));
    await waitUntil("the popup again", () => chat.data.privacyShown === true);
    chat.call("onDeclinePrivacy");
    await waitUntil("the recording given up", () => chat.data.recording === false);

    // Agreed: the picture is picked and sent, and WeChat does not ask again.
    chat.call("onToggleVoice");
    const agreed = chat.call("onChooseAlbum") as Promise<void>;
    await waitUntil("our privacy popup", () => chat.data.privacyShown === true);
    chat.call("onAgreePrivacy", { currentTarget: { id: "agree-privacy", dataset: {} } });
    await agreed;
    await waitUntil("carol's picture stored", () => sentOfKind(chat, "image").length === 1);
    expect(carol.wx.privacyAgreed).toBe(true);
  });
});
