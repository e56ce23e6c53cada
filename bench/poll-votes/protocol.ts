import type { Summary } from '../kit/stats.js';

/** Messages between the orchestrator (run.ts) and the load generator (load.ts). */
export interface PollLoadConfig {
  url: string;
  roomId: string;
  adminToken: string;
  accounts: Array<{ id: string; token: string }>;
  question: string;
  options: string[];
  /** Share of voters choosing each option (sums to 1). */
  weights: number[];
  durationMs: number;
  /** Votes are spread uniformly over this window after the poll opens. */
  spreadMs: number;
  /** Share of voters who double-submit (a second vote, for another option, right after the first). */
  doubleShare: number;
  rampConcurrency: number;
  seed: number;
  openWaitMs: number;
  ackTimeoutMs: number;
  closedWaitMs: number;
  /** Run the race round (close halfway through the votes). */
  race: boolean;
  ceiling: { enabled: boolean; databaseUrl: string; schema: string; poolSize: number; votes: number };
}

export type Mark = 'connect-start' | 'connect-end' | 'vote-start' | 'vote-end' | 'close-start' | 'close-end' | 'race-start' | 'race-end' | 'ceiling-start' | 'ceiling-end';

export interface CeilingRun {
  name: string;
  what: string;
  votes: number;
  inserted: number;
  seconds: number;
  perS: number;
  latencyMs: Summary;
}

/** One poll: opened, voted on by every client, closed. */
export interface RoundResult {
  pollId: string;
  openedReceived: number;
  openFanoutMs: Summary;
  votesSent: number;
  voters: number;
  doubleSubmitters: number;
  okAcks: number;
  errorsByCode: Record<string, number>;
  /** first send -> last ack */
  voteWindowMs: number;
  sendWindowMs: number;
  /** null: closed 1 s after the last ack; else: closed this long after the first vote. */
  closeAfterMs: number | null;
  ackLatencyMs: Summary;
  /** Ack latency per outcome: 'ok' or the error code. */
  ackLatencyMsByOutcome: Record<string, Summary>;
  /** ok acks per 100 ms bucket from the first send. */
  acksPer100ms: number[];
  accountsWithTwoOkAcks: number;
  okByOption: Record<string, number>;
  okUserIds: string[];
  updatesPerClient: Summary;
  /** poll:update packets of this poll that reached a client after its poll:closed. */
  lateUpdates: { clients: number; packets: number };
  close: { httpMs: number; status: number; total: number | null; tallies: Record<string, number> | null };
  closedReceived: number;
  /** poll:closed arrival at each client - moment the close request was sent. */
  closedLatencyMs: Summary;
  /** Distinct {tallies,total} payloads seen in poll:closed across clients (1 = everyone saw the same). */
  closedPayloadVariants: Array<{ total: number; tallies: Record<string, number>; clients: number }>;
  get: { total: number | null; tallies: Record<string, number> | null };
}

export interface PollLoadResult {
  clientsTarget: number;
  clientsJoined: number;
  connectFailures: Record<string, number>;
  connectSeconds: number;
  connectLatencyMs: Summary;
  disconnects: number;
  main: RoundResult;
  race: RoundResult | null;
  generatorCpuPercent: { connect: number; vote: number; close: number };
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  ceiling: CeilingRun[];
}

export type GenToParent =
  | { type: 'progress'; text: string }
  | { type: 'mark'; mark: Mark; pollId?: string }
  | { type: 'result'; result: PollLoadResult }
  | { type: 'fatal'; message: string };

export type ParentToGen = { type: 'start'; config: PollLoadConfig } | { type: 'exit' };
