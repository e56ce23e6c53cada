import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort, spawnNode, stopChild, waitHealthy } from './procs.js';
import { api } from './http.js';
import { benchmarkCommand } from './command.js';
import { closeServices, type Services } from './services.js';

/**
 * The system under test: `server/main.ts` and `workers/main.ts`, both pinned to core 0,
 * production mode, LOG_LEVEL=warn, on the run's schema and key prefix. Every child is
 * tracked so an exit (normal, error, signal or time limit) never leaves one behind.
 */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function stopAll(graceMs = 5_000) {
  await Promise.all([...children].map((c) => stopChild(c, graceMs)));
}

/** The command around a benchmark of this system: at its end, every tracked child stops and the run's services are removed. */
export function systemCommand(opts: { deadlineS: number; allowDiscard: boolean; services: () => Services | null; log: (line: string) => void }) {
  return benchmarkCommand({
    deadlineS: opts.deadlineS,
    allowDiscard: opts.allowDiscard,
    async cleanup() {
      await stopAll();
      await closeServices(opts.services(), opts.log);
    },
  });
}

export function baseEnv(services: Services, extra: Record<string, string>) {
  const admin = { handle: `bench_admin_${randomBytes(3).toString('hex')}`, password: randomBytes(16).toString('base64url') };
  const jwtSecret = randomBytes(32).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SECURE_COOKIES: 'false',
    HOST: '127.0.0.1',
    DATABASE_URL: services.databaseUrl,
    DATABASE_SCHEMA: services.schema,
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: services.prefix,
    LOTUS_JWT_SECRET: jwtSecret,
    LOTUS_ADMIN_HANDLE: admin.handle,
    LOTUS_ADMIN_PASSWORD: admin.password,
    LOG_LEVEL: 'warn',
    ...extra,
  };
  return { env, admin, jwtSecret };
}

/** `node --cpu-prof` arguments writing into `<dir>/<name>` (side experiments; never commit profiles). */
export const profileArgs = (dir: string | null, name: string) => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}/${name}`] : []);

export async function startServer(env: NodeJS.ProcessEnv, nodeArgs: string[] = []) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = track(spawnNode({ name: 'server', entry: 'server/main.ts', core: 0, env: { ...env, PORT: String(port) }, nodeArgs }));
  await waitHealthy(`${url}/healthz`, child);
  return { url, child };
}

export async function startWorkers(env: NodeJS.ProcessEnv, name = 'workers', nodeArgs: string[] = []) {
  const port = await freePort();
  const child = track(spawnNode({ name, entry: 'workers/main.ts', core: 0, env: { ...env, WORKERS_HEALTH_PORT: String(port) }, nodeArgs }));
  await waitHealthy(`http://127.0.0.1:${port}/healthz`, child);
  return { child };
}

export async function adminLogin(url: string, admin: { handle: string; password: string }): Promise<{ token: string; userId: string }> {
  const r = await api<{ token: string; user: { id: string } }>(url, 'POST', '/auth/login', { body: admin });
  return { token: r.token, userId: r.user.id };
}

/** A premiere that is live now and stays live for six hours. */
export async function createLiveRoom(url: string, token: string, title: string, ip = 'Lotus benchmark'): Promise<string> {
  const { room } = await api<{ room: { id: string; status: string } }>(url, 'POST', '/rooms', {
    token,
    body: { title, ip, videoUrl: '/media/bench.mp4', durationMs: 6 * 3600 * 1000, startsAt: new Date(Date.now() - 1_000).toISOString() },
  });
  if (room.status !== 'live') throw new Error(`the benchmark room is ${room.status}, not live`);
  return room.id;
}

export { stopChild };
