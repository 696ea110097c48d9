import WebSocket from "ws";

/**
 * Source addresses of new sockets, used in turn. Tens of thousands of sockets
 * from one address exhaust its ephemeral ports (and the kernel's search for a
 * free one slows down long before): spread over several 127.0.x.y instead.
 */
let sourceAddresses: readonly string[] = [];
let nextSource = 0;

export function useSourceAddresses(addresses: readonly string[]): void {
  sourceAddresses = addresses;
}

/** Client sockets as the bench opens them: no compression (every server has it off), no UTF-8 re-validation on our side. */
export function openSocket(url: string, timeoutMs = 30_000): Promise<WebSocket> {
  const sourceAddress = sourceAddresses[nextSource++ % Math.max(sourceAddresses.length, 1)];
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      ...(sourceAddress ? { localAddress: sourceAddress } : {}),
    });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`connect timeout: ${url}`));
    }, timeoutMs);
    socket.once("open", () => {
      clearTimeout(timer);
      socket.off("error", onError);
      // Later errors surface as a close; keep an error listener so they never throw.
      socket.on("error", () => {});
      resolve(socket);
    });
    const onError = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    socket.once("error", onError);
  });
}

/** The next text frame on `socket` that `accept` returns a value for. */
export function nextFrame<T>(
  socket: WebSocket,
  accept: (frame: Buffer) => T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error("timed out waiting for a frame"));
    }, timeoutMs);
    const onMessage = (data: Buffer) => {
      const value = accept(data);
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const onClose = (code: number, reason: Buffer) => {
      cleanup();
      reject(new Error(`socket closed (${code} ${reason.toString()}) while waiting for a frame`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      socket.off("message", onMessage);
      socket.off("close", onClose);
    };
    socket.on("message", onMessage);
    socket.on("close", onClose);
  });
}

/** Runs `task` over `items` with at most `limit` at once, keeping result order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Closes every socket and waits (bounded) for the closes. */
export async function closeAll(sockets: readonly (WebSocket | undefined)[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (!socket || socket.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            socket.terminate();
            resolve();
          }, 2000);
          socket.once("close", () => {
            clearTimeout(timer);
            resolve();
          });
          socket.terminate();
        }),
    ),
  );
}

export function bufferedBytes(sockets: readonly (WebSocket | undefined)[]): number {
  let total = 0;
  for (const socket of sockets) total += socket?.bufferedAmount ?? 0;
  return total;
}
