import { Router } from 'express';
import { ProposalListQuery, ProposalVoteInput, SubmitProposalInput } from '../../../contracts/proposals.js';
import { parseInput } from '../../validate.js';
import { requireSession } from '../../http/guards.js';
import { z } from 'zod';
import type { ProposalService } from './service.js';

const IdParam = z.uuid();

/** Fans' proposal routes: submit, browse, read, vote. */
export function createProposalRoutes(proposals: ProposalService): Router {
  const router = Router();

  router.post('/proposals', async (req, res) => {
    const { user } = requireSession(req);
    const { proposal, created } = await proposals.submit(user, parseInput(SubmitProposalInput, req.body));
    res.status(created ? 202 : 200).json({ proposal });
  });

  router.get('/proposals', async (req, res) => {
    res.json(await proposals.list(parseInput(ProposalListQuery, req.query), req.session?.user ?? null));
  });

  router.get('/proposals/:id', async (req, res) => {
    res.json({ proposal: await proposals.get(parseInput(IdParam, req.params.id), req.session?.user ?? null) });
  });

  router.post('/proposals/:id/vote', async (req, res) => {
    const { user } = requireSession(req);
    const { value } = parseInput(ProposalVoteInput, req.body);
    res.json({ proposal: await proposals.vote(user, parseInput(IdParam, req.params.id), value) });
  });

  return router;
}
