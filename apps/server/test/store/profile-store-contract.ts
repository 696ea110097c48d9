import type { Body } from "@mpchat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import type { MediaRecord } from "../../src/store/profile-records";
import type { Store } from "../../src/store/store";

let counter = 0;
function uid(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

function mediaOf(uploaderId: string, clientMediaId: string, extra: Partial<MediaRecord> = {}): MediaRecord {
  return {
    id: uid("media"),
    uploaderId,
    clientMediaId,
    kind: "image",
    mime: "image/jpeg",
    size: 12_345,
    width: 640,
    height: 480,
    storageKey: `media/${uid("k")}`,
    thumbnailKey: `thumbs/${uid("k")}`,
    createdAt: 1_700_000_000_000,
    ...extra,
  };
}

/** Profiles, media records and invites: part of the Store contract (called from storeContract). */
export function profileStoreContract(getStore: () => Store): void {
  describe("profiles, media and invites", () => {
    let store: Store;
    const alice = uid("palice");
    const bob = uid("pbob");

    beforeAll(async () => {
      store = getStore();
      await store.upsertUser({ id: alice, name: "Alice" });
      await store.upsertUser({ id: bob, name: "Bob" });
    });

    it("a user starts without an avatar; updateProfile changes name and avatar and can remove it", async () => {
      expect(await store.getUser(alice)).toEqual({ id: alice, name: "Alice" });
      const renamed = await store.updateProfile(alice, { name: "Alice 🌸 \"'<b>" });
      expect(renamed).toEqual({ id: alice, name: "Alice 🌸 \"'<b>" });
      const avatar = await store.createMedia(mediaOf(alice, uid("cm")));
      const withAvatar = await store.updateProfile(alice, { avatarMediaId: avatar.media.id });
      expect(withAvatar).toEqual({ id: alice, name: "Alice 🌸 \"'<b>", avatarMediaId: avatar.media.id });
      expect(await store.getUser(alice)).toEqual(withAvatar);
      // A login that upserts the name keeps the avatar.
      expect(await store.upsertUser({ id: alice, name: "Alice" })).toEqual({
        id: alice,
        name: "Alice",
        avatarMediaId: avatar.media.id,
      });
      expect(await store.updateProfile(alice, { avatarMediaId: null })).toEqual({ id: alice, name: "Alice" });
      expect(await store.updateProfile(alice, {})).toEqual({ id: alice, name: "Alice" });
      expect(await store.updateProfile(uid("nobody"), { name: "X" })).toBeNull();
      expect(await store.getUser(alice)).toEqual({ id: alice, name: "Alice" });
    });

    it("getUsers answers the existing users among the ids", async () => {
      const found = await store.getUsers([bob, uid("ghost"), alice]);
      expect(found.map((u) => u.id).sort()).toEqual([alice, bob].sort());
      expect(await store.getUsers([])).toEqual([]);
    });

    it("createMedia stores once per (uploader, clientMediaId) and findMedia reads it back", async () => {
      const clientMediaId = uid("cm");
      const first = mediaOf(alice, clientMediaId);
      expect(await store.createMedia(first)).toEqual({ media: first, created: true });
      expect(await store.findMedia(first.id)).toEqual(first);
      const repeat = await store.createMedia(mediaOf(alice, clientMediaId, { kind: "file", mime: "text/plain" }));
      expect(repeat).toEqual({ media: first, created: false });
      // Another uploader may use the same clientMediaId; so may the same uploader a different one.
      const bobs = mediaOf(bob, clientMediaId);
      expect((await store.createMedia(bobs)).created).toBe(true);
      expect((await store.createMedia(mediaOf(alice, `${clientMediaId} `))).created).toBe(true);
      expect(await store.findMedia(uid("missing"))).toBeNull();
    });

    it("createMedia is idempotent under concurrent repeats", async () => {
      const clientMediaId = uid("cm");
      const attempts = await Promise.all(
        Array.from({ length: 6 }, () => store.createMedia(mediaOf(bob, clientMediaId))),
      );
      expect(attempts.filter((a) => a.created)).toHaveLength(1);
      expect(new Set(attempts.map((a) => a.media.id)).size).toBe(1);
    });

    it("keeps the optional fields of voice and file media exactly, absent ones absent", async () => {
      const voice = mediaOf(alice, uid("cm"), { kind: "voice", mime: "audio/aac", durationMs: 3_250 });
      delete voice.width;
      delete voice.height;
      delete voice.thumbnailKey;
      await store.createMedia(voice);
      expect(await store.findMedia(voice.id)).toEqual(voice);
      const file = mediaOf(alice, uid("cm"), { kind: "file", mime: "application/pdf", name: "报告 final.pdf" });
      delete file.width;
      delete file.height;
      delete file.thumbnailKey;
      await store.createMedia(file);
      expect(await store.findMedia(file.id)).toEqual(file);
    });

    it("unreferencedMedia lists old media no avatar names; deleteUnreferencedMedia spares an avatar", async () => {
      const owner = uid("pgc");
      await store.upsertUser({ id: owner, name: "Owner" });
      // Far in the past, so that other tests' media (created at 1.7e12) are not among the candidates.
      const at = 1_000_000;
      const loose = (await store.createMedia(mediaOf(owner, uid("cm"), { createdAt: at }))).media;
      const avatar = (await store.createMedia(mediaOf(owner, uid("cm"), { createdAt: at + 1 }))).media;
      const young = (await store.createMedia(mediaOf(owner, uid("cm"), { createdAt: at + 10 }))).media;
      await store.updateProfile(owner, { avatarMediaId: avatar.id });
      expect(await store.unreferencedMedia(at + 10, 100)).toEqual([loose]);
      expect((await store.unreferencedMedia(at + 11, 100)).map((m) => m.id)).toEqual([loose.id, young.id]);
      expect(await store.unreferencedMedia(at + 11, 1)).toEqual([loose]);
      expect(await store.deleteUnreferencedMedia(avatar.id)).toBe(false);
      expect(await store.findMedia(avatar.id)).toEqual(avatar);
      expect(await store.deleteUnreferencedMedia(loose.id)).toBe(true);
      expect(await store.deleteUnreferencedMedia(loose.id)).toBe(false);
      expect(await store.findMedia(loose.id)).toBeNull();
      // Once no longer an avatar, it may go.
      await store.updateProfile(owner, { avatarMediaId: null });
      expect(await store.deleteUnreferencedMedia(avatar.id)).toBe(true);
      expect(await store.unreferencedMedia(at + 11, 100)).toEqual([young]);
    });

    it("mediaSharedWith: members of a conversation in which a message shows the media, nobody else", async () => {
      const [owner, peer, member, outsider] = ["psa", "psb", "psc", "psd"].map((p) => uid(p)) as [
        string,
        string,
        string,
        string,
      ];
      for (const id of [owner, peer, member, outsider]) await store.upsertUser({ id, name: id });
      const image = (await store.createMedia(mediaOf(owner, uid("cm"), { createdAt: 2_000_000 }))).media;
      const voice = (await store.createMedia(mediaOf(owner, uid("cm"), { kind: "voice", createdAt: 2_000_000 }))).media;
      const unsent = (await store.createMedia(mediaOf(owner, uid("cm"), { createdAt: 2_000_000 }))).media;
      const direct = (await store.getOrCreateDirect({ id: uid("d"), a: owner, b: peer, now: 1 })).conversation;
      const group = await store.createGroup({ id: uid("g"), title: "g", memberIds: [owner, member], now: 1 });
      const other = await store.createGroup({ id: uid("g"), title: "o", memberIds: [owner, outsider], now: 1 });
      const message = (conversationId: string, body: Body) => ({
        id: uid("m"),
        conversationId,
        senderId: owner,
        clientMsgId: uid("c"),
        body,
        createdAt: 3_000_000,
      });
      const imageBody: Body = { kind: "image", mediaId: image.id, width: 1, height: 1 };
      // One batch: media messages in two conversations, a text naming the unsent media's id, a voice.
      const first = message(direct.id, imageBody);
      const results = await store.appendMessages([
        first,
        message(group.id, imageBody),
        message(other.id, { kind: "text", text: `see ${unsent.id}` }),
        message(group.id, { kind: "voice", mediaId: voice.id, durationMs: 1_000 }),
      ]);
      expect(results.map((r) => r.status)).toEqual(["stored", "stored", "stored", "stored"]);
      // A repeat of the first is a duplicate and records nothing twice.
      expect((await store.appendMessages([{ ...first, id: uid("m") }]))[0]?.status).toBe("duplicate");

      const shared = async (mediaId: string, userId: string) => store.mediaSharedWith(mediaId, userId);
      expect(await shared(image.id, peer)).toBe(true);
      expect(await shared(image.id, member)).toBe(true);
      expect(await shared(image.id, owner)).toBe(true);
      expect(await shared(voice.id, member)).toBe(true);
      const refused: [string, string, string][] = [
        ["a member of another conversation", image.id, outsider],
        ["the voice outside its group", voice.id, peer],
        ["media only named in a text", unsent.id, outsider],
        ["unknown media", uid("nomedia"), peer],
        ["an unknown user", image.id, uid("nobody")],
        ["an id differing in case", image.id.toUpperCase(), peer],
      ];
      for (const [label, mediaId, userId] of refused) expect(await shared(mediaId, userId), label).toBe(false);

      // Removed from the group: no longer sees the voice.
      await store.removeMember(group.id, member, 2);
      expect(await shared(voice.id, member)).toBe(false);
      expect(await shared(image.id, member)).toBe(false);

      // The collector keeps what a message shows; a text that names an id keeps nothing.
      const candidates = (await store.unreferencedMedia(2_000_001, 1000)).map((m) => m.id);
      expect(candidates).toContain(unsent.id);
      expect(candidates).not.toContain(image.id);
      expect(candidates).not.toContain(voice.id);
      expect(await store.deleteUnreferencedMedia(image.id)).toBe(false);
      expect(await store.findMedia(image.id)).toEqual(image);
      expect(await store.deleteUnreferencedMedia(unsent.id)).toBe(true);
    });

    it("stores, finds and revokes invites", async () => {
      const direct = { code: uid("invitecode_direct_"), creatorId: alice, createdAt: 1_000, expiresAt: 2_000 };
      const group = { ...direct, code: uid("invitecode_group__"), conversationId: uid("g") };
      expect(await store.createInvite(direct)).toEqual(direct);
      await store.createInvite(group);
      expect(await store.findInvite(direct.code)).toEqual(direct);
      expect(await store.findInvite(group.code)).toEqual(group);
      expect(await store.findInvite(uid("nocode"))).toBeNull();
      // Codes are case-sensitive names.
      expect(await store.findInvite(direct.code.toUpperCase())).toBeNull();

      expect(await store.revokeInvite(group.code, 1_500)).toBe(true);
      expect(await store.revokeInvite(group.code, 1_700)).toBe(true);
      expect(await store.findInvite(group.code)).toEqual({ ...group, revokedAt: 1_500 });
      expect(await store.findInvite(direct.code)).toEqual(direct);
      expect(await store.revokeInvite(uid("nocode"), 1_500)).toBe(false);
    });
  });
}
