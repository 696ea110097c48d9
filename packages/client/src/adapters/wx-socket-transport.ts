import type { SocketHandlers, Transport, TransportConnection } from "../ports/transport";
import type { WxSocketApi } from "./wx-types";

/**
 * Transport over `wx.connectSocket`. SocketTask has no readyState and no way to
 * remove listeners, so this adapter tracks "closed" itself and swallows whatever
 * the task reports after it: the client sees exactly one onClose per socket.
 */
export function wxSocketTransport(wx: WxSocketApi, options: { timeoutMs?: number } = {}): Transport {
  return {
    open(url: string, handlers: SocketHandlers): TransportConnection {
      let closed = false;
      const finish = (code: number, reason: string) => {
        if (closed) return;
        closed = true;
        handlers.onClose({ code, reason });
      };
      const connectOption: Parameters<WxSocketApi["connectSocket"]>[0] = {
        url,
        fail: (error) => {
          handlers.onError(error.errMsg);
          finish(1006, error.errMsg);
        },
      };
      if (options.timeoutMs !== undefined) connectOption.timeout = options.timeoutMs;
      const task = wx.connectSocket(connectOption);
      task.onOpen(() => {
        if (!closed) handlers.onOpen();
      });
      task.onMessage((result) => {
        if (!closed && typeof result.data === "string") handlers.onMessage(result.data);
      });
      task.onError((error) => {
        if (closed) return;
        handlers.onError(error.errMsg);
        // WeChat may report an error without a close; the client must see one.
        finish(1006, error.errMsg);
        task.close({ code: 1000, reason: "error" });
      });
      task.onClose((result) => finish(result.code, result.reason));
      return {
        send(text) {
          if (closed) return;
          task.send({
            data: text,
            fail: (error) => {
              if (closed) return;
              handlers.onError(error.errMsg);
              finish(1006, error.errMsg);
              task.close({ code: 1000, reason: "send failed" });
            },
          });
        },
        close(code, reason) {
          if (closed) return;
          task.close({ code, reason });
          // Report the close now: when the runtime is suspended, onClose may come late or never.
          finish(code, reason);
        },
      };
    },
  };
}
