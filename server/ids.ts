import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7: 48 bits of Unix milliseconds, then random bits. Sorting by id sorts by
 * creation time, which keeps danmaku ids index-friendly and gives replays a stable
 * tie-break. The random part comes from `randomUUID()`, which draws from a pool Node
 * refills in bulk (a `randomBytes(16)` per id was a twentieth of accepting a danmaku).
 */
export function uuidv7(nowMs: number = Date.now()): string {
  const t = Math.floor(nowMs).toString(16).padStart(12, '0');
  // randomUUID() is xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx (V is the RFC variant): keep all after the version.
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
