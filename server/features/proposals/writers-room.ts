import { Router, type Response } from 'express';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { DecisionInput, ExportQuery, MergeInput, PollFromProposalsInput, ProposalListQuery } from '../../../contracts/proposals.js';
import type { Proposal } from '../../../contracts/proposals.js';
import { plainText } from '../../../contracts/text.js';
import { parseInput } from '../../validate.js';
import { requireRole } from '../../http/guards.js';
import type { Db } from '../../db/database.js';
import { segmentBreakdown, toVoterFacts } from '../../audience/segments.js';
import type { PollService } from '../polls/index.js';
import type { ProposalService } from './service.js';
import type { ProposalStore } from './store.js';

const IdParam = z.uuid();
const WRITERS = ['writer', 'admin'] as const;
const ThresholdInput = z.strictObject({ supportThreshold: z.number().int().min(1).max(1_000_000) });

/** Statuses the audience may not be asked about: not (or no longer) public, or already answered no. */
const NOT_ASKABLE = new Set(['rejected', 'held', 'pending', 'merged', 'declined']);
/** Pages read at most when looking past proposals that cannot be asked about. */
const MAX_PAGES = 10;

/** The writers' room: review the top proposals, answer them, merge duplicates, export, and ask the audience. */
export function createWritersRoutes(deps: { proposals: ProposalService; store: ProposalStore; polls: PollService; db: Db; now: () => number }): Router {
  const router = Router();
  const { proposals, store } = deps;

  router.get('/writers/proposals', async (req, res) => {
    const { user } = requireRole(req, WRITERS);
    res.json(await proposals.list(parseInput(ProposalListQuery, req.query), user));
  });

  router.get('/writers/proposals/export', async (req, res) => {
    const { user } = requireRole(req, WRITERS);
    const q = parseInput(ExportQuery, req.query);
    const all: Proposal[] = [];
    let cursor: string | undefined;
    do {
      const page = await proposals.list(parseInput(ProposalListQuery, { ip: q.ip, sort: 'top', limit: 100, cursor }), user);
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && all.length < 50_000);
    sendExport(res, q.format, all);
  });

  router.get('/writers/proposals/:id', async (req, res) => {
    const { user } = requireRole(req, WRITERS);
    const proposal = await proposals.get(parseInput(IdParam, req.params.id), user);
    const root = proposal.duplicateOf ?? proposal.id;
    const { rows: cluster } = await deps.db.execute(sql`
      select id, title, status, supporters from proposals where (id = ${root} or duplicate_of = ${root}) and id <> ${proposal.id} order by supporters desc limit 50`);
    const { rows: voters } = await deps.db.execute(sql`
      select case when v.value = 1 then '["support"]'::jsonb else '["oppose"]'::jsonb end as option_ids,
        p.birth_year, p.region, p.gender, (select count(*) from room_views rv where rv.user_id = v.user_id) > 1 as returning
      from proposal_votes v left join profiles p on p.user_id = v.user_id where v.proposal_id = ${proposal.id}`);
    res.json({
      proposal,
      votesOverTime: await store.votesOverTime(proposal.id),
      segments: segmentBreakdown(voters.map(toVoterFacts), ['support', 'oppose'], deps.now()),
      duplicates: cluster,
    });
  });

  router.post('/writers/proposals/:id/decision', async (req, res) => {
    const { user } = requireRole(req, WRITERS);
    res.json({ proposal: await proposals.decide(user, parseInput(IdParam, req.params.id), parseInput(DecisionInput, req.body)) });
  });

  router.post('/writers/proposals/:id/merge', async (req, res) => {
    const { user } = requireRole(req, WRITERS);
    const { intoId } = parseInput(MergeInput, req.body);
    res.json({ proposal: await proposals.merge(user, parseInput(IdParam, req.params.id), intoId) });
  });

  /**
   * The best-supported `count` proposals that can be put to the audience. Writers see every
   * status, so the top list also holds held, rejected and merged ones: page past them rather
   * than filter one page, which would ask fewer options than the writer chose.
   */
  async function topOpenProposals(ip: string, count: number, user: Parameters<typeof proposals.list>[1]) {
    const found: Awaited<ReturnType<typeof proposals.list>>['items'] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES && found.length < count; page++) {
      const top = await proposals.list(parseInput(ProposalListQuery, { ip, sort: 'top', limit: 50, cursor }), user);
      found.push(...top.items.filter((p) => !NOT_ASKABLE.has(p.status)));
      if (!top.nextCursor) break;
      cursor = top.nextCursor;
    }
    return found.slice(0, count);
  }

  /** "What happens next?": the top proposals of a franchise become a live poll in a room. */
  router.post('/writers/polls', async (req, res) => {
    const { user } = requireRole(req, WRITERS);
    const input = parseInput(PollFromProposalsInput, req.body);
    const candidates = await topOpenProposals(input.ip, input.count, user);
    if (candidates.length < 2) {
      res.status(409).json({ error: { code: 'CONFLICT', message: 'this franchise needs at least two approved proposals' } });
      return;
    }
    const poll = await deps.polls.create(
      input.roomId,
      { question: input.question, options: candidates.map((p) => p.title.slice(0, 80)), kind: 'single', durationMs: input.durationMs, resultsVisibility: 'live' },
      user,
    );
    res.status(201).json({ poll, proposals: candidates.map((p) => p.id) });
  });

  router.put('/ips/:ip/settings', async (req, res) => {
    requireRole(req, ['admin']);
    const ip = parseInput(plainText(1, 80), req.params.ip);
    const { supportThreshold } = parseInput(ThresholdInput, req.body);
    await store.setSupportThreshold(ip, supportThreshold);
    res.json({ ip, supportThreshold });
  });

  return router;
}

// A cell starting with = + - @ would run as a formula in a spreadsheet: prefix it.
const cell = (v: unknown) => {
  const s = String(v ?? '').replace(/^[=+\-@\t\r]/, "'$&");
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

function sendExport(res: Response, format: 'csv' | 'json', items: Proposal[]) {
  if (format === 'json') {
    res.set('Content-Disposition', 'attachment; filename="proposals.json"').json({ proposals: items });
    return;
  }
  const header = ['id', 'ip', 'title', 'status', 'supporters', 'opponents', 'top', 'hot', 'controversy', 'author', 'tags', 'createdAt', 'decision', 'feedback'];
  const lines = items.map((p) =>
    [p.id, p.ip, p.title, p.status, p.supporters, p.opponents, p.scores.top.toFixed(4), p.scores.hot.toFixed(4), p.scores.controversy.toFixed(2), p.authorName, p.tags.join(' '), p.createdAt, p.decision?.decision ?? '', p.decision?.feedback ?? '']
      .map(cell)
      .join(','),
  );
  res.set('Content-Type', 'text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="proposals.csv"').send(`\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`);
}
