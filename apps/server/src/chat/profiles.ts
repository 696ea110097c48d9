import type { UpdateProfileRequest, User } from "@mpchat/protocol";
import { badRequest, forbidden, unauthorized } from "../app-error";
import { publishQuietly } from "../bus/publish-quietly";
import { requireAcceptableName } from "./content-rules";
import type { ChatDeps } from "./deps";
import { toUser } from "./user-view";

/** At most this many recipients per bus event (64-character ids: well under 1 MiB). */
const RECIPIENTS_PER_EVENT = 4096;

/**
 * Profile rules: a user changes their own name and avatar (an image they
 * uploaded), and sees the profiles of themselves and of those they share a
 * conversation with. A change reaches every connection of those people.
 */
export class ProfileService {
  constructor(private readonly deps: Pick<ChatDeps, "store" | "bus" | "log" | "content">) {}

  async me(userId: string): Promise<User> {
    const user = await this.deps.store.getUser(userId);
    if (!user) throw unauthorized("the user of this token no longer exists");
    return toUser(user);
  }

  async update(userId: string, patch: UpdateProfileRequest): Promise<User> {
    if (typeof patch.avatarMediaId === "string") await this.requireOwnImage(userId, patch.avatarMediaId);
    if (patch.name !== undefined) await requireAcceptableName(this.deps, userId, patch.name);
    const updated = await this.deps.store.updateProfile(userId, patch);
    if (!updated) throw unauthorized("the user of this token no longer exists");
    return this.tell(toUser(updated));
  }

  /**
   * Clears the user's avatar if it is still `mediaId` (the media check found it
   * risky) and tells everyone who sees them. False when it was not their avatar.
   */
  async resetAvatar(userId: string, mediaId: string): Promise<boolean> {
    const [current] = await this.deps.store.getUsers([userId]);
    if (current?.avatarMediaId !== mediaId) return false;
    const updated = await this.deps.store.updateProfile(userId, { avatarMediaId: null });
    if (!updated) return false;
    await this.tell(toUser(updated));
    return true;
  }

  /** A `user` push of the changed profile to the user and everyone who shares a conversation with them. */
  private async tell(user: User): Promise<User> {
    const userId = user.id;
    // The user's own other devices hear it too.
    const recipients = [userId, ...(await this.deps.store.contactsOf(userId))];
    // In slices: someone in several large groups has many contacts, and a bus message stays small.
    for (let i = 0; i < recipients.length; i += RECIPIENTS_PER_EVENT) {
      await publishQuietly(this.deps, {
        type: "user",
        recipients: recipients.slice(i, i + RECIPIENTS_PER_EVENT),
        user,
      });
    }
    return user;
  }

  /** The caller and the users among `ids` who share a conversation with the caller, in the order asked. */
  async lookup(callerId: string, ids: readonly string[]): Promise<User[]> {
    const contacts = new Set(await this.deps.store.contactsOf(callerId));
    const visible = ids.filter((id) => id === callerId || contacts.has(id));
    const byId = new Map((await this.deps.store.getUsers(visible)).map((user) => [user.id, user]));
    return visible.flatMap((id) => {
      const user = byId.get(id);
      return user ? [toUser(user)] : [];
    });
  }

  /**
   * Unknown media and another user's media answer the same `forbidden`, so that
   * nobody learns which media ids exist; the caller's own non-image is a bad request.
   */
  private async requireOwnImage(userId: string, mediaId: string): Promise<void> {
    const media = await this.deps.store.findMedia(mediaId);
    if (!media || media.uploaderId !== userId) throw forbidden("avatarMediaId must name an image you uploaded");
    if (media.kind !== "image") throw badRequest("avatarMediaId: the avatar must be an image");
  }
}
