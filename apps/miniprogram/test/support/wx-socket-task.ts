import WebSocket from "ws";
import { activity } from "./activity";

/** The shape of WeChat's SocketTask that the app uses. */
export interface SocketTaskShim {
  send(option: { data: string | ArrayBuffer; fail?: (error: { errMsg: string }) => void; success?: () => void }): void;
  close(option?: { code?: number; reason?: string }): void;
  onOpen(listener: (result: { header: Record<string, string> }) => void): void;
  onMessage(listener: (result: { data: string | ArrayBuffer }) => void): void;
  onClose(listener: (result: { code: number; reason: string }) => void): void;
  onError(listener: (result: { errMsg: string }) => void): void;
}

interface Listeners {
  open: Array<(result: { header: Record<string, string> }) => void>;
  message: Array<(result: { data: string | ArrayBuffer }) => void>;
  close: Array<(result: { code: number; reason: string }) => void>;
  error: Array<(result: { errMsg: string }) => void>;
}

/** A SocketTask: listeners added after creation (as the app does), callbacks pulse `activity`. */
function socketTask(
  listeners: Listeners,
  send: SocketTaskShim["send"],
  close: SocketTaskShim["close"],
): SocketTaskShim {
  return {
    send,
    close,
    onOpen: (listener) => listeners.open.push(listener),
    onMessage: (listener) => listeners.message.push(listener),
    onClose: (listener) => listeners.close.push(listener),
    onError: (listener) => listeners.error.push(listener),
  };
}

function emitter(listeners: Listeners) {
  return <K extends keyof Listeners>(kind: K, result: Parameters<Listeners[K][number]>[0]) => {
    for (const listener of listeners[kind]) (listener as (r: typeof result) => void)(result);
    activity.pulse();
  };
}

const noListeners = (): Listeners => ({ open: [], message: [], close: [], error: [] });

/** wx.connectSocket over the `ws` package: a real socket to the test server. */
export function openSocketTask(
  url: string,
  sockets: Set<WebSocket>,
  rewrite: (text: string) => string = (text) => text,
): SocketTaskShim {
  const listeners = noListeners();
  const emit = emitter(listeners);
  const ws = new WebSocket(url);
  sockets.add(ws);
  ws.on("open", () => emit("open", { header: {} }));
  ws.on("message", (data, isBinary) =>
    emit("message", { data: isBinary ? new Uint8Array(data as Buffer).buffer : rewrite(String(data)) }),
  );
  ws.on("error", (error) => emit("error", { errMsg: error.message }));
  ws.on("close", (code, reason) => {
    sockets.delete(ws);
    emit("close", { code, reason: reason.toString() });
  });
  return socketTask(
    listeners,
    (option) => {
      if (ws.readyState !== WebSocket.OPEN) {
        setImmediate(() => option.fail?.({ errMsg: "sendSocketMessage:fail socket is not connected" }));
        return;
      }
      ws.send(option.data, (error) =>
        setImmediate(() =>
          error ? option.fail?.({ errMsg: `sendSocketMessage:fail ${error.message}` }) : option.success?.(),
        ),
      );
    },
    (option = {}) => ws.close(option.code ?? 1000, option.reason),
  );
}

/** wx.connectSocket without a network: as WeChat does, an error and a close follow. */
export function failedSocketTask(why: string): SocketTaskShim {
  const listeners = noListeners();
  const emit = emitter(listeners);
  setImmediate(() => {
    emit("error", { errMsg: `connectSocket:fail ${why}` });
    emit("close", { code: 1006, reason: why });
  });
  return socketTask(
    listeners,
    (option) => setImmediate(() => option.fail?.({ errMsg: "sendSocketMessage:fail socket is not connected" })),
    () => undefined,
  );
}
