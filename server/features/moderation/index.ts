import type { Deps } from '../../deps.js';
import { createAuditLog } from './audit.js';
import { createSanctions } from './sanctions.js';
import { createRules } from './rules.js';
import { createReports } from './reports.js';

export { createAuditLog, type AuditLog, type AuditEntry, type AuditWriter } from './audit.js';
export type { Sanctions, ActiveSanctions } from './sanctions.js';
export type { Rules } from './rules.js';
export type { Reports } from './reports.js';
export { createModerationActions, type ContentTarget, type ModerationActions } from './actions.js';
export { createModerationRoutes } from './routes.js';
export { createReviewRoutes } from './review-routes.js';
export { createAppeals } from './appeals.js';

/** The moderation core other features use: audit log, sanctions, room rules and term lists, reports. */
export function createModerationCore(deps: Deps) {
  return {
    audit: createAuditLog(deps.db.orm),
    sanctions: createSanctions(deps.db.orm, deps.clock.now),
    rules: createRules({ db: deps.db.orm, now: deps.clock.now, log: deps.log }),
    reports: createReports(deps.db.orm),
  };
}

export type ModerationCore = ReturnType<typeof createModerationCore>;
