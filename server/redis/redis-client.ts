import { createClient } from 'redis';

export type Redis = ReturnType<typeof createClient>;

/**
 * One node-redis client. Reconnects forever with capped backoff: a Redis restart
 * must not take the app down, only pause what needs Redis.
 */
export async function connectRedis(url: string, onError?: (err: Error) => void, name = 'lotus', opts: { failFast?: boolean } = {}): Promise<Redis> {
  const client = createClient({
    url,
    name,
    // failFast: while disconnected, commands fail at once instead of waiting in a queue,
    // so a request answers UNAVAILABLE rather than hanging until Redis returns.
    disableOfflineQueue: opts.failFast ?? false,
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000),
    },
  });
  client.on('error', (err: Error) => onError?.(err));
  await client.connect();
  return client;
}

/** True when Redis answers PING within a second. */
export async function pingRedis(client: Redis): Promise<boolean> {
  if (!client.isReady) return false;
  try {
    const pong = await Promise.race([
      client.ping(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref()),
    ]);
    return pong === 'PONG';
  } catch {
    return false;
  }
}
