import { loadConfig } from './config.js';
import { exitOnStartFailure, stopOnSignals } from './process-lifecycle.js';
import { createLogger } from './log.js';
import { provideInfrastructure, resolveJwtSecret } from './infrastructure.js';
import { buildDeps } from './build-deps.js';
import { startLotus } from './lotus.js';

/** Composition root of a server process: config -> infrastructure -> deps -> Lotus. */
async function main() {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'lotus-server' });
  const infra = await provideInfrastructure(config, log);
  const { deps, close } = await buildDeps({
    config,
    log,
    databaseUrl: infra.databaseUrl,
    redisUrl: infra.redisUrl,
    migrate: true,
  });
  const lotus = await startLotus({ ...deps, jwtSecret: await resolveJwtSecret(config) });
  log.info({ url: lotus.url }, 'server ready');

  stopOnSignals(log, { what: 'server', hardLimitMs: 10_000, steps: [lotus.close, close, infra.stop] });
}

main().catch(exitOnStartFailure('lotus server'));
