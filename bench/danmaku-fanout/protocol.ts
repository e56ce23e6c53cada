/** Messages between the orchestrator (run.ts) and the load generator (load.ts) over the IPC channel. */

export interface GeneratorConfig {
  /**
   * Base URLs of the server processes, e.g. http://127.0.0.1:PORT. With several, the
   * generator plays the load balancer: connection k (viewer or sender) goes to urls[k % n].
   */
  urls: string[];
  roomId: string;
  clients: number;
  /** Viewers whose frames are fully parsed for latency (the rest are only counted). */
  sampleClients: number;
  /** Danmaku per second sent at steady state. */
  rate: number;
  /** Session tokens of the sender accounts (one connection each, not joined as viewers). */
  senderTokens: string[];
  warmupS: number;
  seconds: number;
  /** Connection attempts in flight while ramping. */
  rampConcurrency: number;
  nonce: boolean;
  /** A sender is not used again sooner than this (the server's per-account interval plus a margin). */
  minSenderGapMs: number;
  /** Seconds to keep listening after sending stops (late frames, outstanding acks). */
  drainS: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface GeneratorResult {
  clientsTarget: number;
  /** Viewers whose connect + room:join succeeded. */
  clientsJoined: number;
  /** Viewers still open at the end of the measurement window. */
  clientsHeldAtEnd: number;
  /** Fewest viewers open at any 500 ms sample during the window. */
  clientsHeldMin: number;
  connectFailures: number;
  disconnectsDuringRun: number;
  sendersConnected: number;
  rampSeconds: number;
  measuredSeconds: number;
  /** Sends attempted / acked ok / failed (by error code) during the measurement window. */
  sent: number;
  /** Sends dropped because the generator fell more than a second behind schedule. */
  skipped: number;
  acceptedOk: number;
  failedByCode: Record<string, number>;
  /** Acks still missing when the generator gave up waiting. */
  acksOutstanding: number;
  /** Danmaku frames (danmaku:batch packets) and items received by all viewers in the window. */
  frames: number;
  items: number;
  /** Send to receipt, over the sampled viewers (the probe process), in ms. */
  latencyMs: LatencySummary;
  /** The latency probe's own state: a busy probe would inflate `latencyMs`. */
  probe: { viewers: number; closed: number; cpuPercent: number; eventLoopDelayP99Ms: number };
  /** Send to ack, in ms. */
  ackLatencyMs: LatencySummary;
  /** Items received per sampled viewer during the window: spread shows drops of volatile frames. */
  itemsPerSampledClient: { min: number; median: number; max: number };
  /** process.cpuUsage over the window (user+system) / wall time; 100 = one core. */
  cpuPercent: number;
  /** Largest event-loop delay seen (ms): a busy generator inflates measured latency. */
  eventLoopDelayMaxMs: number;
  eventLoopDelayP99Ms: number;
  /** Ids of every danmaku acked ok (warm-up included): checked against Postgres. */
  ackedIds: string[];
}

export type GeneratorToParent =
  | { type: 'progress'; text: string }
  | { type: 'measure-start'; at: number }
  | { type: 'measure-end'; at: number }
  | { type: 'result'; result: GeneratorResult }
  | { type: 'fatal'; message: string };

export type ParentToGenerator = { type: 'start'; config: GeneratorConfig } | { type: 'exit' };
