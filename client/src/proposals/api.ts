import type { Poll, SegmentBreakdown } from '../../../contracts/polls.js';
import type { Proposal, ProposalStatus, SubmitProposalInput } from '../../../contracts/proposals.js';
import { api } from '../api.js';

/** The HTTP endpoints of story proposals and the writers' room, typed by the shared contracts. */

/** How a proposal list is ordered (the server's scores). */
export type ProposalSort = 'hot' | 'top' | 'new' | 'controversial';
/** The sorts in the order the tabs show them. */
export const proposalSorts: readonly ProposalSort[] = ['hot', 'top', 'new', 'controversial'];

/** Filters of a proposal list; empty values are left out of the query. */
export interface ProposalQuery {
  ip?: string;
  sort?: ProposalSort;
  status?: ProposalStatus | '';
  tag?: string;
  mine?: boolean;
  roomId?: string;
  fromMs?: number | null;
  toMs?: number | null;
  limit?: number;
}

/** One page of a list; `nextCursor` is null on the last page. */
export interface ProposalPage {
  items: Proposal[];
  nextCursor: string | null;
}

/** The query string of a list request (also used for export links). */
export function listParams(q: ProposalQuery, cursor?: string | null): URLSearchParams {
  const params = new URLSearchParams();
  if (q.ip) params.set('ip', q.ip);
  if (q.sort) params.set('sort', q.sort);
  if (q.status) params.set('status', q.status);
  if (q.tag) params.set('tag', q.tag);
  if (q.mine) params.set('mine', '1');
  if (q.roomId) params.set('roomId', q.roomId);
  if (q.fromMs != null) params.set('fromMs', String(q.fromMs));
  if (q.toMs != null) params.set('toMs', String(q.toMs));
  if (q.limit) params.set('limit', String(q.limit));
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** Public proposals plus the caller's own (or only their own with `mine`). */
export function listProposals(q: ProposalQuery, cursor: string | null, signal?: AbortSignal): Promise<ProposalPage> {
  return api<ProposalPage>(`/api/proposals?${listParams(q, cursor)}`, { signal });
}

/** One proposal with its contributors; NOT_FOUND for proposals the caller may not see. */
export function getProposal(id: string, signal?: AbortSignal): Promise<{ proposal: Proposal }> {
  return api<{ proposal: Proposal }>(`/api/proposals/${encodeURIComponent(id)}`, { signal });
}

/** 202 with a pending proposal; the same proposal again when `idempotencyKey` was already used. */
export function submitProposal(input: SubmitProposalInput): Promise<{ proposal: Proposal }> {
  return api<{ proposal: Proposal }>('/api/proposals', { method: 'POST', body: input });
}

/** 1 supports, -1 opposes, 0 withdraws the caller's vote. */
export function voteProposal(id: string, value: 1 | -1 | 0): Promise<{ proposal: Proposal }> {
  return api<{ proposal: Proposal }>(`/api/proposals/${encodeURIComponent(id)}/vote`, { method: 'POST', body: { value } });
}

// ---- Writers' room -------------------------------------------------------

/** The writers' view of a proposal: votes per hour, supporters by segment, its duplicate cluster. */
export interface WritersDetail {
  proposal: Proposal;
  votesOverTime: Array<{ at: string; supporters: number; opponents: number }>;
  segments: SegmentBreakdown;
  duplicates: Array<{ id: string; title: string; status: ProposalStatus; supporters: number }>;
}

/** The writers' 1–5 scores. */
export type Rubric = { originality: number; fit: number; feasibility: number };
/** What the writers decide; the status becomes shortlisted, accepted or declined. */
export type DecisionKind = 'shortlist' | 'accept' | 'decline';

/** Every status, with staff-only flags, plus the moment range filter. */
export function listForWriters(q: ProposalQuery, cursor: string | null, signal?: AbortSignal): Promise<ProposalPage> {
  return api<ProposalPage>(`/api/writers/proposals?${listParams(q, cursor)}`, { signal });
}

/** The detail panel's data for one proposal. */
export function getWritersDetail(id: string, signal?: AbortSignal): Promise<WritersDetail> {
  return api<WritersDetail>(`/api/writers/proposals/${encodeURIComponent(id)}`, { signal });
}

/** Shortlists, accepts or declines a proposal with feedback (and a rubric); the author is notified. */
export function decide(id: string, input: { decision: DecisionKind; feedback: string; rubric?: Rubric }): Promise<{ proposal: Proposal }> {
  return api<{ proposal: Proposal }>(`/api/writers/proposals/${encodeURIComponent(id)}/decision`, { method: 'POST', body: input });
}

/** Moves `fromId`'s votes and credit into `intoId`; `fromId` becomes merged. */
export function mergeProposal(fromId: string, intoId: string): Promise<{ proposal: Proposal }> {
  return api<{ proposal: Proposal }>(`/api/writers/proposals/${encodeURIComponent(fromId)}/merge`, { method: 'POST', body: { intoId } });
}

/** A download link for every proposal of a franchise (the session cookie authorises it). */
export function exportHref(format: 'csv' | 'json', ip: string): string {
  const params = new URLSearchParams({ format });
  if (ip) params.set('ip', ip);
  return `/api/writers/proposals/export?${params}`;
}

/** Turns the franchise's top proposals into a draft poll in a room; staff open it. */
export function pollFromProposals(input: { roomId: string; ip: string; count: number; durationMs: number; question?: string }): Promise<{ poll: Poll; proposals: string[] }> {
  return api<{ poll: Poll; proposals: string[] }>('/api/writers/polls', { method: 'POST', body: input });
}
