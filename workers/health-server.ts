import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkerRuntime } from './runtime.js';

/** GET /healthz for the workers process: 200 when Redis and every worker are up, else 503. */
export async function startHealthServer(runtime: WorkerRuntime, port: number, host: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    if (req.method !== 'GET' || req.url !== '/healthz') {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'only GET /healthz here' } }));
      return;
    }
    const health = await runtime.healthy();
    res.writeHead(health.ok ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(health));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
