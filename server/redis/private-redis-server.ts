import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

export class MissingRedisServerError extends Error {
  constructor() {
    super(
      'No REDIS_URL is set and no redis-server binary was found on PATH.\n' +
        'Either point Lotus at a Redis with REDIS_URL=redis://host:6379, or install one:\n' +
        '  Debian/Ubuntu: sudo apt-get install redis-server\n' +
        '  macOS:         brew install redis',
    );
    this.name = 'MissingRedisServerError';
  }
}

/** Asks the OS for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`redis-server exited with code ${child.exitCode}`));
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error('redis-server did not start in time'));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Starts Debian's redis-server on a free loopback port, data under `dataDir` with AOF on
 * (`dataDir` undefined: nothing kept, for tests). The caller stops it on exit.
 */
export async function startPrivateRedis(opts: { dataDir?: string; binary?: string; port?: number }): Promise<PrivateRedis> {
  const binary = opts.binary ?? 'redis-server';
  if (spawnSync(binary, ['--version']).error) throw new MissingRedisServerError();
  const port = opts.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--protected-mode', 'yes'];
  if (opts.dataDir) {
    await fs.mkdir(opts.dataDir, { recursive: true });
    args.push('--dir', opts.dataDir, '--appendonly', 'yes', '--appendfsync', 'everysec');
  } else {
    args.push('--appendonly', 'no');
  }
  // BullMQ and danmaku streams must never be evicted.
  args.push('--maxmemory-policy', 'noeviction');
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port, child, 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
