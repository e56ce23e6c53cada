import type { AuthResult, LoginInput, RegisterInput, Role, User } from '../../contracts/auth.js';
import type { Danmaku, RefusedDanmakuPage } from '../../contracts/danmaku.js';
import type { CreateRoomInput, Room } from '../../contracts/rooms.js';
import { api } from './api.js';

/** The HTTP endpoints the app shell uses, typed by the shared contracts. */

export function register(input: RegisterInput): Promise<AuthResult> {
  return api<AuthResult>('/api/auth/register', { method: 'POST', body: input });
}

export function logIn(input: LoginInput): Promise<AuthResult> {
  return api<AuthResult>('/api/auth/login', { method: 'POST', body: input });
}

export function logOut(): Promise<void> {
  return api<void>('/api/auth/logout', { method: 'POST' });
}

export function fetchMe(signal?: AbortSignal): Promise<{ user: User }> {
  return api<{ user: User }>('/api/me', { signal });
}

export function listRooms(signal?: AbortSignal): Promise<{ rooms: Room[] }> {
  return api<{ rooms: Room[] }>('/api/rooms', { signal });
}

export function getRoom(id: string, signal?: AbortSignal): Promise<{ room: Room }> {
  return api<{ room: Room }>(`/api/rooms/${encodeURIComponent(id)}`, { signal });
}

export function createRoom(input: CreateRoomInput): Promise<{ room: Room }> {
  return api<{ room: Room }>('/api/rooms', { method: 'POST', body: input });
}

export function changeRole(userId: string, role: Role): Promise<{ user: User }> {
  return api<{ user: User }>(`/api/users/${encodeURIComponent(userId)}/role`, { method: 'PATCH', body: { role } });
}

/** One page of a replay window, ordered by offsetMs; `nextCursor` is null on the last page. */
export interface ReplayPage {
  items: Danmaku[];
  nextCursor: string | null;
}

/** Stored comments of a room between fromMs (inclusive) and toMs (exclusive), for replays. */
export function getReplayWindow(
  roomId: string,
  query: { fromMs: number; toMs: number; limit?: number; cursor?: string | null },
  signal?: AbortSignal,
): Promise<ReplayPage> {
  const params = new URLSearchParams({ fromMs: String(Math.max(0, Math.floor(query.fromMs))), toMs: String(Math.floor(query.toMs)) });
  if (query.limit) params.set('limit', String(query.limit));
  if (query.cursor) params.set('cursor', query.cursor);
  return api<ReplayPage>(`/api/rooms/${encodeURIComponent(roomId)}/danmaku?${params}`, { signal });
}

/** Comment counts per bucket over the whole video: the "high-energy" bar along the seek bar. */
export function getDensity(roomId: string, bucketMs: number, signal?: AbortSignal): Promise<{ bucketMs: number; counts: number[] }> {
  return api<{ bucketMs: number; counts: number[] }>(
    `/api/rooms/${encodeURIComponent(roomId)}/density?bucketMs=${Math.max(1000, Math.round(bucketMs))}`,
    { signal },
  );
}

/** Danmaku the persister set aside (admins only), oldest first; pass `nextCursor` for the next page. */
export function listRefusedDanmaku(cursor: string | null, signal?: AbortSignal): Promise<RefusedDanmakuPage> {
  return api<RefusedDanmakuPage>(`/api/admin/danmaku/refused${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, { signal });
}

/** Sends a set-aside danmaku back to be stored, its text replaced by `text` when given. */
export function retryRefusedDanmaku(id: string, text?: string): Promise<{ retried: { id: string; entry: string } }> {
  return api(`/api/admin/danmaku/refused/${encodeURIComponent(id)}/retry`, { method: 'POST', body: text === undefined ? {} : { text } });
}

/** Drops a set-aside danmaku for good. */
export function discardRefusedDanmaku(id: string): Promise<void> {
  return api<void>(`/api/admin/danmaku/refused/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
