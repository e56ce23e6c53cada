import { Router, type Response } from 'express';
import { LoginInput, RegisterInput, RoleChangeInput, UserId } from '../../../contracts/auth.js';
import { parseInput } from '../../validate.js';
import { requireRole, requireSession } from '../../http/guards.js';
import type { AuthService } from './service.js';
import { SESSION_COOKIE } from './credentials.js';

/** HTTP transport of accounts: parse, call the service, answer. */
export function createAuthRoutes(deps: { auth: AuthService; secureCookies: boolean }): Router {
  const { auth } = deps;
  const router = Router();

  const setCookie = (res: Response, token: string, expiresAt: number) =>
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      path: '/',
      expires: new Date(expiresAt),
    });

  router.post('/auth/register', async (req, res) => {
    const input = parseInput(RegisterInput, req.body);
    const { user, token, expiresAt } = await auth.register(input, req.ip ?? 'unknown');
    setCookie(res, token, expiresAt);
    res.status(201).json({ user, token });
  });

  router.post('/auth/login', async (req, res) => {
    const input = parseInput(LoginInput, req.body);
    const { user, token, expiresAt } = await auth.login(input, req.ip ?? 'unknown');
    setCookie(res, token, expiresAt);
    res.json({ user, token });
  });

  router.post('/auth/logout', async (req, res) => {
    if (req.session) await auth.logout(req.session);
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.secureCookies });
    res.status(204).end();
  });

  router.get('/me', (req, res) => {
    res.json({ user: requireSession(req).user });
  });

  router.patch('/users/:id/role', async (req, res) => {
    requireRole(req, ['admin']);
    const id = parseInput(UserId, req.params.id);
    const { role } = parseInput(RoleChangeInput, req.body);
    res.json({ user: await auth.changeRole(id, role) });
  });

  return router;
}
