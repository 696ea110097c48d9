import type { ServerFrame } from "@mpchat/protocol";
import type { BusEvent } from "../bus/bus";
import { ownFields } from "../chat/views";
import type { ConnectionRegistry, Outlet } from "./registry";
import { WireFrame } from "./wire-frame";

/** The frame a bus event becomes, minus its routing (recipients). */
function frameOf(
  event: Exclude<BusEvent, { type: "conversation" | "members_removed" | "session_ended" | "connection_replaced" }>,
): ServerFrame {
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
 * Conversation events differ per member (readSeq, unread, lastMentionSeq, settings): their shared body is serialized once, and only for
 * members connected here is a frame made (body plus that member's own fields).
 */
export function fanOut(registry: ConnectionRegistry<Outlet>, event: BusEvent): number {
  if (event.type === "conversation") return fanOutConversation(registry, event);
  if (event.type === "members_removed") {
    const frame = { type: "conversation_removed", conversationId: event.conversationId, reason: event.reason };
    return registry.deliver(event.userIds, new WireFrame(JSON.stringify(frame)));
  }
  // Not a push: the gateway closes the session's sockets itself.
  if (event.type === "session_ended" || event.type === "connection_replaced") return 0;
  return registry.deliver(event.recipients, new WireFrame(JSON.stringify(frameOf(event))));
}

function fanOutConversation(
  registry: ConnectionRegistry<Outlet>,
  event: Extract<BusEvent, { type: "conversation" }>,
): number {
  let head: string | undefined;
  let written = 0;
  for (const part of event.members) {
    if (!registry.isOnline(part.userId)) continue;
    // `{"type":"conversation","conversation":{…shared` without its closing brace; the member's fields follow.
    head ??= `{"type":"conversation","conversation":${JSON.stringify(event.conversation).slice(0, -1)}`;
    const own = `,${JSON.stringify(ownFields(part)).slice(1)}}`;
    written += registry.deliver([part.userId], new WireFrame(head + own));
  }
  return written;
}
