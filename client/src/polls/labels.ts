import type { TFunction } from 'i18next';
import type en from '../locales/en.polls.json';
import type zhCN from '../locales/zh-CN.polls.json';
import type { SocketError } from '../viewer/connection.js';
import { formatClock } from '../viewer/time.js';

type Covers<A, B extends A> = B;
/** The polls' strings; every English one needs a Chinese one (checked when compiling). */
export type PollStrings = Covers<typeof en, typeof zhCN>;

const knownSegments = new Set(['other', 'unknown', 'new', 'returning', 'under 18', 'female', 'male', 'nonbinary']);

/** A refused vote as a sentence (the server's code, else the app-wide wording). */
export function voteErrorText(error: SocketError, t: TFunction): string {
  return t(`polls.errors.${error.code}`, { defaultValue: t(`errors.${error.code}`, { defaultValue: t('errors.UNKNOWN') }) });
}

/** A segment's name in the reader's language; a region or an age band stays as it is. */
export function segmentName(segment: string, t: TFunction): string {
  return knownSegments.has(segment) ? t(`polls.segments.names.${segment}`) : segment;
}

/** "in 2:30" style: seconds under a minute as "0:42". */
export function formatLeft(ms: number): string {
  return formatClock(Math.ceil(ms / 1000) * 1000);
}
