import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { rooms } from '../../db/schema.js';

export type RoomRow = typeof rooms.$inferSelect;

/** SQL for premiere rooms. */
export function createRoomStore(db: Db) {
  return {
    async insert(row: typeof rooms.$inferInsert): Promise<RoomRow> {
      const [created] = await db.insert(rooms).values(row).returning();
      return created;
    },
    async byId(id: string): Promise<RoomRow | null> {
      const [row] = await db.select().from(rooms).where(eq(rooms.id, id));
      return row ?? null;
    },
    async list(limit: number): Promise<RoomRow[]> {
      return db.select().from(rooms).orderBy(asc(rooms.startsAt)).limit(limit);
    },
  };
}

export type RoomStore = ReturnType<typeof createRoomStore>;
