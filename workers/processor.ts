import type { Job } from 'bullmq';
import type { Deps } from '../server/deps.js';

/** A processor is just `(job) => Promise<result>`, built from deps (BullMQ's shape). */
export type Processor = (job: Job) => Promise<unknown>;

export interface ProcessorSpec {
  queue: string;
  create(deps: Deps): Processor;
  /** Repeating jobs this queue owns, upserted when the workers start. */
  schedules?: Array<{ id: string; everyMs: number; data: Record<string, unknown> }>;
}
