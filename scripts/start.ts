import { spawn, type ChildProcess } from 'node:child_process';
import { loadConfig, ConfigError } from '../server/config.js';
import { createLogger } from '../server/log.js';
import { provideInfrastructure, resolveJwtSecret } from '../server/infrastructure.js';
import { buildDeps } from '../server/build-deps.js';
import { migrate } from '../server/db/migrate.js';
import { seedDemo, DEMO_ACCOUNTS } from '../server/seed/demo-seed.js';

/**
 * `npm start`: runs the server and the workers as two processes from the environment.
 * When DATABASE_URL or REDIS_URL is missing it first starts the embedded PGlite and a
 * private redis-server here, hands their URLs to both children, and stops them on exit.
 * `--demo` also seeds the demo premiere and accounts and prints the logins.
 */
async function main() {
  const demo = process.argv.includes('--demo');
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'lotus' });
  const infra = await provideInfrastructure(config, log);
  const jwtSecret = await resolveJwtSecret(config);

  // Migrate once here so the two children do not race on an embedded database.
  const { deps, close } = await buildDeps({ config, log, databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl });
  await migrate(deps.db.pool, config.DATABASE_SCHEMA, ({ name, index, total, applied }) =>
    console.log(`migrate [${index + 1}/${total}] ${name}${applied ? ' applied' : ''}`),
  );
  if (demo) await seedDemo({ ...deps, jwtSecret }, (msg) => console.log(`seed ${msg}`));
  await close();

  const env = { ...process.env, DATABASE_URL: infra.databaseUrl, REDIS_URL: infra.redisUrl, LOTUS_JWT_SECRET: jwtSecret };
  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
    await infra.stop();
    process.exit(code);
  };
  for (const entry of ['server/main.ts', 'workers/main.ts']) {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: 'inherit' });
    child.once('exit', (code) => {
      if (!stopping) {
        console.error(`${entry} exited (${code}); stopping Lotus`);
        void stopAll(code || 1);
      }
    });
    children.push(child);
  }
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
  console.log(`\nLotus is starting at ${url}  (Ctrl+C stops it)`);
  if (demo) {
    console.log('Demo logins (handle / password):');
    for (const a of DEMO_ACCOUNTS) console.log(`  ${a.role.padEnd(10)} ${a.handle} / ${a.password}`);
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : `lotus failed to start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
