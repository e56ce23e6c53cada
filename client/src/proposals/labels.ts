import type { TFunction } from 'i18next';
import type { ProposalStatus } from '../../../contracts/proposals.js';
import type { Room } from '../../../contracts/rooms.js';
import type { Route } from '../router.js';
import en from '../locales/en.proposals.json';
import zhCN from '../locales/zh-CN.proposals.json';

// Every English string of the proposals screens needs a Chinese one: checked when compiling.
const zhCovers: typeof en = zhCN;
void zhCovers;

/** Statuses in which fans may still vote (the server answers CONFLICT otherwise). */
export const votableStatuses: readonly ProposalStatus[] = ['approved', 'in_review', 'shortlisted'];
/** Statuses a writer may still decide on. */
export const decidableStatuses: readonly ProposalStatus[] = ['approved', 'in_review', 'shortlisted'];

/** One explained moderation reason; `duplicateOf` links the original of a near-duplicate. */
export interface ReasonText {
  text: string;
  duplicateOf?: string;
}

/**
 * A moderation reason such as `term:hold:spoiler`, `spam:links` or
 * `duplicate:<id>:0.83`, as a sentence in the reader's language.
 */
export function reasonText(reason: string, t: TFunction): ReasonText {
  const [kind = '', detail = '', ...rest] = reason.split(':');
  if (kind === 'term') {
    const term = rest.length ? `${rest.join(':')}` : '';
    const key = ['block', 'hold', 'censor'].includes(detail) ? detail : 'hold';
    return { text: t(`proposals.reasons.term_${key}`, { term }) };
  }
  if (kind === 'spam') {
    return { text: t(`proposals.reasons.spam_${detail}`, { defaultValue: t('proposals.reasons.spam') }) };
  }
  if (kind === 'duplicate') {
    const score = Number(rest[0]);
    const percent = Number.isFinite(score) ? Math.round(score * 100) : null;
    const text = percent === null ? t('proposals.reasons.duplicateNoScore') : t('proposals.reasons.duplicate', { percent });
    return { text, duplicateOf: detail || undefined };
  }
  return { text: t('proposals.reasons.other', { reason }) };
}

/** "12:34" or "1:02:03" for a moment of a premiere. */
export function formatMoment(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** Reads "mm:ss", "h:mm:ss" or plain minutes into milliseconds; null when empty, NaN when unreadable. */
export function parseMoment(text: string): number | null {
  const raw = text.trim();
  if (!raw) return null;
  if (/^\d+$/.test(raw)) return Number(raw) * 60_000;
  const parts = raw.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^\d+$/.test(p))) return Number.NaN;
  const nums = parts.map(Number);
  const [h, m, s] = nums.length === 3 ? nums : [0, nums[0], nums[1]];
  if (s >= 60 || (nums.length === 3 && m >= 60)) return Number.NaN;
  return ((h * 60 + m) * 60 + s) * 1000;
}

/** A random key for one draft, so a retried submit can never create a second proposal. */
export function newDraftKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `d${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A stable hue per franchise or proposal, for accents. */
export function hueOf(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) >>> 0;
  return hash % 360;
}

/** The current page with its query, to come back to after logging in. */
export function returnPath(route: Route): string {
  const query = route.query.toString();
  return query ? `${route.path}?${query}` : route.path;
}

/** Franchises (IPs) in the order fans meet them: live premieres first, then upcoming, then past. */
export function franchisesOf(rooms: Room[]): string[] {
  const rank = { live: 0, scheduled: 1, ended: 2 } as const;
  const sorted = [...rooms].sort((a, b) => rank[a.status] - rank[b.status]);
  return [...new Set(sorted.map((r) => r.ip))];
}
