import {
  assertNever,
  type ConversationFrame,
  type ConversationRemovedFrame,
  type ErrorFrame,
  type MessageFrame,
  type PresenceFrame,
  type ReceiptFrame,
  type ServerFrame,
  type TypingEventFrame,
  type UserFrame,
} from "@mpchat/protocol";

/** What the client does with each frame the server pushes (one that answers no request). */
export interface PushHandlers {
  onMessage(frame: MessageFrame): void;
  onReceipt(frame: ReceiptFrame): void;
  onTyping(frame: TypingEventFrame): void;
  onConversation(frame: ConversationFrame): void;
  onPresence(frame: PresenceFrame): void;
  onUser(frame: UserFrame): void;
  /** The user was removed from a group or left it (on this device or another). */
  onConversationRemoved(frame: ConversationRemovedFrame): void;
  /** An error without a request id (or whose request already timed out). */
  onError(frame: ErrorFrame): void;
}

/**
 * Hands a pushed frame to its handler. The switch names every server frame
 * type and ends in `assertNever`: a frame type added to @mpchat/protocol does
 * not compile until it is handled here (README.md, "Inside the client").
 */
export function routePush(frame: ServerFrame, handlers: PushHandlers): void {
  switch (frame.type) {
    case "message":
      handlers.onMessage(frame);
      return;
    case "receipt":
      handlers.onReceipt(frame);
      return;
    case "typing":
      handlers.onTyping(frame);
      return;
    case "conversation":
      handlers.onConversation(frame);
      return;
    case "presence":
      handlers.onPresence(frame);
      return;
    case "user":
      handlers.onUser(frame);
      return;
    case "conversation_removed":
      handlers.onConversationRemoved(frame);
      return;
    case "error":
      handlers.onError(frame);
      return;
    case "ready":
    case "ack":
    case "batch":
    case "ok":
    case "pong":
      // Answers to requests that already timed out (or an unasked pong): nothing waits for them.
      return;
    default:
      assertNever(frame, "server frame type");
  }
}
