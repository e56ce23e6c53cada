import type { User } from '../../../contracts/auth.js';
import type { BlockedTerm, QueueItem, RoomSettings, TermVerdict } from '../../../contracts/moderation.js';
import { api } from '../api.js';

/** The moderation HTTP API (server/features/moderation), typed for the console. */

export type TargetType = QueueItem['targetType'];
export type ContentAction = 'hide' | 'restore' | 'approve' | 'reject';
export type UserAction = 'mute' | 'unmute' | 'ban' | 'unban' | 'shadow_mute';

/** One staff action: POST /api/moderation/actions. */
export interface ActionInput {
  targetType: TargetType;
  targetId: string;
  action: ContentAction | UserAction;
  reason: string;
  /** Mute, ban, shadow mute: 10 s .. 1 year; absent = permanent. */
  durationMs?: number;
  /** User actions: only in this room; absent = everywhere. */
  roomId?: string;
}

export interface QueueFilter {
  type?: TargetType;
  roomId?: string;
  status?: 'open' | 'all';
  limit?: number;
}

export interface BulkResult {
  targetType: 'danmaku' | 'proposal';
  targetId: string;
  ok: boolean;
  error?: { code: string; message: string };
}

/** One row of the append-only audit log; actorId null means Lotus acted by itself. */
export interface AuditEntry {
  id: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  roomId: string | null;
  reason: string;
  details: Record<string, unknown>;
  at: string;
}

export interface AuditFilter {
  actorId?: string;
  targetType?: string;
  targetId?: string;
  action?: string;
  /** `next` of the previous page. */
  cursor?: string;
  limit?: number;
}

/** An open appeal joined with the action it contests (snake_case: a raw row). */
export interface Appeal {
  id: string;
  action_id: string;
  user_id: string;
  text: string;
  status: string;
  created_at: string;
  action: string;
  target_type: string;
  target_id: string;
  action_reason: string;
  action_at: string;
}

export interface Sanction {
  id: string;
  kind: 'mute' | 'ban' | 'shadow_mute';
  roomId: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  reason: string;
  createdAt: string;
}

/** GET /api/moderation/users/:id: everything on one card before acting on an account. */
export interface UserCard {
  user: User;
  accountAgeMs: number;
  standing: { banned: boolean; muted: boolean; shadowMuted: boolean; until: number | null };
  sanctions: Sanction[];
  actions: Array<{ id: string; actor_id: string | null; action: string; reason: string; room_id: string | null; at: string }>;
  reportsBy: Array<{ target_type: string; target_id: string; reason: string; status: string; created_at: string }>;
  reportsAgainst: Array<{ target_type: string; target_id: string; reason: string; status: string; created_at: string }>;
  recentDanmaku: Array<{ id: string; room_id: string; text: string; state: string; offset_ms: number; created_at: string }>;
  recentProposals: Array<{ id: string; ip: string; title: string; status: string; supporters: number; created_at: string }>;
}

function query(params: object): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') q.set(key, String(value));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

/** The review queue, oldest first. */
export function getQueue(filter: QueueFilter, signal?: AbortSignal): Promise<{ items: QueueItem[] }> {
  return api(`/api/moderation/queue${query(filter)}`, { signal });
}

/** Approves or removes many queue items at once; each item reports its own outcome. */
export function bulkQueue(items: Array<{ targetType: 'danmaku' | 'proposal'; targetId: string }>, action: 'approve' | 'remove', reason: string) {
  return api<{ results: BulkResult[] }>('/api/moderation/queue/bulk', { method: 'POST', body: { items, action, reason } });
}

export function act(input: ActionInput): Promise<{ action: { id: string } }> {
  return api('/api/moderation/actions', { method: 'POST', body: input });
}

/** Accounts whose handle starts with `q` (or whose id is `q`), shortest handle first. */
export function findUsers(q: string, signal?: AbortSignal): Promise<{ users: User[] }> {
  return api(`/api/moderation/users${query({ q })}`, { signal });
}

export function getUserCard(userId: string, signal?: AbortSignal): Promise<UserCard> {
  return api(`/api/moderation/users/${enc(userId)}`, { signal });
}

export function getRoomSettings(roomId: string, signal?: AbortSignal): Promise<{ settings: RoomSettings }> {
  return api(`/api/rooms/${enc(roomId)}/settings`, { signal });
}

export function putRoomSettings(roomId: string, settings: RoomSettings): Promise<{ settings: RoomSettings }> {
  return api(`/api/rooms/${enc(roomId)}/settings`, { method: 'PUT', body: settings });
}

export function getGlobalTerms(signal?: AbortSignal): Promise<{ terms: BlockedTerm[] }> {
  return api('/api/moderation/terms', { signal });
}

/** Admins only. */
export function putGlobalTerms(terms: BlockedTerm[]): Promise<{ terms: BlockedTerm[] }> {
  return api('/api/moderation/terms', { method: 'PUT', body: { terms } });
}

/** The test box: what a sample text would trigger under the saved global (+ room) terms. */
export function testTerms(text: string, roomId?: string, signal?: AbortSignal): Promise<{ verdict: TermVerdict }> {
  return api('/api/moderation/terms/test', { method: 'POST', body: roomId ? { text, roomId } : { text }, signal });
}

/** One page, newest first; `next` (null on the last page) asks for the one after it. */
export function getAudit(filter: AuditFilter, signal?: AbortSignal): Promise<{ entries: AuditEntry[]; next: string | null }> {
  return api(`/api/moderation/audit${query(filter)}`, { signal });
}

export function getAppeals(signal?: AbortSignal): Promise<{ appeals: Appeal[] }> {
  return api('/api/moderation/appeals', { signal });
}

export function decideAppeal(id: string, decision: 'uphold' | 'reverse', reply: string) {
  return api<{ appeal: { id: string; status: string } }>(`/api/moderation/appeals/${enc(id)}/decision`, {
    method: 'POST',
    body: { decision, reply },
  });
}
