/**
 * Tests log in hundreds of times and open many sockets from 127.0.0.1, often
 * for one user: the per-address and per-user limits (and admission control's
 * send queue) are lifted unless a test sets them (the limit tests set small values explicitly).
 */
export const GENEROUS_LIMITS: Record<string, string> = {
  LOGIN_RATE_PER_MINUTE: "1000000",
  HTTP_RATE_PER_MINUTE: "10000000",
  MAX_CONNECTIONS_PER_USER: "10000",
  MAX_UNAUTHENTICATED_PER_ADDRESS: "1000000",
  // Admission control: a loaded CI machine must not make a suite's burst look like overload.
  SEND_QUEUE_LIMIT: "10000000",
  SEND_QUEUE_CONVERSATION_LIMIT: "10000000",
  SEND_QUEUE_MAX_WAIT_MS: "600000",
};
