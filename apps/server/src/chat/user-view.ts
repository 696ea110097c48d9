import type { User } from "@mpchat/protocol";
import type { UserRecord } from "../store/store";

/** A stored user as the protocol shows it: `avatarMediaId` only when set. */
export function toUser(record: UserRecord): User {
  return record.avatarMediaId === undefined
    ? { id: record.id, name: record.name }
    : { id: record.id, name: record.name, avatarMediaId: record.avatarMediaId };
}
