import type { TFunction } from 'i18next';

/** Wording for the console: why something waits, how long ago, for how long. */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * One queue reason code in the reader's language, e.g. `term:hold:剧透` →
 * matched hold term “剧透”, `report:spam` → reported as spam,
 * `duplicate:<id>:0.83` → near-duplicate (83 % alike). Unknown codes stay as they are.
 */
export function reasonText(code: string, t: TFunction): string {
  const [kind = '', ...rest] = code.split(':');
  if (kind === 'term' && rest.length >= 2) {
    const [action = '', ...term] = rest;
    return t('moderation.reason.term', { action: t(`moderation.termAction.${action}`, { defaultValue: action }), term: term.join(':') });
  }
  if (kind === 'report') return t('moderation.reason.report', { reason: t(`moderation.reportReason.${rest[0]}`, { defaultValue: rest[0] }) });
  if (kind === 'duplicate') {
    const score = Number(rest[1]);
    return t('moderation.reason.duplicate', { id: shortId(rest[0] ?? ''), percent: Number.isFinite(score) ? Math.round(score * 100) : '?' });
  }
  if (kind === 'automod' || kind === 'spam') return t(`moderation.reason.${kind}.${rest[0]}`, { defaultValue: code });
  return code;
}

/** The tone of a reason chip: terms and reports differ from automatic signals at a glance. */
export function reasonTone(code: string): 'hold' | 'block' | 'censor' | 'report' | 'signal' {
  if (code.startsWith('term:block:')) return 'block';
  if (code.startsWith('term:censor:')) return 'censor';
  if (code.startsWith('term:')) return 'hold';
  if (code.startsWith('report:')) return 'report';
  return 'signal';
}

/** The first 8 characters of an id, enough to tell rows apart on screen. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** A compact age like "12 s", "5 min", "3 h", "2 d" in the reader's language. */
export function ageText(iso: string, t: TFunction, nowMs = Date.now()): string {
  const ms = Math.max(0, nowMs - Date.parse(iso));
  if (Number.isNaN(ms)) return '';
  if (ms < MINUTE) return t('moderation.age.seconds', { n: Math.floor(ms / SECOND) });
  if (ms < HOUR) return t('moderation.age.minutes', { n: Math.floor(ms / MINUTE) });
  if (ms < DAY) return t('moderation.age.hours', { n: Math.floor(ms / HOUR) });
  return t('moderation.age.days', { n: Math.floor(ms / DAY) });
}

/** How long ago, e.g. "5 min ago", or "now" for the last few seconds. */
export function agoText(iso: string, t: TFunction, nowMs = Date.now()): string {
  if (nowMs - Date.parse(iso) < 10 * SECOND) return t('moderation.age.now');
  return t('moderation.ago', { age: ageText(iso, t, nowMs) });
}

/** A length of time like "10 s", "10 min", "7 d"; null means permanent. */
export function spanText(ms: number | null, t: TFunction): string {
  if (ms === null) return t('moderation.span.permanent');
  if (ms === 0) return t('moderation.span.off');
  if (ms % DAY === 0) return t('moderation.span.days', { n: ms / DAY });
  if (ms % HOUR === 0) return t('moderation.span.hours', { n: ms / HOUR });
  if (ms % MINUTE === 0) return t('moderation.span.minutes', { n: ms / MINUTE });
  return t('moderation.span.seconds', { n: Math.round(ms / SECOND) });
}

/** Mute and ban lengths offered in dialogs; null = permanent. */
export const durationPresets: ReadonlyArray<number | null> = [10 * SECOND, 10 * MINUTE, HOUR, DAY, 7 * DAY, null];
/** Slow mode choices for a room (0 = off). */
export const slowModePresets: readonly number[] = [0, 3 * SECOND, 5 * SECOND, 10 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE];
/** Minimum account age choices for a room (0 = anyone). */
export const accountAgePresets: readonly number[] = [0, 10 * MINUTE, HOUR, DAY, 7 * DAY, 30 * DAY];

/** A local date and time, for tooltips and the audit log. */
export function dateTimeText(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
}
