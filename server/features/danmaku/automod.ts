import type { AuditEntry } from '../moderation/index.js';
import type { PersistItem } from './store.js';

const LINK = /(https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(com|net|org|cn|io|xyz|top|cc)\b/i;
const FLOOD = /(.)\1{9,}/u;
const NEW_ACCOUNT_MS = 86_400_000;

/**
 * Spam signals by automod level, beyond the term lists: each returned reason holds the
 * comment for review. Level 2 holds links and floods of one character; level 3 also
 * holds anything from accounts younger than a day.
 */
export function automodSignals(text: string, level: number, accountCreatedAt: number, now: number): string[] {
  const reasons: string[] = [];
  if (level >= 2 && LINK.test(text)) reasons.push('automod:link');
  if (level >= 2 && FLOOD.test(text)) reasons.push('automod:flood');
  if (level >= 3 && now - accountCreatedAt < NEW_ACCOUNT_MS) reasons.push('automod:new-account');
  return reasons;
}

/**
 * The audit entries of automatic holds (a `hold` term or a spam signal) among newly stored
 * comments: actor null ("automod"), dated when the comment was sent.
 */
export function holdAuditEntries(items: PersistItem[]): AuditEntry[] {
  return items
    .filter((i) => i.state === 'held')
    .map(({ danmaku: d, reasons }) => ({
      actorId: null,
      action: 'hold',
      targetType: 'danmaku',
      targetId: d.id,
      roomId: d.roomId,
      reason: `held for review: ${reasons.join(', ') || 'automod'}`.slice(0, 500),
      details: { automatic: true, reasons },
      at: new Date(d.createdAt),
    }));
}
