/// <reference types="miniprogram-api-typings" />
import { describe, expect, it } from "vitest";
import type { WxRequestApi, WxSocketApi, WxStorageApi, WxUploadApi } from "../src/adapters/wx-types";

/**
 * The adapters declare the few wx calls they use instead of depending on the
 * typings. This file is checked by `tsc -p tsconfig.test.json`: if the real `wx`
 * stopped being assignable to those declarations, the typecheck would fail.
 */
type Assignable<T, U> = T extends U ? true : false;

describe("wx declarations", () => {
  it("accept the real WechatMiniprogram.Wx", () => {
    const socket: Assignable<WechatMiniprogram.Wx, WxSocketApi> = true;
    const request: Assignable<WechatMiniprogram.Wx, WxRequestApi> = true;
    const storage: Assignable<WechatMiniprogram.Wx, WxStorageApi> = true;
    const upload: Assignable<WechatMiniprogram.Wx, WxUploadApi> = true;
    expect([socket, request, storage, upload]).toEqual([true, true, true, true]);
  });
});
