import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isolation, startTestApp, type TestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { createRoom } from '../support/rooms.js';
import { connectSocket, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';

/**
 * The production nginx (deploy/nginx.conf, as docker-compose.yml runs it) in front of two
 * real Lotus processes: the file itself, with only the upstream addresses and the listen
 * port rewritten for this machine. Compose cannot run here; nginx can.
 */

/** Debian's nginx (nginx-light, which .ci/run installs); /usr/sbin is not on every user's PATH. */
const NGINX = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
const CAP = Number(/limit_conn lotus_sockets_per_ip (\d+);/.exec(fs.readFileSync('deploy/nginx.conf', 'utf8'))?.[1]);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForPort(port: number, deadlineMs: number) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nginx did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts nginx with the deploy file, the two apps as its upstreams; resolves with its base URL. */
async function startNginx(dir: string, upstreams: [string, string]): Promise<{ url: string; proc: ChildProcess; log: () => string }> {
  const port = await freePort();
  const site = fs
    .readFileSync('deploy/nginx.conf', 'utf8')
    .replace('server server-1:3000;', `server ${new URL(upstreams[0]).host};`)
    .replace('server server-2:3000;', `server ${new URL(upstreams[1]).host};`)
    .replace('listen 80;', `listen 127.0.0.1:${port};`);
  expect(site).toContain(`listen 127.0.0.1:${port};`);
  fs.writeFileSync(path.join(dir, 'site.conf'), site);
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      'worker_rlimit_nofile 4096;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'error.log')} warn;`,
      'events { worker_connections 2048; }',
      'http {',
      '  access_log off;',
      `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
      `  include ${path.join(dir, 'site.conf')};`,
      '}',
    ].join('\n'),
  );
  // The worker may run as an unprivileged user: it must be able to write its temp paths.
  fs.chmodSync(dir, 0o777);
  const proc = spawn(NGINX, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  await waitForPort(port, 10_000);
  return { url: `http://127.0.0.1:${port}`, proc, log: () => stderr + (fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : '') };
}

/** A raw Engine.IO websocket through nginx: resolves with the HTTP status it was refused with, or 101 once Engine.IO opened it. */
function rawSocket(base: string): Promise<{ status: number; ws: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    ws.once('message', (data) => (String(data).startsWith('0') ? resolve({ status: 101, ws }) : reject(new Error(`unexpected first packet ${String(data).slice(0, 40)}`))));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, ws });
      res.resume();
    });
    ws.once('error', (err) => reject(err));
  });
}

let a: TestApp;
let b: TestApp;
let nginx: Awaited<ReturnType<typeof startNginx>>;
let dir: string;

beforeAll(async () => {
  const shared = isolation('nginx');
  const env = { TRUST_PROXY: '1', DANMAKU_USER_INTERVAL_MS: '0', DANMAKU_PER_IP_PER_10S: '2' };
  [a, b] = await Promise.all([startTestApp({ shared, env }), startTestApp({ shared, env })]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotus-nginx-'));
  nginx = await startNginx(dir, [a.url, b.url]);
}, 60_000);

afterAll(async () => {
  if (nginx?.proc.exitCode === null) {
    const exited = new Promise((r) => nginx.proc.once('exit', r));
    nginx.proc.kill('SIGQUIT');
    await exited;
  }
  await Promise.all([a?.stop(), b?.stop()]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('deploy/nginx.conf in front of two Lotus processes', () => {
  it('serves the API, and danmaku over websockets and over long-polling (sticky) through it', async () => {
    const health = await fetch(`${nginx.url}/healthz`);
    expect(health.status, nginx.log()).toBe(200);

    const mod = await createAccount(a, 'moderator');
    const room = await createRoom(a, mod, { agoMs: 10_000 });
    const fan = await createAccount(a);
    const sockets: ClientSocket[] = [];
    try {
      const sender = await connectSocket(nginx.url, { token: fan.token });
      const polling = await connectSocket(nginx.url, { transports: ['polling'] });
      sockets.push(sender, polling);
      expect(polling.io.engine.transport.name).toBe('polling');
      for (const s of sockets) expect((await emitAck(s, 'room:join', { roomId: room.id })).ok).toBe(true);
      const arrived = nextEvent(polling, 'danmaku:batch', (batch: any) => batch.items.some((d: any) => d.text === 'through nginx'));
      const ack = await emitAck(sender, 'danmaku:send', { roomId: room.id, text: 'through nginx' });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
      await arrived;
    } finally {
      for (const s of sockets) s.close();
    }
  });

  it('a browser on the site\'s own origin may open a socket through it, on any port; another origin may not', async () => {
    // A browser sends Origin with the port it used; the app compares it with the Host nginx passes on.
    const own = await connectSocket(nginx.url, { headers: { origin: nginx.url } });
    own.close();
    await expect(connectSocket(nginx.url, { headers: { origin: 'http://evil.example' } })).rejects.toThrow();
  });

  it('the per-IP danmaku budget is each viewer\'s own, not nginx\'s: X-Forwarded-For is read through TRUST_PROXY', async () => {
    const mod = await createAccount(a, 'moderator');
    const room = await createRoom(a, mod, { agoMs: 10_000 });
    // Two viewers on two addresses of the loopback network, both through nginx.
    const codesFrom = async (localAddress: string, count: number) => {
      const codes: string[] = [];
      for (let i = 0; i < count; i++) {
        const fan = await createAccount(a);
        const s = await connectSocket(nginx.url, { token: fan.token, localAddress });
        try {
          const ack = await emitAck(s, 'danmaku:send', { roomId: room.id, text: `from ${localAddress} #${i}` });
          codes.push(ack.ok ? 'ok' : ack.error.code);
        } finally {
          s.close();
        }
      }
      return codes;
    };
    expect(await codesFrom('127.0.0.2', 3)).toEqual(['ok', 'ok', 'RATE_LIMITED']);
    expect(await codesFrom('127.0.0.3', 2)).toEqual(['ok', 'ok']);
  });

  it(`holds ${CAP} realtime connections from one IP and refuses the next with a 429, until one closes`, { timeout: 60_000 }, async () => {
    expect(CAP).toBeGreaterThanOrEqual(100);
    const held: WebSocket[] = [];
    try {
      for (let i = 0; i < CAP; i += 32) {
        const batch = await Promise.all(Array.from({ length: Math.min(32, CAP - i) }, () => rawSocket(nginx.url)));
        for (const r of batch) held.push(r.ws);
        expect(batch.map((r) => r.status)).toEqual(batch.map(() => 101));
      }
      const over = await rawSocket(nginx.url);
      expect(over.status).toBe(429);
      // The rest of the site stays open to that IP: the cap is on sockets only.
      expect((await fetch(`${nginx.url}/healthz`)).status).toBe(200);

      const closed = new Promise((r) => held[0].once('close', r));
      held[0].close();
      await closed;
      // nginx notices the closed upstream request a moment later.
      let again = await rawSocket(nginx.url);
      for (let tries = 0; again.status === 429 && tries < 50; tries++) {
        await new Promise((r) => setTimeout(r, 100));
        again = await rawSocket(nginx.url);
      }
      expect(again.status).toBe(101);
      held[0] = again.ws;
    } finally {
      for (const ws of held) ws.terminate();
    }
  });
});
