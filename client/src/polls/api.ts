import type { CreatePollInput, Poll, Profile, SegmentBreakdown, Tallies } from '../../../contracts/polls.js';
import { api } from '../api.js';

/** One poll as the server shows it to the caller: `tallies` is absent while the caller may not see them. */
export interface PollView {
  poll: Poll;
  myVote: string[] | null;
  tallies?: Tallies;
  total: number;
  /** Orders this read against the poll's events (contracts/polls.ts pollVersion). */
  version?: number;
}

/** The fields of a new poll (contracts/polls.ts `CreatePollInput`). */
export type NewPoll = CreatePollInput;

const enc = encodeURIComponent;

/** Staff: creates a draft poll in a room (opens by itself at `atOffsetMs` when given). */
export function createPoll(roomId: string, input: NewPoll): Promise<{ poll: Poll }> {
  return api<{ poll: Poll }>(`/api/rooms/${enc(roomId)}/polls`, { method: 'POST', body: input });
}

/** Staff: opens a draft now; the server counts down from this moment. */
export function openPoll(pollId: string): Promise<{ poll: Poll }> {
  return api<{ poll: Poll }>(`/api/polls/${enc(pollId)}/open`, { method: 'POST' });
}

/** Staff: closes an open poll early; answers with the final results. */
export function closePoll(pollId: string): Promise<{ poll: Poll; tallies: Tallies; total: number }> {
  return api<{ poll: Poll; tallies: Tallies; total: number }>(`/api/polls/${enc(pollId)}/close`, { method: 'POST' });
}

/** Every poll of a room, with the caller's own vote and the tallies they may see. */
export function listRoomPolls(roomId: string, signal?: AbortSignal): Promise<{ polls: PollView[] }> {
  return api<{ polls: PollView[] }>(`/api/rooms/${enc(roomId)}/polls`, { signal });
}

/** Staff and writers: a poll's results by audience segment (small groups merged into "other"). */
export function getPollSegments(pollId: string, signal?: AbortSignal): Promise<{ poll: Poll; segments: SegmentBreakdown }> {
  return api<{ poll: Poll; segments: SegmentBreakdown }>(`/api/polls/${enc(pollId)}/segments`, { signal });
}

/** The signed-in person's optional profile facts (used only in aggregate). */
export function getProfile(signal?: AbortSignal): Promise<{ profile: Profile }> {
  return api<{ profile: Profile }>('/api/me/profile', { signal });
}

/** Changes some profile facts; null clears one. */
export function updateProfile(patch: Partial<Profile>): Promise<{ profile: Profile }> {
  return api<{ profile: Profile }>('/api/me/profile', { method: 'PATCH', body: patch });
}
