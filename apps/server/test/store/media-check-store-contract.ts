import type { Body } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import { type ContractContext, input, stored, uid } from "./contract-support";

/** The pending async media checks and messagesShowingMedia: part of the Store contract (called from storeContract). */
export function mediaCheckStoreContract(ctx: ContractContext): void {
  describe("async media checks", () => {
    it("keeps a pending check by trace_id (the first of a repeat), finds it, forgets it once", async () => {
      const store = ctx.store();
      const traceId = uid("trace-");
      const mediaId = uid("media");
      expect(await store.findMediaCheck(traceId)).toBeNull();
      await store.recordMediaCheck({ traceId, mediaId, createdAt: 1_000 });
      await store.recordMediaCheck({ traceId, mediaId: uid("other"), createdAt: 2_000 });
      expect(await store.findMediaCheck(traceId)).toEqual({ traceId, mediaId, createdAt: 1_000 });
      // exact match only
      expect(await store.findMediaCheck(traceId.toUpperCase())).toBeNull();
      expect(await store.findMediaCheck(`${traceId}x`)).toBeNull();
      expect(await store.deleteMediaCheck(traceId)).toBe(true);
      expect(await store.deleteMediaCheck(traceId)).toBe(false);
      expect(await store.findMediaCheck(traceId)).toBeNull();
    });

    it("messagesShowingMedia: the sender's image, voice and file messages naming the media, oldest first", async () => {
      const store = ctx.store();
      const [alice, bob] = ctx.users;
      const group = await ctx.group([alice, bob]);
      const mediaId = uid("m_");
      const other = uid("m_");
      const withBody = (senderId: string, body: Body) => ({ ...input(group.id, senderId, "x"), body });
      const results = await store.appendMessages([
        withBody(alice, { kind: "image", mediaId, width: 1, height: 2 }),
        withBody(alice, { kind: "text", text: mediaId }),
        withBody(alice, { kind: "image", mediaId: other, width: 1, height: 2 }),
        withBody(bob, { kind: "image", mediaId, width: 1, height: 2 }),
        withBody(alice, { kind: "voice", mediaId, durationMs: 1000 }),
        withBody(alice, { kind: "file", mediaId, name: "a.pdf", size: 3 }),
      ]);
      const [image, , , bobs, voice, file] = results.map((result) => stored(result));
      expect((await store.messagesShowingMedia(alice, mediaId)).map((m) => m.id)).toEqual([
        image?.id,
        voice?.id,
        file?.id,
      ]);
      expect((await store.messagesShowingMedia(bob, mediaId)).map((m) => m.id)).toEqual([bobs?.id]);
      expect(await store.messagesShowingMedia(alice, uid("none"))).toEqual([]);
      expect(await store.messagesShowingMedia(uid("nobody"), mediaId)).toEqual([]);
    });
  });
}
