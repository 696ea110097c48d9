import type { ConnectionKeeper, KeeperHooks } from "./connection-keeper";
import { ChatError, describeError } from "./errors";
import type { ChatEmit } from "./events";
import type { ResolvedOptions } from "./options";
import type { RestApi } from "./rest-api";
import { TokenRefresher } from "./token-refresher";

/** The parts of a ChatClient the token side talks to (getters: they are built after it). */
export interface TokenLinks {
  rest(): RestApi;
  keeper(): ConnectionKeeper;
  emit: ChatEmit;
}

export interface TokenWiring {
  tokens: TokenRefresher;
  /** The keeper's hooks for token trouble. */
  keeperHooks: Pick<KeeperHooks, "onUnauthorized" | "onTokenError">;
}

/**
 * The token side of a ChatClient (protocol 1.1, Session), wired: the refresher
 * refreshes over REST and re-auths the keeper's open socket; a refused refresh
 * stops the keeper as a refused token does; every token event reaches the app.
 */
export function wireTokens(options: ResolvedOptions, links: TokenLinks): TokenWiring {
  const { emit } = links;
  const tokens = new TokenRefresher(
    {
      ...options,
      initial: options.appToken,
      refresh: () => links.rest().refresh(),
      reauth: async (fresh) => {
        await links.keeper().connection?.request({ type: "auth", token: fresh }, "ready");
      },
    },
    {
      onToken: (event) => emit("token", event),
      onRefused: (message) => links.keeper().refuse(message),
      onError: (error) => emit("error", error),
    },
  );
  return {
    tokens,
    keeperHooks: {
      onUnauthorized: (message) => {
        // A refused token is not refreshed again; the next connect() asks the app.
        tokens.forget();
        emit("unauthorized", { message });
      },
      onTokenError: (error) => emit("error", new ChatError("unauthorized", describeError(error))),
    },
  };
}
