import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../errors.ts';

/** Mutations that reach out to marketplaces, limited per user so one user cannot spend a shared quota. */
export const rateLimitedActions = {
  connectMarketplace: { points: 10, duration: 60 },
  startSync: { points: 30, duration: 60 },
} as const;

export type RateLimitedAction = keyof typeof rateLimitedActions;

export interface ApiRateLimits {
  /** Counts one call; throws RATE_LIMITED (with retryAfterSeconds) past the budget. */
  consume(action: RateLimitedAction, userId: string): Promise<void>;
  close(): Promise<void>;
}

/** In memory for one instance; shared through Redis when REDIS_URL is set. */
export function createApiRateLimits(redisUrl?: string, onRedisError: (error: Error) => void = () => undefined): ApiRateLimits {
  const redis = redisUrl ? new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : undefined;
  redis?.on('error', onRedisError);
  const limiters = Object.fromEntries(
    Object.entries(rateLimitedActions).map(([action, budget]) => {
      const options = { keyPrefix: `hub-rl-${action}`, points: budget.points, duration: budget.duration };
      const limiter: RateLimiterAbstract = redis
        ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })
        : new RateLimiterMemory(options);
      return [action, limiter];
    }),
  ) as Record<RateLimitedAction, RateLimiterAbstract>;

  return {
    consume: async (action, userId) => {
      try {
        await limiters[action].consume(userId);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new AppError('RATE_LIMITED', `Too many ${action} calls; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
      }
    },
    close: async () => {
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
