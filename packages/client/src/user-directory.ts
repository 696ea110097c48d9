import { ProfileLimits, type User } from "@mpchat/protocol";

/**
 * The profiles the client knows (names, avatars), kept fresh by `user` pushes.
 * `resolve` asks the server only for the ids it does not know yet, in pages of
 * the server's limit; users the server leaves out (no shared conversation)
 * are not asked for again until `forget`.
 */
export class UserDirectory {
  private readonly users = new Map<string, User>();
  private readonly hidden = new Set<string>();

  constructor(private readonly fetchUsers: (ids: readonly string[]) => Promise<User[]>) {}

  get(id: string): User | undefined {
    return this.users.get(id);
  }

  /** Remembers a profile; true when it differs from what was known. */
  learn(user: User): boolean {
    const known = this.users.get(user.id);
    this.hidden.delete(user.id);
    if (known && known.name === user.name && known.avatarMediaId === user.avatarMediaId) return false;
    this.users.set(user.id, user);
    return true;
  }

  /** The known profiles among `ids`, after asking the server for the unknown ones. */
  async resolve(ids: readonly string[]): Promise<User[]> {
    const unknown = [...new Set(ids)].filter((id) => !this.users.has(id) && !this.hidden.has(id));
    for (let i = 0; i < unknown.length; i += ProfileLimits.MAX_USER_LOOKUP_IDS) {
      const page = unknown.slice(i, i + ProfileLimits.MAX_USER_LOOKUP_IDS);
      const found = await this.fetchUsers(page);
      for (const user of found) this.learn(user);
      for (const id of page) if (!this.users.has(id)) this.hidden.add(id);
    }
    const known: User[] = [];
    for (const id of ids) {
      const user = this.users.get(id);
      if (user) known.push(user);
    }
    return known;
  }

  /** Drops what is known of `id` (a later `resolve` asks again). */
  forget(id: string): void {
    this.users.delete(id);
    this.hidden.delete(id);
  }
}
