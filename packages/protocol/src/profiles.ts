import * as v from "valibot";
import { codePointLength } from "./limits";
import { UserSchema } from "./model";
import { EntityIdSchema, UserIdSchema } from "./primitives";

/** Limits of profiles (protocol 1.1). */
export const ProfileLimits = {
  /** Longest display name, in code points. */
  MAX_NAME_CODE_POINTS: 32,
  /** Most ids one `GET /v1/users` may ask for. */
  MAX_USER_LOOKUP_IDS: 100,
} as const;

/**
 * True when `text` holds a character a display string refuses: a C0 control
 * (newline and tab included), DEL, a C1 control, a bidi embedding/override
 * (U+202A–U+202E) or isolate (U+2066–U+2069), or a lone surrogate (not
 * well-formed Unicode). Such names could hide or reorder what others read.
 */
export function hasForbiddenDisplayCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f)) return true;
    if ((unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069)) return true;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/** A display name: 1..32 code points, no control or bidi characters. */
export const ProfileNameSchema = v.pipe(
  v.string(),
  v.minLength(1, "name must not be empty"),
  v.check(
    (name) => codePointLength(name) <= ProfileLimits.MAX_NAME_CODE_POINTS,
    `name must be at most ${ProfileLimits.MAX_NAME_CODE_POINTS} characters`,
  ),
  v.check((name) => !hasForbiddenDisplayCharacter(name), "name must not contain control or bidi characters"),
);

/** `PATCH /v1/me`: at least one field; `avatarMediaId: null` removes the avatar. */
export const UpdateProfileRequestSchema = v.pipe(
  v.object({
    name: v.optional(ProfileNameSchema),
    avatarMediaId: v.optional(v.nullable(EntityIdSchema)),
  }),
  v.check((body) => body.name !== undefined || body.avatarMediaId !== undefined, "give name or avatarMediaId"),
);
export const UserResponseSchema = v.object({ user: UserSchema });

/** `GET /v1/users?ids=a,b,c`: 1..100 comma-separated user ids, parsed to a list without repeats. */
export const UsersQuerySchema = v.object({
  ids: v.pipe(
    v.string(),
    v.transform((ids) => ids.split(",")),
    v.array(UserIdSchema),
    v.minLength(1, "ids must not be empty"),
    v.maxLength(ProfileLimits.MAX_USER_LOOKUP_IDS, `at most ${ProfileLimits.MAX_USER_LOOKUP_IDS} ids`),
    v.transform((ids) => [...new Set(ids)]),
  ),
});
export const UsersResponseSchema = v.object({ users: v.array(UserSchema) });

export type UpdateProfileRequest = v.InferOutput<typeof UpdateProfileRequestSchema>;
export type UserResponse = v.InferOutput<typeof UserResponseSchema>;
export type UsersQuery = v.InferOutput<typeof UsersQuerySchema>;
export type UsersResponse = v.InferOutput<typeof UsersResponseSchema>;
