import { createHash } from 'node:crypto';
import type { Redis } from './redis-client.js';

/**
 * A Lua script run by its hash (EVALSHA: the source crosses the wire only when Redis does
 * not know it yet, at first use or after a Redis restart, and then with EVAL).
 */
export function luaScript<T>(source: string) {
  const sha = createHash('sha1').update(source).digest('hex');
  return async function run(redis: Redis, keys: string[], args: Array<string | number>): Promise<T> {
    const options = { keys, arguments: args.map(String) };
    try {
      return (await redis.evalSha(sha, options)) as unknown as T;
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return (await redis.eval(source, options)) as unknown as T;
    }
  };
}
