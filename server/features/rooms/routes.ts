import { Router } from 'express';
import { CreateRoomInput, RoomIdParam } from '../../../contracts/rooms.js';
import { staffRoles } from '../../../contracts/auth.js';
import { parseInput } from '../../validate.js';
import { requireRole } from '../../http/guards.js';
import type { RoomService } from './service.js';

export function createRoomRoutes(rooms: RoomService): Router {
  const router = Router();

  router.get('/rooms', async (_req, res) => {
    res.json({ rooms: await rooms.list() });
  });

  router.get('/rooms/:id', async (req, res) => {
    res.json({ room: await rooms.get(parseInput(RoomIdParam, req.params.id)) });
  });

  router.post('/rooms', async (req, res) => {
    const session = requireRole(req, staffRoles);
    const input = parseInput(CreateRoomInput, req.body);
    res.status(201).json({ room: await rooms.create(input, session.user.id) });
  });

  return router;
}
