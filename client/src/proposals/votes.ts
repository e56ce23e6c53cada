import type { Proposal } from '../../../contracts/proposals.js';

/**
 * The caller's own vote per proposal. The API's proposal view carries only the
 * counts, not "my vote", so this device remembers what its user chose (per account).
 */

/** Support, oppose, or no vote. */
export type VoteValue = 1 | -1 | 0;

const MAX_REMEMBERED = 500;
const keyOf = (userId: string) => `lotus.proposalVotes.${userId}`;

function readAll(userId: string): Record<string, 1 | -1> {
  try {
    const raw = localStorage.getItem(keyOf(userId));
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, 1 | -1>) : {};
  } catch {
    return {};
  }
}

/** What this account chose on this proposal, as far as this device knows. */
export function rememberedVote(userId: string | undefined, proposalId: string): VoteValue {
  if (!userId) return 0;
  const value = readAll(userId)[proposalId];
  return value === 1 || value === -1 ? value : 0;
}

/** Records this account's vote on this device (0 forgets it). */
export function rememberVote(userId: string, proposalId: string, value: VoteValue): void {
  const all = readAll(userId);
  delete all[proposalId];
  if (value !== 0) all[proposalId] = value;
  const entries = Object.entries(all);
  const kept = entries.length > MAX_REMEMBERED ? Object.fromEntries(entries.slice(-MAX_REMEMBERED)) : all;
  try {
    localStorage.setItem(keyOf(userId), JSON.stringify(kept));
  } catch {
    // Storage full or disabled: the vote still counts on the server.
  }
}

/** The counts as they will be once a vote moves from `from` to `to`: for an optimistic update. */
export function withVote(p: Proposal, from: VoteValue, to: VoteValue): Proposal {
  const up = (to === 1 ? 1 : 0) - (from === 1 ? 1 : 0);
  const down = (to === -1 ? 1 : 0) - (from === -1 ? 1 : 0);
  return { ...p, supporters: Math.max(0, p.supporters + up), opponents: Math.max(0, p.opponents + down) };
}
