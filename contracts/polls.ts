import { z } from 'zod';
import { plainText } from './text.js';

export const POLL_MIN_MS = 10_000;
export const POLL_MAX_MS = 30 * 60_000;

export const CreatePollInput = z
  .strictObject({
    question: plainText(1, 200),
    options: z.array(plainText(1, 80)).min(2).max(6),
    kind: z.enum(['single', 'multi']).default('single'),
    /** For multi polls: how many options a voter may pick (default: all). */
    maxChoices: z.number().int().min(1).max(6).optional(),
    durationMs: z.number().int().min(POLL_MIN_MS).max(POLL_MAX_MS),
    resultsVisibility: z.enum(['live', 'after_close']).default('live'),
    /** Opens by itself when the premiere reaches this moment (and appears there in the replay). */
    atOffsetMs: z.number().int().min(0).max(12 * 3600 * 1000).optional(),
  })
  .refine((p) => new Set(p.options.map((o) => o.toLowerCase())).size === p.options.length, { message: 'options must differ', path: ['options'] })
  .refine((p) => p.maxChoices === undefined || p.maxChoices <= p.options.length, { message: 'maxChoices is more than the options', path: ['maxChoices'] })
  .refine((p) => p.kind === 'multi' || p.maxChoices === undefined || p.maxChoices === 1, { message: 'a single-choice poll has maxChoices 1', path: ['maxChoices'] });
export type CreatePollInput = z.input<typeof CreatePollInput>;

export const PollVoteInput = z.strictObject({
  pollId: z.uuid(),
  optionIds: z.array(z.string().regex(/^o[1-6]$/, 'an option id like o1')).min(1).max(6),
});

export const PollIdParam = z.uuid();

export type PollStatus = 'draft' | 'open' | 'closed';

export interface Poll {
  id: string;
  roomId: string;
  question: string;
  options: Array<{ id: string; text: string }>;
  kind: 'single' | 'multi';
  maxChoices: number;
  status: PollStatus;
  durationMs: number;
  opensAt: string | null;
  closesAt: string | null;
  resultsVisibility: 'live' | 'after_close';
  /** The moment of the premiere the poll belongs to: set at creation, or where it was opened. */
  atOffsetMs: number | null;
  createdAt: string;
}

/** optionId -> votes. */
export type Tallies = Record<string, number>;

const STATUS_RANK: Record<PollStatus, number> = { draft: 0, open: 1, closed: 2 };
const VERSION_STEP = 1_000_000_000;

/**
 * Orders what a client hears about one poll (events, join answers, HTTP reads): keep the
 * highest version seen and drop anything lower. A later status always outranks an earlier
 * one, so a late `poll:update` can never overwrite `poll:closed`; within a status, more
 * counted voters is newer (the live counters only grow while a poll is open).
 */
export function pollVersion(status: PollStatus, total: number): number {
  return STATUS_RANK[status] * VERSION_STEP + Math.min(Math.max(0, total), VERSION_STEP - 1);
}

/** Optional, opt-in profile facts used only for aggregated poll breakdowns. */
export const ProfileInput = z.strictObject({
  birthYear: z.number().int().min(1900).max(2025).nullable().optional(),
  region: plainText(1, 40).nullable().optional(),
  gender: z.enum(['female', 'male', 'nonbinary', 'other']).nullable().optional(),
});
export type Profile = { birthYear: number | null; region: string | null; gender: string | null };

export interface SegmentBreakdown {
  /** Segments with fewer voters than the minimum are merged into "other" so no one is singled out. */
  minSegmentSize: number;
  dimensions: Record<string, Array<{ segment: string; voters: number; tallies: Tallies }>>;
}
