/**
 * Simulated users send faster than people: the server's per-connection send limit
 * (20/s) is not what the send-path scenarios measure, so their servers lift it.
 */
export const LIFTED_SEND_LIMITS = { SEND_RATE_PER_SECOND: "100000", SEND_BURST: "100000" } as const;
