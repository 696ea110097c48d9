import type { PresenceFrame, User, UserFrame } from "@mpchat/protocol";
import type { ChatEmit } from "./events";
import type { RestApi } from "./rest-api";
import { UserDirectory } from "./user-directory";

export interface PeopleSettings {
  rest: RestApi;
  emit: ChatEmit;
}

/** What the client knows of the people it sees: presence and profiles, kept fresh by pushes (`presence`, `user` events). */
export class People {
  private readonly presence = new Map<string, boolean>();
  /** Names and avatars of the people the user sees, kept fresh by `user` pushes. */
  readonly users: UserDirectory;

  constructor(private readonly settings: PeopleSettings) {
    this.users = new UserDirectory((ids) => settings.rest.getUsers(ids));
  }

  onPresence(frame: PresenceFrame): void {
    this.presence.set(frame.userId, frame.online);
    this.settings.emit("presence", { userId: frame.userId, online: frame.online });
  }

  onUser(frame: UserFrame): void {
    this.learnUser(frame.user);
  }

  /** A profile from a push or an answer: a `user` event when it changed. */
  learnUser(user: User): void {
    if (this.users.learn(user)) this.settings.emit("user", user);
  }

  /** Last known presence of a user (false when unknown). */
  isOnline(userId: string): boolean {
    return this.presence.get(userId) ?? false;
  }
}
