import type { TFunction } from 'i18next';

/** Dates, lengths and lists in the reader's language and time zone. */

export function formatDateTime(iso: string, lang: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** "in 3 hours", "5 minutes ago", "tomorrow"...: the largest unit that rounds to at least one. */
export function formatRelative(iso: string, lang: string, nowMs = Date.now()): string {
  const diff = Date.parse(iso) - nowMs;
  if (Number.isNaN(diff)) return '';
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const minutes = Math.round(diff / 60_000);
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  const hours = Math.round(diff / 3_600_000);
  if (Math.abs(hours) < 24) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(diff / 86_400_000), 'day');
}

export function formatDuration(durationMs: number, t: TFunction): string {
  const totalMinutes = Math.max(1, Math.round(durationMs / 60_000));
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return t('time.minutes', { minutes });
  if (minutes === 0) return t('time.hours', { hours });
  return t('time.hoursMinutes', { hours, minutes });
}

export function formatList(items: string[], lang: string): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
}

export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
