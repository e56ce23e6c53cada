import { pgTable, uuid, text, timestamp, integer, bigint, smallint, doublePrecision, boolean, jsonb, primaryKey, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * Lotus' tables. drizzle-kit turns changes here into SQL migrations under server/db/migrations.
 * Tables are created unqualified so the schema is chosen by search_path (DATABASE_SCHEMA).
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    handle: text('handle').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['fan', 'moderator', 'writer', 'admin'] }).notNull().default('fan'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_handle_lower_idx').on(sql`lower(${t.handle})`),
    // Staff look accounts up by the start of a handle; text_pattern_ops lets LIKE 'abc%' use the index under any collation.
    index('users_handle_prefix_idx').on(sql`lower(${t.handle}) text_pattern_ops`),
  ],
);

export const rooms = pgTable(
  'rooms',
  {
    id: uuid('id').primaryKey(),
    title: text('title').notNull(),
    ip: text('ip').notNull(),
    videoUrl: text('video_url').notNull(),
    durationMs: integer('duration_ms').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('rooms_starts_at_idx').on(t.startsAt)],
);

/** Every accepted danmaku, written in batches by the workers from the Redis stream; `id` makes it idempotent. */
export const danmaku = pgTable(
  'danmaku',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id').notNull(),
    userId: uuid('user_id').notNull(),
    userName: text('user_name').notNull(),
    text: text('text').notNull(),
    mode: text('mode', { enum: ['scroll', 'top', 'bottom'] }).notNull(),
    color: text('color').notNull(),
    offsetMs: integer('offset_ms').notNull(),
    /** visible, held (waits for review; only its author sees it), shadow (shadow-muted author), hidden (by staff or reports). */
    state: text('state', { enum: ['visible', 'held', 'shadow', 'hidden'] }).notNull().default('visible'),
    staff: boolean('staff').notNull().default(false),
    reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('danmaku_room_offset_idx').on(t.roomId, t.offsetMs, t.id), index('danmaku_user_idx').on(t.userId, t.createdAt)],
);

export const danmakuLikes = pgTable(
  'danmaku_likes',
  {
    danmakuId: uuid('danmaku_id').notNull(),
    userId: uuid('user_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.danmakuId, t.userId] })],
);

/** Reports from any account on danmaku, proposals or users; one per reporter and target. */
export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey(),
    targetType: text('target_type', { enum: ['danmaku', 'proposal', 'user'] }).notNull(),
    targetId: uuid('target_id').notNull(),
    roomId: uuid('room_id'),
    reporterId: uuid('reporter_id').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['open', 'resolved', 'dismissed'] }).notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('reports_one_per_reporter_idx').on(t.targetType, t.targetId, t.reporterId), index('reports_status_idx').on(t.status, t.createdAt)],
);

/** Mutes and bans: scoped to a room or everywhere (room_id null), until expires_at (null: permanent) or revoked. */
export const sanctions = pgTable(
  'sanctions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    kind: text('kind', { enum: ['mute', 'ban', 'shadow_mute'] }).notNull(),
    roomId: uuid('room_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sanctions_user_idx').on(t.userId)],
);

/** Append-only record of every moderation action, automatic ones included (actor_id null = Lotus itself). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    roomId: uuid('room_id'),
    reason: text('reason').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  // (at, id): audit pages are cut on this pair, so entries sharing a timestamp are never skipped or repeated.
  (t) => [index('audit_log_at_id_idx').on(t.at, t.id), index('audit_log_target_idx').on(t.targetType, t.targetId)],
);

/** Live room rules; read by every server process within a second of a change. */
export const roomSettings = pgTable('room_settings', {
  roomId: uuid('room_id').primaryKey(),
  slowModeMs: integer('slow_mode_ms').notNull().default(0),
  minAccountAgeMs: bigint('min_account_age_ms', { mode: 'number' }).notNull().default(0),
  automodLevel: integer('automod_level').notNull().default(1),
  blockedTerms: jsonb('blocked_terms').$type<Array<{ term: string; action: 'block' | 'hold' | 'censor' }>>().notNull().default([]),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The global blocked-term list, edited by admins. One row per term. */
export const globalTerms = pgTable('global_terms', {
  term: text('term').primaryKey(),
  action: text('action', { enum: ['block', 'hold', 'censor'] }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const polls = pgTable(
  'polls',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id').notNull(),
    question: text('question').notNull(),
    options: jsonb('options').$type<Array<{ id: string; text: string }>>().notNull(),
    kind: text('kind', { enum: ['single', 'multi'] }).notNull(),
    maxChoices: integer('max_choices').notNull(),
    status: text('status', { enum: ['draft', 'open', 'closed'] }).notNull().default('draft'),
    durationMs: integer('duration_ms').notNull(),
    opensAt: timestamp('opens_at', { withTimezone: true }),
    closesAt: timestamp('closes_at', { withTimezone: true }),
    resultsVisibility: text('results_visibility', { enum: ['live', 'after_close'] }).notNull(),
    atOffsetMs: integer('at_offset_ms'),
    /** The closing result, computed from poll_votes when the poll closes. */
    finalTallies: jsonb('final_tallies').$type<Record<string, number>>(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('polls_room_idx').on(t.roomId, t.createdAt)],
);

/** One row per account and poll: the primary key is what makes every vote count exactly once. */
export const pollVotes = pgTable(
  'poll_votes',
  {
    pollId: uuid('poll_id').notNull(),
    userId: uuid('user_id').notNull(),
    optionIds: jsonb('option_ids').$type<string[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.userId] })],
);

/** Opt-in profile facts for aggregated breakdowns; never shown per person. */
export const profiles = pgTable('profiles', {
  userId: uuid('user_id').primaryKey(),
  birthYear: integer('birth_year'),
  region: text('region'),
  gender: text('gender'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Who watched which premiere, and when they first and last joined: new vs returning viewers. */
export const roomViews = pgTable(
  'room_views',
  {
    roomId: uuid('room_id').notNull(),
    userId: uuid('user_id').notNull(),
    firstJoinedAt: timestamp('first_joined_at', { withTimezone: true }).notNull().defaultNow(),
    lastJoinedAt: timestamp('last_joined_at', { withTimezone: true }).notNull().defaultNow(),
    joins: integer('joins').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index('room_views_user_idx').on(t.userId, t.firstJoinedAt)],
);

export const proposals = pgTable(
  'proposals',
  {
    id: uuid('id').primaryKey(),
    ip: text('ip').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** Normalised plain text of title and body: what moderation and duplicate detection read. */
    plain: text('plain').notNull(),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    authorId: uuid('author_id').notNull(),
    authorName: text('author_name').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'held', 'rejected', 'in_review', 'shortlisted', 'accepted', 'declined', 'merged'] }).notNull().default('pending'),
    reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
    supporters: integer('supporters').notNull().default(0),
    opponents: integer('opponents').notNull().default(0),
    newAccountVotes: integer('new_account_votes').notNull().default(0),
    scoreTop: doublePrecision('score_top').notNull().default(0),
    scoreHot: doublePrecision('score_hot').notNull().default(0),
    scoreControversy: doublePrecision('score_controversy').notNull().default(0),
    flags: jsonb('flags').$type<string[]>().notNull().default([]),
    duplicateOf: uuid('duplicate_of'),
    mergedInto: uuid('merged_into'),
    minhash: jsonb('minhash').$type<number[]>(),
    decision: jsonb('decision').$type<Record<string, unknown>>(),
    roomId: uuid('room_id'),
    atOffsetMs: integer('at_offset_ms'),
    idempotencyKey: text('idempotency_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('proposals_author_key_idx').on(t.authorId, t.idempotencyKey),
    index('proposals_ip_status_idx').on(t.ip, t.status),
    index('proposals_ip_top_idx').on(t.ip, t.scoreTop),
    index('proposals_ip_hot_idx').on(t.ip, t.scoreHot),
    index('proposals_author_idx').on(t.authorId, t.createdAt),
  ],
);

export const proposalVotes = pgTable(
  'proposal_votes',
  {
    proposalId: uuid('proposal_id').notNull(),
    userId: uuid('user_id').notNull(),
    value: smallint('value').notNull(),
    /** Votes of accounts younger than a week count, but are flagged for staff. */
    newAccount: boolean('new_account').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.userId] }), index('proposal_votes_time_idx').on(t.proposalId, t.createdAt)],
);

/**
 * Locality-sensitive hashing of proposals' MinHash signatures: one row per band of
 * rows of the signature (see server/features/proposals/lsh.ts). Two proposals that
 * share a (band, bucket) in the same franchise are candidate near-duplicates, so a
 * moderation job reads a handful of candidates instead of every signature.
 */
export const proposalLshBuckets = pgTable(
  'proposal_lsh_buckets',
  {
    ip: text('ip').notNull(),
    band: smallint('band').notNull(),
    bucket: integer('bucket').notNull(),
    proposalId: uuid('proposal_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ip, t.band, t.bucket, t.proposalId] }), index('proposal_lsh_buckets_proposal_idx').on(t.proposalId)],
);

/** Credit: the author, plus every author whose proposal was merged into this one. */
export const proposalContributors = pgTable(
  'proposal_contributors',
  {
    proposalId: uuid('proposal_id').notNull(),
    userId: uuid('user_id').notNull(),
    userName: text('user_name').notNull(),
    via: uuid('via'),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.userId] })],
);

/** Per-franchise rules: how much support sends a proposal to the writers. */
export const ipSettings = pgTable('ip_settings', {
  ip: text('ip').primaryKey(),
  supportThreshold: integer('support_threshold').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One appeal per moderation action (the audit row it answers), decided by a moderator. */
export const appeals = pgTable(
  'appeals',
  {
    id: uuid('id').primaryKey(),
    actionId: uuid('action_id').notNull(),
    userId: uuid('user_id').notNull(),
    text: text('text').notNull(),
    status: text('status', { enum: ['open', 'upheld', 'reversed'] }).notNull().default('open'),
    reply: text('reply'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('appeals_one_per_action_idx').on(t.actionId), index('appeals_status_idx').on(t.status, t.createdAt)],
);
