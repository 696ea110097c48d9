import type { LoginError } from "../../services/login-error";
import { strings } from "../../strings";

/** The sentence the login page shows for a failed login. */
export function describeLoginError(error: unknown): string {
  const failure = error as Partial<LoginError> | undefined;
  if (failure?.wechatErrcode !== undefined) {
    return strings.wechatErrors[String(failure.wechatErrcode)] ?? `${strings.login.failed}（${failure.wechatErrcode}）`;
  }
  switch (failure?.code) {
    case "network":
    case "timeout":
      return strings.login.networkFailed;
    case "wechat_login":
      return strings.login.wechatLoginFailed;
    case "not_found":
      return strings.login.devDisabled;
    case "bad_request":
      return strings.login.invalidUserId;
    default:
      return strings.login.failed;
  }
}

/** The user ids the server accepts (docs/protocol.md): checked here so the user sees why at once. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
