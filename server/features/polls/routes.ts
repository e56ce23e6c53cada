import { Router } from 'express';
import { CreatePollInput, PollIdParam, ProfileInput } from '../../../contracts/polls.js';
import { RoomIdParam } from '../../../contracts/rooms.js';
import { staffRoles } from '../../../contracts/auth.js';
import { parseInput } from '../../validate.js';
import { requireRole, requireSession } from '../../http/guards.js';
import type { Db } from '../../db/database.js';
import type { PollService } from './service.js';
import { breakdownBySegment } from './segments.js';
import type { ProfileStore } from './profiles.js';

/** Poll routes: staff create, open and close; anyone reads; writers and staff see segments. */
export function createPollRoutes(deps: { polls: PollService; profiles: ProfileStore; db: Db; now: () => number }): Router {
  const router = Router();
  const { polls } = deps;

  router.post('/rooms/:id/polls', async (req, res) => {
    const { user } = requireRole(req, staffRoles);
    const roomId = parseInput(RoomIdParam, req.params.id);
    res.status(201).json({ poll: await polls.create(roomId, parseInput(CreatePollInput, req.body), user) });
  });

  router.get('/rooms/:id/polls', async (req, res) => {
    res.json({ polls: await polls.listByRoom(parseInput(RoomIdParam, req.params.id), req.session?.user ?? null) });
  });

  router.get('/polls/:id', async (req, res) => {
    res.json(await polls.get(parseInput(PollIdParam, req.params.id), req.session?.user ?? null));
  });

  router.post('/polls/:id/open', async (req, res) => {
    requireRole(req, staffRoles);
    res.json({ poll: await polls.open(parseInput(PollIdParam, req.params.id)) });
  });

  router.post('/polls/:id/close', async (req, res) => {
    requireRole(req, staffRoles);
    res.json(await polls.close(parseInput(PollIdParam, req.params.id)));
  });

  router.get('/polls/:id/segments', async (req, res) => {
    const session = requireRole(req, [...staffRoles, 'writer']);
    const { poll } = await polls.get(parseInput(PollIdParam, req.params.id), session.user);
    res.json({ poll, segments: await breakdownBySegment(deps.db, poll, deps.now()) });
  });

  router.get('/me/profile', async (req, res) => {
    res.json({ profile: await deps.profiles.get(requireSession(req).user.id) });
  });

  router.patch('/me/profile', async (req, res) => {
    const { user } = requireSession(req);
    res.json({ profile: await deps.profiles.update(user.id, parseInput(ProfileInput, req.body)) });
  });

  return router;
}
