import { loadConfig } from '../server/config.js';
import { exitOnStartFailure, stopOnSignals } from '../server/process-lifecycle.js';
import { createLogger } from '../server/log.js';
import { provideInfrastructure } from '../server/infrastructure.js';
import { buildDeps } from '../server/build-deps.js';
import { startWorkers } from './runtime.js';
import { startHealthServer } from './health-server.js';
import { processors } from './processors/index.js';

/** Composition root of the workers process: the same deps as the server, plus BullMQ workers. */
async function main() {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'lotus-workers' });
  const infra = await provideInfrastructure(config, log);
  const { deps, close } = await buildDeps({ config, log, databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl, migrate: true });
  const runtime = await startWorkers(deps, processors, infra.redisUrl);
  const health = config.WORKERS_HEALTH_PORT ? await startHealthServer(runtime, config.WORKERS_HEALTH_PORT, config.HOST) : null;
  log.info({ healthPort: health?.port ?? null }, 'workers ready');

  // Running jobs finish before the connections close.
  stopOnSignals(log, { what: 'workers', hardLimitMs: 30_000, steps: [async () => health?.close(), runtime.close, close, infra.stop] });
}

main().catch(exitOnStartFailure('lotus workers'));
