import { describe } from "vitest";
import { describeBadInput } from "./bad-input";
import { describeContent } from "./content";
import { describeConversationsAndUnread } from "./conversations-unread";
import { describeDurableAndIdempotent } from "./durable-idempotent";
import type { SuiteKind } from "./fixture";
import { describeFlood } from "./flood";
import { describeIdentityAndMembership } from "./identity-membership";
import { describeOrderAndDelivery } from "./order-delivery";
import { describeRecallMessages } from "./recall-messages";
import { describeGracefulShutdown } from "./shutdown";
import { describeSystemMessages } from "./system-messages";

/**
 * The seven guarantees of docs/protocol.md, end to end (real server on port 0,
 * real `ws` clients, a fresh database), as one suite that each store runs, and
 * a cluster: three instances on one MySQL database and one Redis, with each
 * client connection and HTTP call on the next instance (fixture.ts).
 * Each part starts its own server(s), so that limits can differ per part.
 *
 * Run: `cd apps/server && npx vitest run test/contract` (add
 * MYSQL_URL=mysql://root@127.0.0.1:3306/test for the MariaDB half, and
 * REDIS_URL=redis://127.0.0.1:6379 too for the cluster; each part creates a
 * fresh database, and Redis prefix, and drops them after).
 */
export function defineGuaranteeSuite(store: SuiteKind): void {
  describe(`guarantees (${store})`, () => {
    describeDurableAndIdempotent(store);
    describeOrderAndDelivery(store);
    describeRecallMessages(store);
    describeIdentityAndMembership(store);
    describeContent(store);
    describeBadInput(store);
    describeFlood(store);
    describeConversationsAndUnread(store);
    describeSystemMessages(store);
    describeGracefulShutdown(store);
  });
}
