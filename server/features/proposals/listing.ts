import { and, asc, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { ProposalListQuery } from '../../../contracts/proposals.js';
import { ErrorCode } from '../../../contracts/errors.js';
import { proposals } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { PUBLIC_STATUSES } from './view.js';
import type { ProposalRow } from './store.js';

type Query = z.output<typeof ProposalListQuery>;

const SORT_COLUMN = {
  top: proposals.scoreTop,
  hot: proposals.scoreHot,
  controversial: proposals.scoreControversy,
  new: proposals.createdAt,
} as const;

/** Keyset pagination: the cursor is the last row's sort value and id, so pages never skip or repeat. */
export function cursorOf(row: ProposalRow, sort: Query['sort']): string {
  const value = sort === 'new' ? row.createdAt.toISOString() : sort === 'top' ? row.scoreTop : sort === 'hot' ? row.scoreHot : row.scoreControversy;
  return Buffer.from(JSON.stringify([value, row.id])).toString('base64url');
}

function decodeCursor(raw: string, sort: Query['sort']): [number | Date, string] {
  try {
    const [value, id] = JSON.parse(Buffer.from(raw, 'base64url').toString());
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('id');
    if (sort === 'new' && typeof value === 'string' && !Number.isNaN(Date.parse(value))) return [new Date(value), id];
    if (sort !== 'new' && typeof value === 'number' && Number.isFinite(value)) return [value, id];
  } catch {
    // falls through to the error below
  }
  throw new AppError(ErrorCode.VALIDATION_FAILED, 'invalid cursor', [{ path: 'cursor', message: 'use nextCursor as given' }]);
}

/**
 * The WHERE and ORDER BY of a proposal list. Fans see public proposals plus all of
 * their own; staff and writers see every status; `mine` narrows to the caller's own.
 */
export function listingSql(q: Query, viewer: { id: string; staff: boolean } | null): { where: SQL | undefined; order: SQL[] } {
  const conds: Array<SQL | undefined> = [];
  const publicOnly = sql`${proposals.status} in ${[...PUBLIC_STATUSES]}`;
  if (q.mine) {
    if (!viewer) throw new AppError(ErrorCode.UNAUTHENTICATED, 'log in to see your proposals');
    conds.push(eq(proposals.authorId, viewer.id));
  } else if (!viewer?.staff) {
    conds.push(viewer ? or(publicOnly, eq(proposals.authorId, viewer.id)) : publicOnly);
  }
  if (q.ip) conds.push(eq(proposals.ip, q.ip));
  if (q.status) conds.push(eq(proposals.status, q.status));
  if (q.tag) conds.push(sql`${proposals.tags} @> ${JSON.stringify([q.tag])}::jsonb`);
  if (q.roomId) conds.push(eq(proposals.roomId, q.roomId));
  if (q.fromMs !== undefined) conds.push(gte(proposals.atOffsetMs, q.fromMs));
  if (q.toMs !== undefined) conds.push(lt(proposals.atOffsetMs, q.toMs));
  const column = SORT_COLUMN[q.sort];
  if (q.cursor) {
    const [value, id] = decodeCursor(q.cursor, q.sort);
    conds.push(or(lt(column, value as never), and(eq(column, value as never), lt(proposals.id, id))));
  }
  return { where: and(...conds), order: [desc(column), desc(proposals.id), asc(proposals.title)] };
}
