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

export interface DanmakuBatch {
  roomId: string;
  items: Danmaku[];
}
