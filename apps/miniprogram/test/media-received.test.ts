import { describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { useAppServer } from "./support/app-server";
import { type Bubble, bubbles, inputOf, lastChatNavigation, openList, tapOn } from "./support/flows";
import { MediaPeer, pdfBytes, photo, voiceClip } from "./support/media-fixtures";
import { sharp } from "./support/wx-media";

/** A media bubble as the page's data holds it. */
type MediaBubble = Bubble & {
  key: string;
  kind: string;
  image?: { src: string; full: string; width: number; height: number };
  voice?: { seconds: number; width: number; src: string };
  file?: { name: string; sizeText: string; iconLabel: string; src: string };
};
const media = (items: unknown) => items as MediaBubble[];

/**
 * Bob sends alice an image, two voice clips and a file from another device (a raw protocol
 * client: upload, then send); alice's chat shows them as WeChat does and opens them.
 */
describe("image, voice and file messages received", () => {
  const app = useAppServer();
  const { login } = app;

  it("shows each kind as its bubble and opens it: preview, play one at a time, download and open", async () => {
    const alice = await login("alice");
    const bob = await MediaPeer.connect(app.server, "bob", "Bob");
    const list = await openList(alice);
    list.call("onComposeDirect");
    list.call("onPeerIdInput", inputOf("bob"));
    await list.call("onCreateDirect");
    const id = lastChatNavigation(alice);
    const chat = alice.open("chat", { id });

    // A tall photo (taken upright: 600 × 800 after rotation), a 2 s and an 8 s clip, a PDF.
    await bob.send(id, await bob.upload("image", new Uint8Array(await photo(800, 600)), "IMG_0001.jpg"));
    await bob.send(id, await bob.upload("voice", await voiceClip(), "voice.aac"));
    await bob.send(id, await bob.upload("voice", await voiceClip(4), "voice.aac"));
    await bob.send(id, await bob.upload("file", pdfBytes(), "周报-第48周.pdf"));
    const [image, short, long, file] = await waitUntil("four media bubbles", () => {
      const items = media(bubbles(chat));
      return items.length === 4 ? items : undefined;
    });

    // The image: a box in the shape of the stored image (3:4, fitting 360 rpx), the thumbnail with the token.
    expect(image).toMatchObject({ kind: "image", mine: false, text: "[图片]" });
    expect(image?.image).toMatchObject({ width: 270, height: 360 });
    expect(image?.image?.src).toMatch(/^http:\/\/localhost:3000\/v1\/media\/[^/]+\/thumb\?t=.+/);
    expect(image?.image?.full).toMatch(/^http:\/\/localhost:3000\/v1\/media\/[^/?]+\?t=.+/);
    expect(chat.byClass("image-bubble")).toHaveLength(1);
    // The recipient may read it: the thumbnail loads (a JPEG of at most 360 px a side), the full image too.
    const thumbnail = await alice.wx.loadImage(image?.image?.src ?? "");
    expect(thumbnail).toMatchObject({ status: 200, contentType: "image/jpeg" });
    const thumbMeta = await sharp(thumbnail.bytes).metadata();
    expect([thumbMeta.format, thumbMeta.width, thumbMeta.height]).toEqual(["jpeg", 270, 360]);
    const full = await alice.wx.loadImage(image?.image?.full ?? "");
    expect(full.status).toBe(200);
    expect((await sharp(full.bytes).metadata()).width).toBe(600);

    // Voice: the seconds, a longer clip a wider bubble.
    expect(short?.voice?.seconds).toBe(2);
    expect(long?.voice?.seconds).toBe(8);
    expect(long?.voice?.width ?? 0).toBeGreaterThan(short?.voice?.width ?? 0);
    expect(chat.byClass("voice-seconds").map((el) => el.textContent)).toEqual(["2″", "8″"]);

    // The file: its real name, its size, an icon by type.
    expect(file?.file).toMatchObject({ name: "周报-第48周.pdf", sizeText: `${pdfBytes().length} B`, iconLabel: "PDF" });
    expect(chat.byClass("file-name").map((el) => el.textContent)).toEqual(["周报-第48周.pdf"]);

    // Tap the image: WeChat's viewer with the full image.
    chat.call("onOpenImage", tapOn({ key: image?.key ?? "" }));
    expect(alice.wx.media.callsOf("previewImage")).toEqual([
      expect.objectContaining({ current: image?.image?.full, urls: [image?.image?.full] }),
    ]);

    // Tap a voice: it plays (the full media URL) and shows as playing; tap the other: it switches.
    chat.call("onPlayVoice", tapOn({ key: short?.key ?? "" }));
    expect(chat.data.playingKey).toBe(short?.key);
    expect(alice.wx.media.audios).toHaveLength(1);
    const audio = alice.wx.media.audios[0];
    expect(audio?.played).toEqual([short?.voice?.src]);
    expect(chat.byClass("playing")).toHaveLength(1);
    chat.call("onPlayVoice", tapOn({ key: long?.key ?? "" }));
    expect(chat.data.playingKey).toBe(long?.key);
    // One context for the page: one voice plays at a time.
    expect(alice.wx.media.audios).toHaveLength(1);
    expect(audio?.played).toEqual([short?.voice?.src, long?.voice?.src]);
    // Played to the end: nothing playing any more. A tap on the playing one stops it.
    audio?.end();
    expect(chat.data.playingKey).toBe("");
    chat.call("onPlayVoice", tapOn({ key: short?.key ?? "" }));
    chat.call("onPlayVoice", tapOn({ key: short?.key ?? "" }));
    expect(chat.data.playingKey).toBe("");
    expect(audio?.stopped).toBe(1);

    // Tap the file: downloaded from the real server (a member may read it) and opened in WeChat's viewer.
    chat.call("onOpenFile", tapOn({ key: file?.key ?? "" }));
    expect(alice.wx.media.callsOf("downloadFile")).toEqual([expect.objectContaining({ url: file?.file?.src })]);
    const opened = await waitUntil("openDocument called", () => alice.wx.media.callsOf("openDocument").at(0));
    expect(opened).toMatchObject({ fileType: "pdf", showMenu: true });
    expect(alice.wx.media.files.get(String(opened.filePath))?.bytes).toEqual(pdfBytes());
    expect(alice.wx.uiCallsOf("showToast")).toEqual([]);

    // The page was unloaded: the audio context is released.
    alice.close(chat);
    expect(audio?.destroyed).toBe(true);
    bob.close();
  });
});
