import { z } from 'zod';
import path from 'node:path';

/**
 * Every setting Lotus reads, parsed once at start. Nothing else reads process.env.
 * Each default says why it is what it is.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

export const ConfigSchema = z
  .object({
    /** production turns on secure cookies and requires a real secret. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** 3000: the usual dev port; 0 asks the OS for a free one (tests). */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Loopback by default so a dev machine is not exposed; containers set 0.0.0.0. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Unset: the start command runs an embedded PGlite under LOTUS_DATA_DIR. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    /** Schema holding Lotus' tables; tests give each file its own. */
    DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case identifier')
      .default('public'),
    /** 10: enough for a server process; Postgres' default limit is 100 for all. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /** 5 s: a request that cannot get a connection by then is better refused (UNAVAILABLE) than left hanging. */
    DATABASE_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    /** Unset: the start command runs a private redis-server under LOTUS_DATA_DIR. */
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** Every Redis key, stream and queue starts with it, so deployments (and test files) can share a Redis. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _ . : - only')
      .default('lotus'),
    /** Embedded Postgres data, private Redis data, dev secret. */
    LOTUS_DATA_DIR: z.string().min(1).default('.data'),
    /** HS256 key for session tokens. Required in production; dev uses one kept in the data folder. */
    LOTUS_JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
    /** Seven days: a premiere season is weekly; logging in every week is acceptable. */
    LOTUS_TOKEN_TTL_S: z.coerce.number().int().min(60).max(90 * 86400).default(7 * 86400),
    /** Creates or updates the first admin at start when both are set. */
    LOTUS_ADMIN_HANDLE: z.string().min(3).max(32).optional(),
    LOTUS_ADMIN_PASSWORD: z.string().min(8).optional(),
    /** Origins allowed to call the API from a browser. Same-origin always works. */
    CORS_ORIGINS: csv.default([]),
    /** 64 KB: the largest legitimate body is a proposal; anything bigger is an attack or a bug. */
    JSON_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i).default('64kb'),
    /** 16 KB: socket payloads are small (a danmaku is at most 100 characters). */
    SOCKET_MAX_BUFFER_BYTES: z.coerce.number().int().min(1024).max(1_048_576).default(16_384),
    /**
     * Events one socket may send per second, and in a burst (realtime/event-budget.ts): far
     * above any person (a comment every two seconds, a like, a vote), low enough that a
     * script looping an event is answered RATE_LIMITED instead of becoming database work.
     */
    SOCKET_EVENTS_PER_S: z.coerce.number().int().min(1).max(1_000_000).default(20),
    SOCKET_EVENTS_BURST: z.coerce.number().int().min(1).max(1_000_000).default(100),
    /** Two minutes: a phone that loses the network briefly gets its missed events back. */
    SOCKET_RECOVERY_MS: z.coerce.number().int().min(0).max(600_000).default(120_000),
    /** Login attempts per handle (and ten times that per IP) in 15 minutes: slows guessing, not people. */
    LOGIN_ATTEMPTS_PER_15MIN: z.coerce.number().int().min(1).max(10_000).default(10),
    /** Accounts per IP per hour: stops scripted sign-ups without blocking a household. */
    REGISTRATIONS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
    /** Set when a load balancer sits in front, so client IPs come from X-Forwarded-For. */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    /** info in production; debug only when chasing a bug. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Serves the built client from here; absent folder = API only. */
    CLIENT_DIST_DIR: z.string().default('dist/client'),
    /** Video files served at /media (the demo premiere); production usually points videoUrl at a CDN instead. */
    MEDIA_DIR: z.string().default('media'),
    /** Workers' health endpoint; 0 turns it off. */
    WORKERS_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    /** How long a job's lock lasts; a worker that dies holding jobs frees them after about this long. */
    WORKERS_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    /** Jobs one worker process runs at once per queue. */
    WORKERS_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    /** One danmaku frame per room per tick; 100 ms feels instant and keeps frames per second low. */
    DANMAKU_TICK_MS: z.coerce.number().int().min(10).max(100).default(100),
    /** merged: one frame per room per tick (production). naive: one io.to(room).emit per danmaku, kept as the benchmark's baseline. */
    DANMAKU_FANOUT: z.enum(['merged', 'naive']).default('merged'),
    /** Danmaku a room shows per second; more are sampled (staff first) but all are stored. */
    DANMAKU_DISPLAY_CAP_PER_S: z.coerce.number().int().min(1).max(1000).default(40),
    /** Minimum gap between two danmaku of one account (Bilibili-like pace); room slow mode can raise it. */
    DANMAKU_USER_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
    /** Danmaku per IP per 10 s, across accounts: stops one machine driving many accounts. */
    DANMAKU_PER_IP_PER_10S: z.coerce.number().int().min(1).max(100_000).default(60),
    /** Distinct reporters that hide a comment until staff review it. */
    DANMAKU_REPORTS_TO_HIDE: z.coerce.number().int().min(1).max(1000).default(3),
    /** Supporters that send an approved proposal to the writers' review, unless its franchise sets its own (LEGO Ideas' first stage is 100). */
    PROPOSAL_SUPPORT_THRESHOLD: z.coerce.number().int().min(1).max(1_000_000).default(100),
    /** Votes arriving this close together are written in one INSERT per poll: a burst costs a few statements, not one per vote. */
    POLL_VOTE_BATCH_MS: z.coerce.number().int().min(0).max(100).default(5),
    /** Most votes in one INSERT: keeps a statement (and the share lock it holds) short. */
    POLL_VOTE_BATCH_MAX: z.coerce.number().int().min(1).max(5_000).default(500),
    /** Proposal votes one account may cast per minute: enough to browse and support, not to script. */
    PROPOSAL_VOTES_PER_MIN: z.coerce.number().int().min(1).max(10_000).default(30),
    /** Proposals one account may submit per hour. */
    PROPOSALS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),
    /** Expose /metrics only to requests carrying this bearer token (unset: open, for a private network). */
    METRICS_TOKEN: z.string().min(16).optional(),
    /** Turn off to stop the server from serving helmet's HSTS on plain http dev setups. */
    SECURE_COOKIES: bool.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && !c.LOTUS_JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['LOTUS_JWT_SECRET'], message: 'required in production' });
    }
    if (Boolean(c.LOTUS_ADMIN_HANDLE) !== Boolean(c.LOTUS_ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['LOTUS_ADMIN_PASSWORD'],
        message: 'LOTUS_ADMIN_HANDLE and LOTUS_ADMIN_PASSWORD go together',
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema> & { dataDir: string; secureCookies: boolean };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once, listing every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const c = parsed.data;
  return {
    ...c,
    dataDir: path.resolve(c.LOTUS_DATA_DIR),
    secureCookies: c.SECURE_COOKIES ?? c.NODE_ENV === 'production',
  };
}
