import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFor, isolation } from '../support/app.js';
import { migrate } from '../../server/db/migrate.js';

/**
 * Replicas starting together on a fresh database (docker-compose starts both servers and
 * the workers at once): every one of them migrates the same schema at the same moment.
 */

const files = fs.readdirSync(path.join(import.meta.dirname, '../../server/db/migrations')).filter((f) => f.endsWith('.sql'));
let database: { url: string; release(): Promise<void> };
const pools: pg.Pool[] = [];
const { DATABASE_SCHEMA: schema } = isolation('migrate');

beforeAll(async () => {
  database = await databaseFor(schema);
  for (let i = 0; i < 4; i++) pools.push(new pg.Pool({ connectionString: database.url, max: 1 }));
});
afterAll(async () => {
  await pools[0]?.query(`drop schema if exists "${schema}" cascade`);
  await Promise.all(pools.map((p) => p.end()));
  await database?.release();
});

describe('migrations', () => {
  it('four processes migrating one fresh schema at once all succeed, and each migration runs once', async () => {
    expect(files.length).toBeGreaterThan(0);
    const applied = await Promise.all(pools.map((pool) => migrate(pool, schema)));
    expect(applied.reduce((a, b) => a + b, 0)).toBe(files.length);
    const rows = (await pools[0].query(`select name from "${schema}".lotus_migrations order by name`)).rows.map((r) => `${r.name}.sql`);
    expect(rows).toEqual([...files].sort());
    // And once more, as at the next start: nothing left to do.
    expect(await migrate(pools[1], schema)).toBe(0);
  });
});
