import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '../contracts/errors.js';
import { AppError } from './errors.js';
import type { Redis } from './redis/redis-client.js';

export interface Limiter {
  /** Spends `points`; throws RATE_LIMITED with retryAfterMs when the budget is gone. */
  consume(key: string, points?: number): Promise<void>;
  /** Gives the whole budget back, e.g. after a successful login. */
  reset(key: string): Promise<void>;
}

/**
 * A fixed-window limiter shared by every server process through Redis. While Redis
 * is unreachable an in-memory limiter with the same budget stands in, so limits
 * hold (per process) instead of failing open or failing every request.
 */
export function createLimiter(opts: {
  redis: Redis;
  prefix: string;
  name: string;
  points: number;
  durationS: number;
  message: string;
}): Limiter {
  const limiter = new RateLimiterRedis({
    storeClient: opts.redis,
    useRedisPackage: true,
    keyPrefix: `${opts.prefix}:rl:${opts.name}`,
    points: opts.points,
    duration: opts.durationS,
    insuranceLimiter: new RateLimiterMemory({ points: opts.points, duration: opts.durationS }),
  });
  return {
    async consume(key, points = 1) {
      try {
        await limiter.consume(key, points);
      } catch (res) {
        if (res instanceof RateLimiterRes) {
          throw new AppError(ErrorCode.RATE_LIMITED, opts.message, { retryAfterMs: res.msBeforeNext });
        }
        throw res;
      }
    },
    async reset(key) {
      await limiter.delete(key).catch(() => undefined);
    },
  };
}
