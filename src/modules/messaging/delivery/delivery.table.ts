/** Tables of message delivery (portable column conventions: see src/db/schema.ts). */

/**
 * One row per channel, shared by every worker: a token bucket (`rate_per_second` of the channel)
 * and a circuit breaker that pauses the channel while its gateway is down.
 */
export interface MessageChannelThrottleTable {
  channel_id: string;
  tokens: number;
  refilled_at: string;
  /** While set and in the future, no worker claims messages for this channel. */
  paused_until: string | null;
  /** Consecutive gateway-level failures (drives the pause length). */
  failures: number;
}

export interface DeliveryTables {
  message_channel_throttles: MessageChannelThrottleTable;
}
