import { randomBytes } from 'node:crypto';

/** What the benchmark needs through the public HTTP API: an admin session, a live room, sender accounts. */

async function api<T>(baseUrl: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} /api${path}: ${res.status} ${text.slice(0, 200)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

export async function adminToken(baseUrl: string, handle: string, password: string): Promise<string> {
  const { token } = await api<{ token: string }>(baseUrl, 'POST', '/auth/login', { handle, password });
  return token;
}

/** A premiere that is live now and stays live for six hours. */
export async function createLiveRoom(baseUrl: string, token: string, title: string): Promise<string> {
  const { room } = await api<{ room: { id: string; status: string } }>(
    baseUrl,
    'POST',
    '/rooms',
    {
      title,
      ip: 'Lotus benchmark',
      videoUrl: '/media/bench.mp4',
      durationMs: 6 * 3600 * 1000,
      startsAt: new Date(Date.now() - 1_000).toISOString(),
    },
    token,
  );
  if (room.status !== 'live') throw new Error(`the benchmark room is ${room.status}, not live`);
  return room.id;
}

/**
 * Registers `count` fan accounts (argon2 makes each ~20 ms of server CPU, so a few at a
 * time in parallel) and returns their session tokens.
 */
export async function registerSenders(baseUrl: string, count: number, onProgress: (done: number) => void): Promise<string[]> {
  const tag = randomBytes(3).toString('hex');
  const password = randomBytes(12).toString('base64url');
  const tokens: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const { token } = await api<{ token: string }>(baseUrl, 'POST', '/auth/register', {
        handle: `bench-${tag}-${i}`,
        password,
        displayName: `弹幕君${i}`,
      });
      tokens.push(token);
      if (tokens.length % 50 === 0 || tokens.length === count) onProgress(tokens.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, count) }, worker));
  return tokens;
}
