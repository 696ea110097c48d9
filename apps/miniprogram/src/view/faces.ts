import type { People } from "../services/people";
import { type AvatarView, avatarOf, type MediaUrls } from "./avatar";

/** Names and avatars by user id, as view models need them. */
export interface Faces {
  nameOf(id: string): string;
  avatarOf(id: string): AvatarView;
}

/** Ids only (before a session exists, and in unit tests). */
export const idFaces: Faces = {
  nameOf: (id) => id,
  avatarOf: (id) => avatarOf({ id, name: id }, { thumb: () => "", full: () => "" }),
};

export function facesOf(people: People, media: MediaUrls): Faces {
  return {
    nameOf: (id) => people.nameOf(id),
    avatarOf: (id) => avatarOf(people.get(id) ?? { id, name: id }, media),
  };
}
