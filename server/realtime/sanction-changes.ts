import type { Logger } from 'pino';
import type { Sanctions } from '../features/moderation/index.js';
import type { LotusServer } from './types.js';

/**
 * Every server process keeps its reading of users' sanctions (sanctions.ts). A mute,
 * ban or lift made on one process is announced to the others through the adapter,
 * and the action waits for their answers, so once it has answered the user's next
 * message is judged by the new sanctions on every process.
 */
export function shareSanctionChanges(io: LotusServer, sanctions: Pick<Sanctions, 'changed' | 'forget'>, log: Logger): void {
  io.on('sanctions:changed', (userId, done) => {
    sanctions.forget(userId);
    done(true);
  });
  sanctions.changed.push(async (userId) => {
    try {
      await io.serverSideEmitWithAck('sanctions:changed', userId);
    } catch (err) {
      // A process that does not answer (crashing, cut off from Redis) reads again within the cache's TTL.
      log.warn({ err: (err as Error).message, userId }, 'sanction change not confirmed by every server process');
    }
  });
}
