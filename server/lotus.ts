import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Deps } from './deps.js';
import { createApp } from './http/app.js';
import { createIo } from './realtime/io.js';
import { bindEvent } from './realtime/handle.js';
import { createEventBudget } from './realtime/event-budget.js';
import { createSessionEvents } from './realtime/session-events.js';
import { createAuth } from './features/auth/index.js';
import { createRooms, syncStaffRooms } from './features/rooms/index.js';
import { staffRoles } from '../contracts/auth.js';
import { createLiveRoles, toggleChannel } from './realtime/live-roles.js';
import { shareSanctionChanges } from './realtime/sanction-changes.js';
import { createModerationCore, createModerationActions, createModerationRoutes, createReviewRoutes, createAppeals } from './features/moderation/index.js';
import { createQueueDashboard, DASHBOARD_PATH } from './http/queue-dashboard.js';
import { createLimiter } from './rate-limit.js';
import { MODERATION_CHANNEL } from './realtime/channels.js';
import { createDanmaku } from './features/danmaku/index.js';
import { createPolls } from './features/polls/index.js';
import { createProposals } from './features/proposals/index.js';
import { userChannel } from './realtime/channels.js';
import { ioBroadcaster, startRelaySubscriber } from './realtime/relay.js';

export interface Lotus {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Builds every feature from one deps object, mounts their HTTP routes and socket
 * events, and listens. main.ts and the tests both start Lotus through here.
 */
export async function startLotus(deps: Deps & { jwtSecret: string }): Promise<Lotus> {
  const auth = createAuth(deps);
  const { LOTUS_ADMIN_HANDLE, LOTUS_ADMIN_PASSWORD } = deps.config;
  if (LOTUS_ADMIN_HANDLE && LOTUS_ADMIN_PASSWORD) await auth.service.ensureAccount(LOTUS_ADMIN_HANDLE, LOTUS_ADMIN_PASSWORD, 'admin');

  // The socket server comes first: features that broadcast need it; the app is built after.
  // The HTTP handler must be on the server before Socket.IO attaches, so that Socket.IO's
  // own requests (long-polling) never reach the app as well; it forwards to the app once built.
  let handleHttp: http.RequestListener = (_req, res) => void res.writeHead(503).end();
  const httpServer = http.createServer((req, res) => handleHttp(req, res));
  const { io, close: closeIo } = await createIo(httpServer, { ...deps, auth: auth.service, allowedOrigins: deps.config.CORS_ORIGINS });

  const rooms = createRooms(deps);
  const moderation = createModerationCore(deps);
  // One hourly report budget per account, whether the report comes over HTTP or the socket.
  const reportLimit = createLimiter({ redis: deps.redis, prefix: deps.config.REDIS_PREFIX, name: 'reports', points: 30, durationS: 3600, message: 'you have sent many reports; try again later' });
  const danmaku = createDanmaku({ ...deps, io, rooms: rooms.service, moderation, reportLimit });
  const broadcast = ioBroadcaster(io);
  const polls = createPolls({ ...deps, broadcast, rooms: rooms.service, sanctions: moderation.sanctions });
  const proposals = createProposals({ ...deps, broadcast, moderation, polls: polls.service });
  rooms.onJoin.push(danmaku.onJoin, polls.onJoin);
  const liveRoles = createLiveRoles({
    io,
    log: deps.log,
    rules: [(socket, role) => toggleChannel(socket, MODERATION_CHANNEL, staffRoles.includes(role)), syncStaffRooms],
  });
  auth.afterRoleChange.push(liveRoles.roleChanged);
  shareSanctionChanges(io, moderation.sanctions, deps.log);
  const stopRelay = await startRelaySubscriber(io, deps.redis, deps.key('relay'), deps.log);
  await danmaku.fanout.start();
  rooms.startViewerCounts(io);
  const actions = createModerationActions({
    ...moderation,
    targets: { danmaku: danmaku.moderation, proposal: proposals.service.moderationTarget },
    userById: (id) => auth.service.getUser(id),
  });
  const moderationRoutes = createModerationRoutes({ actions, rules: moderation.rules, audit: moderation.audit, rooms: rooms.service });
  const reviewRoutes = createReviewRoutes({
    db: deps.db.orm,
    actions,
    appeals: createAppeals({ db: deps.db.orm, actions, broadcast, now: deps.clock.now }),
    sanctions: moderation.sanctions,
    userById: (id) => auth.service.getUser(id),
    now: deps.clock.now,
    reportLimit,
    async fileReport(user, input) {
      let hidden = false;
      if (input.targetType === 'danmaku') hidden = (await danmaku.reactions.report(input.targetId, user.id, input.reason)).hidden;
      else {
        if (input.targetType === 'proposal') await proposals.service.get(input.targetId, user); // must exist and be visible to the reporter
        else await auth.service.getUser(input.targetId);
        const { openReporters } = await moderation.reports.file({ ...input, roomId: null, reporterId: user.id });
        if (input.targetType === 'proposal' && openReporters >= deps.config.DANMAKU_REPORTS_TO_HIDE) hidden = await proposals.service.holdForReview(input.targetId, openReporters);
      }
      await broadcast.toRoom(MODERATION_CHANNEL, 'moderation:queue', { targetType: input.targetType, targetId: input.targetId, kind: 'reported' });
      return { hidden };
    },
  });

  const app = createApp(deps, { auth: auth.service, apiRoutes: [auth.routes, rooms.routes, danmaku.routes, danmaku.refusedRoutes, polls.routes, proposals.routes, proposals.writersRoutes, moderationRoutes, reviewRoutes],
    mounts: [{ path: DASHBOARD_PATH, router: createQueueDashboard({ auth: auth.service, queues: [deps.queues.polls, deps.queues.proposalModeration, deps.queues.proposalScoring] }) }] });
  handleHttp = app;

  const events = { ...createSessionEvents(), ...rooms.events, ...danmaku.events, ...polls.events };
  // Wall time, not the premiere clock (which tests may hold still): this guards the transport.
  const budget = createEventBudget({ perSecond: deps.config.SOCKET_EVENTS_PER_S, burst: deps.config.SOCKET_EVENTS_BURST, now: () => performance.now() });
  const eventDeps = { log: deps.log, metrics: deps.metrics, budget };
  io.on('connection', (socket) => {
    // Personal notifications (proposal status changes) reach every device of the account.
    if (socket.data.session) socket.join(userChannel(socket.data.session.user.id));
    // Staff see the review queue move live; fans are never in this room. Role changes move live sockets (live-roles.ts).
    liveRoles.onConnect(socket);
    for (const [name, spec] of Object.entries(events)) bindEvent(socket, name, spec, eventDeps);
    socket.on('disconnect', () => {
      rooms.presence.leaveAll(socket.id).catch((err) => deps.log.warn({ err }, 'presence cleanup failed'));
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(deps.config.PORT, deps.config.HOST, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = deps.config.HOST === '0.0.0.0' ? '127.0.0.1' : deps.config.HOST;
  deps.log.info({ port }, 'lotus listening');

  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      await danmaku.fanout.stop();
      await stopRelay();
      // Closing Socket.IO also closes the HTTP server and disconnects every socket.
      await closeIo();
      httpServer.closeAllConnections();
    },
  };
}
