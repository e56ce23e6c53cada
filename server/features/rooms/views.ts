import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { roomViews } from '../../db/schema.js';

/**
 * Which accounts watched which premiere. Writers read it as "where viewers came back";
 * poll breakdowns use it to tell first-time viewers from returning ones.
 */
export function createRoomViews(db: Db, now: () => number) {
  return {
    async record(roomId: string, userId: string): Promise<void> {
      const at = new Date(now());
      await db
        .insert(roomViews)
        .values({ roomId, userId, firstJoinedAt: at, lastJoinedAt: at })
        .onConflictDoUpdate({ target: [roomViews.roomId, roomViews.userId], set: { lastJoinedAt: at, joins: sql`${roomViews.joins} + 1` } });
    },
  };
}

export type RoomViews = ReturnType<typeof createRoomViews>;
