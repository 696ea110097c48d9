import type { ReadyFrame } from "@mpchat/protocol";
import type { Connection } from "./connection";
import { ConnectionKeeper } from "./connection-keeper";
import { Emitter } from "./emitter";
import type { ChatEmit, ChatEvents, ConnectionState } from "./events";
import { Inbox } from "./inbox";
import { type ChatClientOptions, resolveOptions } from "./options";
import { People } from "./people";
import { type PushHandlers, routePush } from "./push-router";
import { ReadCursors } from "./read-cursors";
import { replyFrom } from "./reply-preview";
import { RestApi } from "./rest-api";
import { Resumer } from "./resumer";
import { SendTracker } from "./send-tracker";
import type { TokenRefresher } from "./token-refresher";
import { wireTokens } from "./token-wiring";
import { TypingSender } from "./typing-sender";

/** The parts of a ChatClient, wired to each other; the ChatClient is the API over them. */
export interface ClientParts {
  events: Emitter<ChatEvents>;
  rest: RestApi;
  tokens: TokenRefresher;
  keeper: ConnectionKeeper;
  inbox: Inbox;
  people: People;
  sends: SendTracker;
  reads: ReadCursors;
  typing: TypingSender;
  /** The authenticated user, once the first `ready` arrived. */
  userId(): string | undefined;
  /** How long after sending a message its sender may recall it, as the last `ready` said (1.1 servers). */
  recallWindowMs(): number | undefined;
  state(): ConnectionState;
}

/**
 * Builds every part from the options and connects their hooks: who learns of
 * a `ready`, a lost connection, a push, a state change. Parts reach the ones
 * built after them through getters (`keeper` is built last: it can start
 * nothing before `connect()`).
 */
export function wireClient(options: ChatClientOptions): ClientParts {
  const o = resolveOptions(options);
  const events = new Emitter<ChatEvents>();
  const emit: ChatEmit = (event, payload) => events.emit(event, payload);
  let me: string | undefined;
  let state: ConnectionState = "offline";
  const userId = () => me;
  let recallWindowMs: number | undefined;
  const connection = () => keeper.connection;

  const { tokens, keeperHooks } = wireTokens(o, { rest: () => rest, keeper: () => keeper, emit });
  // Every connect and HTTP call takes the freshest token: the refreshed one, else the app's.
  const getToken = () => tokens.current();
  const { httpBase, http, timers, requestTimeoutMs: timeoutMs } = o;
  const rest = new RestApi({ httpBase, http, getToken, timers, timeoutMs });
  const inbox: Inbox = new Inbox({ ...o, rest, connection, userId, online: () => resumer.online, emit });
  const people = new People({ rest, emit });
  const resumer = new Resumer({ ...o, inbox, refuse: (message) => keeper.refuse(message), emit });
  const sends = new SendTracker({
    ...o,
    getToken,
    userId,
    emit,
    deliver: (m) => inbox.deliver(m.conversationId, [m]),
    replyTo: (conversationId, seq) => {
      const original = inbox.messages(conversationId).find((m) => m.seq === seq);
      return original && replyFrom(original);
    },
  });
  const reads = new ReadCursors(connection);
  const typing = new TypingSender({ connection, now: o.now, throttleMs: o.typingThrottleMs });

  // Each pushed frame goes to the part whose state it changes (push-router.ts names every type).
  const pushes: PushHandlers = {
    onMessage: (frame) => inbox.onMessage(frame),
    onReceipt: (frame) => inbox.onReceipt(frame),
    onTyping: (frame) => inbox.onTyping(frame),
    onConversation: (frame) => inbox.onConversation(frame),
    onPresence: (frame) => people.onPresence(frame),
    onUser: (frame) => people.onUser(frame),
    onConversationRemoved: (frame) => inbox.onConversationRemoved(frame),
    onError: (frame) => inbox.onError(frame),
  };
  /** After every (re)connect: resend the outbox and read cursors, then resume (list, sync). */
  const onReady = (socket: Connection, ready: ReadyFrame, generation: number) => {
    me = ready.userId;
    recallWindowMs = ready.recallWindowMs;
    tokens.learnExpiry(ready.tokenExpiresAt);
    sends.online(socket);
    reads.flushAll();
    resumer.start(generation);
  };
  const keeper: ConnectionKeeper = new ConnectionKeeper(
    { ...o, getToken },
    {
      ...keeperHooks,
      onReady,
      onPush: (frame) => routePush(frame, pushes),
      onLost: () => {
        resumer.stop();
        sends.offline();
      },
      onState: (event) => {
        state = event.state;
        emit("state", event);
      },
    },
  );
  return {
    events,
    rest,
    tokens,
    keeper,
    inbox,
    people,
    sends,
    reads,
    typing,
    userId,
    recallWindowMs: () => recallWindowMs,
    state: () => state,
  };
}
