import type { ServerFrame } from "@mpchat/protocol";
import type { BusEvent } from "../bus/bus";
import type { ConnectionRegistry, Outlet } from "./registry";
import { WireFrame } from "./wire-frame";

/** The frame a bus event becomes, minus its routing (recipients). */
function frameOf(event: Exclude<BusEvent, { type: "conversation" }>): ServerFrame {
  switch (event.type) {
    case "message":
      return { type: "message", conversationId: event.conversationId, message: event.message };
    case "receipt":
      return { type: "receipt", conversationId: event.conversationId, userId: event.userId, seq: event.seq };
    case "typing":
      return { type: "typing", conversationId: event.conversationId, userId: event.userId };
    case "presence":
      return { type: "presence", userId: event.userId, online: event.online };
    case "user":
      return { type: "user", user: event.user };
  }
}

/**
 * Delivers a bus event to this instance's sockets; returns how many sockets it was written to. The frame is serialized ONCE
 * into a WireFrame (WebSocket header included) and that same buffer is written to every recipient socket.
 * Conversation events differ per member (unread, readSeq), so each view is its own.
 */
export function fanOut(registry: ConnectionRegistry<Outlet>, event: BusEvent): number {
  if (event.type === "conversation") {
    let written = 0;
    for (const view of event.views) {
      const frame = new WireFrame(JSON.stringify({ type: "conversation", conversation: view.conversation }));
      written += registry.deliver([view.userId], frame);
    }
    return written;
  }
  return registry.deliver(event.recipients, new WireFrame(JSON.stringify(frameOf(event))));
}
