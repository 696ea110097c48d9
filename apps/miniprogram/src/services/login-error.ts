/** A failed login, with what the login page needs to explain it. */
export class LoginError extends Error {
  override name = "LoginError";
  constructor(
    /** The server's error code, or `network` when no answer came, or `wechat_login` when wx.login failed. */
    readonly code: string,
    message: string,
    /** WeChat's errcode (40029 invalid code, 40163 code used, ...) when WeChat refused the code. */
    readonly wechatErrcode?: number,
  ) {
    super(message);
  }
}
