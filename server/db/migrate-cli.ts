import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { provideInfrastructure } from '../infrastructure.js';
import { openDatabase } from './database.js';
import { migrate } from './migrate.js';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database), showing progress. */
const config = loadConfig();
const log = createLogger({ level: 'warn', name: 'lotus-migrate' });
const infra = await provideInfrastructure(config, log, { redis: false });
const db = openDatabase({ url: infra.databaseUrl, schema: config.DATABASE_SCHEMA, poolSize: 1 });
try {
  const applied = await migrate(db.pool, config.DATABASE_SCHEMA, ({ name, index, total, applied }) =>
    console.log(`migrate [${index + 1}/${total}] ${name} ${applied ? 'applied' : 'already applied'}`),
  );
  console.log(`migrate: ${applied} applied, schema "${config.DATABASE_SCHEMA}" is up to date`);
} finally {
  await db.close();
  await infra.stop();
}
