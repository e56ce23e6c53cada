import { z } from 'zod';
import { plainText } from './text.js';

export const roomStatuses = ['scheduled', 'live', 'ended'] as const;
export type RoomStatus = (typeof roomStatuses)[number];

const MAX_DURATION_MS = 12 * 60 * 60 * 1000;

export const CreateRoomInput = z.strictObject({
  title: plainText(1, 120),
  ip: plainText(1, 80),
  videoUrl: z
    .string()
    .trim()
    .max(2048)
    .refine((u) => /^(https?:\/\/|\/)/.test(u), 'an http(s) URL or a path on this site'),
  durationMs: z.number().int().min(1000).max(MAX_DURATION_MS),
  startsAt: z.iso.datetime({ offset: true }),
});
export type CreateRoomInput = z.infer<typeof CreateRoomInput>;

export interface Room {
  id: string;
  title: string;
  ip: string;
  videoUrl: string;
  durationMs: number;
  startsAt: string;
  status: RoomStatus;
  createdAt: string;
}

export const RoomIdParam = z.uuid();

/** Derives a room's status from the server clock: the single authority. */
export function roomStatusAt(room: { startsAt: string; durationMs: number }, nowMs: number): RoomStatus {
  const start = Date.parse(room.startsAt);
  if (nowMs < start) return 'scheduled';
  if (nowMs < start + room.durationMs) return 'live';
  return 'ended';
}
