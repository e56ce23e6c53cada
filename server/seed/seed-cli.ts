import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { provideInfrastructure, resolveJwtSecret } from '../infrastructure.js';
import { buildDeps } from '../build-deps.js';
import { seedDemo, DEMO_ACCOUNTS } from './demo-seed.js';

/** `npm run seed`: migrates and seeds the demo data into the configured (or embedded) database. */
const config = loadConfig();
if (config.NODE_ENV === 'production') {
  console.error('refusing to seed demo accounts with NODE_ENV=production');
  process.exit(1);
}
const log = createLogger({ level: 'warn', name: 'lotus-seed' });
const infra = await provideInfrastructure(config, log);
const { deps, close } = await buildDeps({ config, log, databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl, migrate: true });
try {
  await seedDemo({ ...deps, jwtSecret: await resolveJwtSecret(config) }, (msg) => console.log(`seed ${msg}`));
  console.log(`seeded; demo logins: ${DEMO_ACCOUNTS.map((a) => `${a.handle} / ${a.password}`).join(', ')}`);
} finally {
  await close();
  await infra.stop();
}
