import { z } from 'zod';
import { plainText } from './text.js';

export const danmakuModes = ['scroll', 'top', 'bottom'] as const;
export const DanmakuMode = z.enum(danmakuModes);
export type DanmakuMode = z.infer<typeof DanmakuMode>;

export const DANMAKU_MAX_CHARS = 100;

export const DanmakuSendInput = z.strictObject({
  roomId: z.uuid(),
  text: plainText(1, DANMAKU_MAX_CHARS),
  mode: DanmakuMode.default('scroll'),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #ffcc00')
    .transform((c) => c.toLowerCase())
    .default('#ffffff'),
  /** Media time in ms: only read in a replay; while live the server's position wins. */
  offsetMs: z.number().int().min(0).max(12 * 3600 * 1000).optional(),
  /** A client-chosen id for this send: resending the same nonce returns the first danmaku (double-submit safe). */
  nonce: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
});
export type DanmakuSendInput = z.input<typeof DanmakuSendInput>;

export interface Danmaku {
  id: string;
  roomId: string;
  userId: string;
  userName: string;
  text: string;
  mode: DanmakuMode;
  color: string;
  offsetMs: number;
  createdAt: string;
  /** Present and true on a comment held for review: only its sender receives it. */
  held?: boolean;
  /** Staff comments are kept when the display cap samples a busy room. */
  staff?: boolean;
}

export const DanmakuRef = z.strictObject({ id: z.uuid() });
export const reportReasons = ['spam', 'abuse', 'spoiler', 'hate', 'sexual', 'other'] as const;
export const DanmakuReportInput = z.strictObject({ id: z.uuid(), reason: z.enum(reportReasons) });

export const ReplayQuery = z.strictObject({
  fromMs: z.coerce.number().int().min(0).default(0),
  toMs: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
  cursor: z.string().max(200).optional(),
});

export const DensityQuery = z.strictObject({
  bucketMs: z.coerce.number().int().min(1000).max(600_000).default(10_000),
});

const U64_MAX = 2n ** 64n - 1n;
/**
 * A Redis stream id a client may resume after, `<ms>-<n>`: both parts unsigned 64-bit
 * numbers, and not the very last id, after which nothing can come (Redis refuses a bigger
 * part, or the last id as an exclusive start, with an error).
 */
export const StreamId = z
  .string()
  .regex(/^\d{1,20}-\d{1,20}$/, 'a stream id like 1700000000000-0')
  // zod runs this even when the pattern failed: only digits go to BigInt.
  .refine((s) => {
    if (!/^\d+-\d+$/.test(s)) return true;
    const [ms, n] = s.split('-').map(BigInt);
    return ms <= U64_MAX && n <= U64_MAX && !(ms === U64_MAX && n === U64_MAX);
  }, 'a stream id within 64 bits, before the last one');

/** Admins' list of danmaku the persister set aside (`dm:persist:refused`), oldest first. */
export const RefusedDanmakuQuery = z.strictObject({
  /** `nextCursor` of the previous page. */
  cursor: StreamId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A set-aside entry: its id in the refused stream. */
export const RefusedDanmakuId = StreamId;

/** Retrying a set-aside danmaku, optionally with its text fixed first: the rules of a send. */
export const RefusedRetryInput = z.strictObject({ text: DanmakuSendInput.shape.text.optional() });

/** One entry of the refused stream, as the admins' list shows it. */
export interface RefusedDanmaku {
  /** Its id in the refused stream. */
  id: string;
  /** Its id in the persist stream when it was refused. */
  entry: string;
  /** `postgres` (refused as data) or `unreadable` (held no danmaku). */
  reason: string;
  sqlstate: string | null;
  refusedAt: string;
  /** The danmaku it holds, or null when it holds none. */
  danmaku: Danmaku | null;
  /** The entry's `d` field as stored, cut to its first 2,000 characters. */
  raw: string;
}

export interface RefusedDanmakuPage {
  items: RefusedDanmaku[];
  nextCursor: string | null;
}

export interface DanmakuBatch {
  roomId: string;
  items: Danmaku[];
}
