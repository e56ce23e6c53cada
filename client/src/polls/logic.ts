import type { Poll } from '../../../contracts/polls.js';
import type { PollEntry } from './room-polls.js';

/** Shortest poll (contracts/polls.ts, copied here as that module brings zod along). */
export const POLL_MIN_MS = 10_000;
/** Longest poll. */
export const POLL_MAX_MS = 30 * 60_000;
/** Most options a poll may have. */
export const MAX_OPTIONS = 6;

/** A just-closed poll stays on the card this long with its final results. */
export const RECENT_CLOSED_MS = 45_000;
/** In a replay a poll shows for as long as it was open, within these bounds. */
const REPLAY_MIN_MS = 15_000;
const REPLAY_MAX_MS = 120_000;

/** One colour per option, in order: readable on the dark theme and distinct from each other. */
export const optionColors = ['#ff5c8a', '#5aa9ff', '#f5b84a', '#3ecf8e', '#b78cff', '#4dd4e6'];

/** What the card shows: a poll to answer, a just-closed result, or a replay's result at its moment. */
export type Shown = { entry: PollEntry; mode: 'open' | 'closed' | 'replay' };

/** Milliseconds left to vote on the server's clock (0 once past the deadline). */
export function remainingMs(poll: Poll, serverNow: number): number {
  return poll.closesAt ? Math.max(0, Date.parse(poll.closesAt) - serverNow) : 0;
}

/** An open poll whose deadline has not passed (the server's close may lag by a moment). */
export function isVoting(poll: Poll, serverNow: number): boolean {
  return poll.status === 'open' && remainingMs(poll, serverNow) > 0;
}

/** How long a poll was (or will be) open. */
export function openLengthMs(poll: Poll): number {
  if (poll.opensAt && poll.closesAt) return Math.max(0, Date.parse(poll.closesAt) - Date.parse(poll.opensAt));
  return poll.durationMs;
}

/** Share of voters as a whole percentage (multi-choice shares may add up to over 100). */
export function percent(votes: number, total: number): number {
  return total > 0 ? Math.round((votes / total) * 100) : 0;
}

const newest = (a: PollEntry, b: PollEntry) => (b.poll.opensAt ?? b.poll.createdAt).localeCompare(a.poll.opensAt ?? a.poll.createdAt);

/**
 * The poll for the card. An open one always comes first; then, live, the poll
 * that closed in the last moments; in a replay, the poll whose moment the play
 * head is at (for about as long as it was open), with its final results.
 */
export function pickShown(
  entries: PollEntry[],
  ctx: { replay: boolean; serverNow: number; playheadMs: number | null; dismissed: ReadonlySet<string> },
): Shown | null {
  const visible = entries.filter((e) => e.poll.status !== 'draft' && !ctx.dismissed.has(e.poll.id));
  const open = visible.filter((e) => e.poll.status === 'open').sort(newest)[0];
  if (open) return { entry: open, mode: 'open' };
  if (ctx.replay) {
    const at = ctx.playheadMs;
    if (at === null) return null;
    const hit = visible
      .filter((e) => e.poll.atOffsetMs !== null && at >= e.poll.atOffsetMs)
      .filter((e) => at < e.poll.atOffsetMs! + Math.min(REPLAY_MAX_MS, Math.max(REPLAY_MIN_MS, openLengthMs(e.poll))))
      .sort((a, b) => b.poll.atOffsetMs! - a.poll.atOffsetMs!)[0];
    return hit ? { entry: hit, mode: 'replay' } : null;
  }
  const recent = visible
    .filter((e) => e.poll.closesAt && ctx.serverNow - Date.parse(e.poll.closesAt) < RECENT_CLOSED_MS)
    .sort(newest)[0];
  return recent ? { entry: recent, mode: 'closed' } : null;
}

/** Polls that have ended, newest first (the "past polls" list). */
export function pastPolls(entries: PollEntry[]): PollEntry[] {
  return entries.filter((e) => e.poll.status === 'closed').sort(newest);
}

/** "mm:ss" or "h:mm:ss" (or plain seconds) as milliseconds; null when it isn't a time. */
export function parseMoment(text: string): number | null {
  const parts = text.trim().split(':');
  if (parts.length > 3 || parts.some((p) => !/^\d{1,3}$/.test(p))) return null;
  const [s = 0, m = 0, h = 0] = parts.map(Number).reverse();
  if (parts.length > 1 && s >= 60) return null;
  if (parts.length > 2 && m >= 60) return null;
  return ((h * 60 + m) * 60 + s) * 1000;
}
