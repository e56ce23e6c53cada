import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';

const MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');
// Any constant works; it only has to be the same for every Lotus process.
const LOCK_ID = 7_415_001;

export interface MigrationProgress {
  (event: { name: string; index: number; total: number; applied: boolean }): void;
}

/**
 * Applies drizzle-kit's SQL migrations in order, once each, under an advisory lock so
 * that several processes starting together do not race. drizzle-kit qualifies foreign
 * keys with "public"; we strip that so DATABASE_SCHEMA (search_path) decides where
 * tables live, which is what lets each test file own a schema.
 */
export async function migrate(pool: pg.Pool, schemaName: string, onProgress?: MigrationProgress): Promise<number> {
  const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const client = await pool.connect();
  let applied = 0;
  try {
    // The lock comes first: two processes creating the same schema at once collide in the
    // catalog ("create schema if not exists" is not safe against a concurrent create), so
    // replicas starting together on a fresh database used to fail one of them.
    await client.query('select pg_advisory_lock($1)', [LOCK_ID]);
    await client.query(`create schema if not exists "${schemaName}"`);
    await client.query(
      `create table if not exists "${schemaName}".lotus_migrations (name text primary key, applied_at timestamptz not null default now())`,
    );
    const done = new Set(
      (await client.query<{ name: string }>(`select name from "${schemaName}".lotus_migrations`)).rows.map((r) => r.name),
    );
    for (const [index, file] of files.entries()) {
      const name = file.replace(/\.sql$/, '');
      if (done.has(name)) {
        onProgress?.({ name, index, total: files.length, applied: false });
        continue;
      }
      const sql = (await fs.readFile(path.join(MIGRATIONS_DIR, file), 'utf8')).replaceAll('"public".', '');
      await client.query('begin');
      try {
        await client.query(`set local search_path to "${schemaName}"`);
        // Checked again inside the transaction: embedded PGlite shares one session between
        // connections, so the advisory lock alone does not keep two processes apart there.
        const again = await client.query(`select 1 from "${schemaName}".lotus_migrations where name = $1`, [name]);
        if (again.rowCount) {
          await client.query('rollback');
          continue;
        }
        for (const statement of sql.split('--> statement-breakpoint')) {
          if (statement.trim()) await client.query(statement);
        }
        await client.query(`insert into "${schemaName}".lotus_migrations (name) values ($1)`, [name]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw new Error(`migration ${name} failed: ${(err as Error).message}`, { cause: err });
      }
      applied++;
      onProgress?.({ name, index, total: files.length, applied: true });
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    client.release();
  }
  return applied;
}
