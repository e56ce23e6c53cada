import type { Poll, Tallies } from '../../../contracts/polls.js';
import { createStore, type Store } from '../store.js';
import type { Outcome } from '../viewer/connection.js';
import { closePoll, createPoll, listRoomPolls, openPoll, type NewPoll, type PollView } from './api.js';

/** One poll as this viewer knows it; `tallies` is null while they are hidden from this viewer. */
export interface PollEntry {
  poll: Poll;
  tallies: Tallies | null;
  total: number;
  /** The options this account chose; [] when it voted elsewhere (choice unknown here); null before voting. */
  myVote: string[] | null;
  /** The highest `version` heard for this poll (events and reads carry one); null before any. */
  version: number | null;
}

/** The room's polls, oldest first. */
export interface PollsState {
  entries: PollEntry[];
  /** The first room:join answered, so "no polls" means none. */
  ready: boolean;
}

/** What the polls need from the room's realtime link (RoomConnection provides it). */
export interface PollLink {
  listen<T>(event: string, handler: (payload: T) => void): () => void;
  request<T extends object>(event: string, payload: object): Promise<Outcome<T>>;
}

const rank = { draft: 0, open: 1, closed: 2 } as const;

const newest = (...versions: Array<number | null | undefined>): number | null => {
  const known = versions.filter((v): v is number => typeof v === 'number');
  return known.length ? Math.max(...known) : null;
};
const zeros = (poll: Poll): Tallies => Object.fromEntries(poll.options.map((o) => [o.id, 0]));
const fromView = (v: PollView): PollEntry => ({ poll: v.poll, tallies: v.tallies ?? null, total: v.total, myVote: v.myVote, version: v.version ?? null });

/**
 * The polls of one room for one viewer: seeded by the room:join answer, kept
 * current by poll:opened / poll:update / poll:closed, and voted on over the
 * socket. Staff actions (create, open, close) go over HTTP and update the
 * same state, so the card and the staff panel always agree.
 */
export class RoomPolls {
  readonly state: Store<PollsState> = createStore<PollsState>({ entries: [], ready: false });
  private readonly undo: Array<() => void> = [];

  constructor(
    readonly roomId: string,
    private readonly link: PollLink,
  ) {
    type Change = { poll: Poll; tallies?: Tallies; total?: number; version?: number };
    const on = (event: string) =>
      this.undo.push(
        link.listen<Change>(event, (p) => {
          if (p?.poll?.roomId === this.roomId) this.merge(p.poll, p);
        }),
      );
    // poll:created reaches staff only (a draft another moderator made).
    ['poll:created', 'poll:opened', 'poll:update', 'poll:closed'].forEach(on);
  }

  /** After every (re)join: the server's list is the truth, so replace ours. */
  joined(views: PollView[] | undefined): void {
    const entries = (views ?? []).map(fromView).sort((a, b) => a.poll.createdAt.localeCompare(b.poll.createdAt));
    this.state.set({ entries, ready: true });
  }

  stop(): void {
    this.undo.splice(0).forEach((fn) => fn());
  }

  find(pollId: string): PollEntry | undefined {
    return this.state.get().entries.find((e) => e.poll.id === pollId);
  }

  /** Casts this account's one vote; on success the card shows it as "your vote" at once. */
  async vote(pollId: string, optionIds: string[]): Promise<Outcome<{ pollId: string; optionIds: string[] }>> {
    const res = await this.link.request<{ pollId: string; optionIds: string[] }>('poll:vote', { pollId, optionIds });
    if (res.ok) this.patch(pollId, { myVote: res.optionIds });
    else if (res.error.code === 'ALREADY_VOTED' && !this.find(pollId)?.myVote) this.patch(pollId, { myVote: [] });
    return res;
  }

  /** Staff: a new draft (opening by itself later when it has a moment). */
  async create(input: NewPoll): Promise<Poll> {
    const { poll } = await createPoll(this.roomId, input);
    this.merge(poll, { total: 0 });
    return poll;
  }

  async open(pollId: string): Promise<void> {
    const { poll } = await openPoll(pollId);
    this.merge(poll, {});
  }

  async close(pollId: string): Promise<void> {
    const res = await closePoll(pollId);
    this.merge(res.poll, res);
  }

  /** Re-reads every poll over HTTP (staff: drafts made by another moderator show up). */
  async refresh(signal?: AbortSignal): Promise<void> {
    const { polls } = await listRoomPolls(this.roomId, signal);
    for (const v of polls) this.merge(v.poll, { tallies: v.tallies, total: v.total, myVote: v.myVote, version: v.version });
  }

  /**
   * Folds news about a poll in. Events can arrive out of order (a live update published
   * just before the close may land after it), so news older than what we have is dropped:
   * by `version` when both carry one, and an older status never wins in any case.
   */
  private merge(poll: Poll, change: { tallies?: Tallies; total?: number; myVote?: string[] | null; version?: number }): void {
    const entries = this.state.get().entries;
    const at = entries.findIndex((e) => e.poll.id === poll.id);
    const before = at >= 0 ? entries[at] : null;
    if (before && rank[poll.status] < rank[before.poll.status]) return;
    if (before?.version != null && change.version !== undefined && change.version < before.version) return;
    // A closed poll's final counts are settled: a late live update must not replace them.
    const settled = before?.poll.status === 'closed' && poll.status === 'closed' && change.tallies === undefined;
    const next: PollEntry = {
      poll,
      // Live results start at zero for everyone; hidden ones stay null until someone may see them.
      tallies: change.tallies ?? before?.tallies ?? (poll.resultsVisibility === 'live' ? zeros(poll) : null),
      total: settled ? before.total : (change.total ?? before?.total ?? 0),
      myVote: before?.myVote ?? change.myVote ?? null,
      version: newest(change.version, before?.version),
    };
    const list = at >= 0 ? entries.map((e, i) => (i === at ? next : e)) : [...entries, next];
    this.state.set({ ...this.state.get(), entries: list });
  }

  private patch(pollId: string, change: Partial<PollEntry>): void {
    const entries = this.state.get().entries.map((e) => (e.poll.id === pollId ? { ...e, ...change } : e));
    this.state.set({ ...this.state.get(), entries });
  }
}
