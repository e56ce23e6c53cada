import type { Summary } from '../kit/stats.js';

/** Messages between the orchestrator (run.ts) and the HTTP load generator (load.ts). */
export interface HttpItem {
  method: 'POST';
  path: string;
  token: string;
  body: unknown;
}

export interface BatchConfig {
  label: string;
  url: string;
  items: HttpItem[];
  concurrency: number;
  /** Stop issuing new requests after this long (the batch then reports what it did). */
  budgetMs: number;
}

export interface BatchResult {
  label: string;
  issued: number;
  /** HTTP status per item (0 = not issued or network error). */
  status: number[];
  /** Proposal id from the answer, per item (submits). */
  proposalId: Array<string | null>;
  /** Epoch ms when each answer arrived (0 = none). */
  answeredAt: number[];
  errorsByCode: Record<string, number>;
  latencyMs: Summary;
  startedAt: number;
  finishedAt: number;
  cpuPercent: number;
  eventLoopDelayP99Ms: number;
}

export type GenToParent = { type: 'progress'; text: string } | { type: 'done'; result: BatchResult } | { type: 'fatal'; message: string };
export type ParentToGen = { type: 'batch'; config: BatchConfig } | { type: 'exit' };
