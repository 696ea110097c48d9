import type { Message } from "@mpchat/protocol";
import { and, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import { clientKey, planAppend } from "../append-plan";
import { isQuietBody, type MessageRow, recallTargetOf, toMessage } from "../message-row";
import type { AppendInput, AppendResult } from "../store";
import type { MysqlDb } from "./mysql-connections";
import type { PreparedStatements } from "./mysql-prepared";
import { conversations, members, messageMedia, messages } from "./schema";

/**
 * One statement's JSON payload stays below this many characters: MariaDB's
 * default max_allowed_packet is 16 MiB, and 500 texts of 4000 escaped
 * characters could come close. Typical batches fit in one statement.
 */
const MAX_PAYLOAD_CHARS = 4 * 1024 * 1024;

/** JSON_TABLE string columns: utf8mb4 with the binary collation, exactly like the table columns they meet. */
const ID = sql`varchar(64) character set utf8mb4 collate utf8mb4_bin`;

/**
 * One group-commit batch inside a transaction. Seqs stay dense across
 * processes because the conversation rows are locked first (SELECT … FOR
 * UPDATE, in primary-key order so that two batches cannot deadlock on them);
 * whatever a previous lock holder stored is committed by then, so the unique
 * key on (sender_id, client_msg_id) catches any repeat in the INSERT and, with
 * `checkStored`, the lookup after the lock returns the originals (see
 * withOptimisticDedupe). Three statements per batch between BEGIN and COMMIT,
 * whatever its size (four when it has media messages: their `message_media` rows).
 *
 * Each statement takes its rows as ONE JSON parameter, unpacked by
 * JSON_TABLE, and runs as a prepared statement: the text stays short and
 * constant (parsed once per connection instead of carrying thousands of
 * placeholders or escaped values), and values never become SQL text. The
 * joins name JSON_TABLE first (STRAIGHT_JOIN): MariaDB guesses 40 rows for a
 * JSON_TABLE and, while a table is small, would rather scan the whole table
 * once per JSON row than look each row up by its primary key.
 */
export async function appendInTransaction(
  tx: MysqlDb,
  prepared: PreparedStatements,
  batch: readonly AppendInput[],
  checkStored: boolean,
): Promise<AppendResult[]> {
  const conversationIds = [...new Set(batch.map((m) => m.conversationId))].sort();
  // Rows are locked in the JSON array's order, which is sorted.
  const counters = await prepared.rows<{ id: string; lastSeq: number }>(sql`
    select ${conversations.id} as id, ${conversations.lastSeq} as lastSeq
    from json_table(${JSON.stringify(conversationIds)}, '$[*]' columns (id ${ID} path '$')) as wanted
    straight_join ${conversations} on ${conversations.id} = wanted.id
    for update`);
  const lastSeqOf = new Map(counters.map((c) => [c.id, Number(c.lastSeq)]));

  const stored = checkStored ? await storedDuplicates(tx, batch) : new Map();
  const plan = planAppend(batch, lastSeqOf, stored, await storedRecalls(tx, batch));
  if (plan.inserts.length === 0) return plan.results;

  const rows = plan.inserts.map((m) =>
    JSON.stringify([
      m.id,
      m.conversationId,
      m.seq,
      m.senderId,
      m.clientMsgId,
      JSON.stringify(m.body),
      m.createdAt,
      isQuietBody(m.body) ? 1 : 0,
      recallTargetOf(m.body),
    ]),
  );
  for (const payload of jsonArrays(rows)) {
    await prepared.run(sql`
      insert into ${messages} (id, conversation_id, seq, sender_id, client_msg_id, body, created_at, quiet, recall_of)
      select id, conversation_id, seq, sender_id, client_msg_id, body, created_at, quiet, recall_of
      from json_table(${payload}, '$[*]' columns (
        id ${ID} path '$[0]', conversation_id ${ID} path '$[1]', seq bigint path '$[2]',
        sender_id ${ID} path '$[3]', client_msg_id ${ID} path '$[4]',
        body mediumtext character set utf8mb4 collate utf8mb4_bin path '$[5]', created_at bigint path '$[6]',
        quiet tinyint path '$[7]', recall_of ${ID} path '$[8]'
      )) as batch`);
  }
  // The counters and the senders' read cursors in one statement: each conversation's row
  // carries its cursors (NESTED PATH), and the LEFT JOIN keeps a conversation without one.
  const cursorsOf = new Map<string, [string, number][]>();
  for (const c of plan.readCursors) {
    const list = cursorsOf.get(c.conversationId);
    if (list) list.push([c.userId, c.seq]);
    else cursorsOf.set(c.conversationId, [[c.userId, c.seq]]);
  }
  const bumps = JSON.stringify(
    plan.conversations.map((c) => [c.id, c.lastSeq, c.updatedAt, c.mentionAllSeq, cursorsOf.get(c.id) ?? []]),
  );
  await prepared.run(sql`
    update json_table(${bumps}, '$[*]' columns (id ${ID} path '$[0]', last_seq bigint path '$[1]', updated_at bigint path '$[2]', mention_all_seq bigint path '$[3]',
        nested path '$[4][*]' columns (user_id ${ID} path '$[0]', seq bigint path '$[1]'))) as bump
    straight_join ${conversations} on ${conversations.id} = bump.id
    left join ${members} on ${members.conversationId} = bump.id and ${members.userId} = bump.user_id
    set ${conversations.lastSeq} = bump.last_seq, ${conversations.updatedAt} = greatest(${conversations.updatedAt}, bump.updated_at),
      ${conversations.lastMentionAllSeq} = greatest(${conversations.lastMentionAllSeq}, bump.mention_all_seq),
      ${members.readSeq} = greatest(${members.readSeq}, bump.seq)`);
  if (plan.mediaRefs.length > 0) {
    const refs = JSON.stringify(plan.mediaRefs.map((r) => [r.conversationId, r.seq, r.mediaId]));
    await prepared.run(sql`
      insert into ${messageMedia} (conversation_id, seq, media_id)
      select conversation_id, seq, media_id
      from json_table(${refs}, '$[*]' columns (conversation_id ${ID} path '$[0]', seq bigint path '$[1]', media_id ${ID} path '$[2]')) as shown`);
  }
  if (plan.recalls.length > 0) {
    // The original keeps its seq, sender and time; its body becomes `recalled` and stops counting as unread.
    const recalled = JSON.stringify(plan.recalls.map((r) => [r.conversationId, r.messageId, JSON.stringify(r.body)]));
    // A recalled message shows its media no more: members lose access, and the collector may delete it.
    await prepared.run(sql`
      delete ${messageMedia} from json_table(${recalled}, '$[*]' columns (conversation_id ${ID} path '$[0]', id ${ID} path '$[1]')) as recalled
      straight_join ${messages} on ${messages.conversationId} = recalled.conversation_id and ${messages.id} = recalled.id
      straight_join ${messageMedia} on ${messageMedia.conversationId} = ${messages.conversationId} and ${messageMedia.seq} = ${messages.seq}`);
    await prepared.run(sql`
      update json_table(${recalled}, '$[*]' columns (conversation_id ${ID} path '$[0]', id ${ID} path '$[1]',
        body mediumtext character set utf8mb4 collate utf8mb4_bin path '$[2]')) as recalled
      straight_join ${messages} on ${messages.conversationId} = recalled.conversation_id and ${messages.id} = recalled.id
      set ${messages.body} = recalled.body, ${messages.quiet} = true`);
  }
  if (plan.mentions.length > 0) {
    const mentioned = JSON.stringify(plan.mentions.map((m) => [m.conversationId, m.userId, m.seq]));
    await prepared.run(sql`
      update json_table(${mentioned}, '$[*]' columns (conversation_id ${ID} path '$[0]', user_id ${ID} path '$[1]', seq bigint path '$[2]')) as mentioned
      straight_join ${members} on ${members.conversationId} = mentioned.conversation_id and ${members.userId} = mentioned.user_id
      set ${members.lastMentionSeq} = greatest(${members.lastMentionSeq}, mentioned.seq)`);
  }
  return plan.results;
}

/** The recall messages already stored for the batch's recall targets, by target id (no query without recalls). */
async function storedRecalls(tx: MysqlDb, batch: readonly AppendInput[]): Promise<Map<string, Message>> {
  const targets = batch.map((m) => recallTargetOf(m.body)).filter((id) => id !== null);
  if (targets.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(messages)
    .where(and(isNotNull(messages.recallOf), inArray(messages.recallOf, targets)));
  return new Map(rows.flatMap((r) => (r.recallOf === null ? [] : [[r.recallOf, toMessage(r)] as const])));
}

/** JSON arrays of the given JSON values, each under MAX_PAYLOAD_CHARS (one value may exceed it alone). */
function jsonArrays(values: readonly string[]): string[] {
  const arrays: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const value of values) {
    if (current.length > 0 && size + value.length + 1 > MAX_PAYLOAD_CHARS) {
      arrays.push(`[${current.join(",")}]`);
      current = [];
      size = 0;
    }
    current.push(value);
    size += value.length + 1;
  }
  if (current.length > 0) arrays.push(`[${current.join(",")}]`);
  return arrays;
}

/** Messages already stored under the batch's (senderId, clientMsgId) keys. */
async function storedDuplicates(tx: MysqlDb, batch: readonly AppendInput[]) {
  const keys = new Map(batch.map((m) => [clientKey(m.senderId, m.clientMsgId), m]));
  const rows: MessageRow[] = await tx
    .select()
    .from(messages)
    .where(
      or(
        ...[...keys.values()].map((m) =>
          and(eq(messages.senderId, m.senderId), eq(messages.clientMsgId, m.clientMsgId)),
        ),
      ),
    );
  return new Map(rows.map((r) => [clientKey(r.senderId, r.clientMsgId), toMessage(r)]));
}
