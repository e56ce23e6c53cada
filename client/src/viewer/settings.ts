import type { DanmakuMode } from '../../../contracts/danmaku.js';
import { createStore, useStore, type Store } from '../store.js';

/**
 * What each viewer chooses about the danmaku over the video, kept in
 * localStorage so it follows them from premiere to premiere on this device.
 * Nothing here is sent to the server: filters are personal.
 */

/** The modes, in display order (the contracts' list would pull zod into the bundle). */
export const modes: readonly DanmakuMode[] = ['scroll', 'top', 'bottom'];

/** How much of the picture's height comments may use, from the top. */
export const areaChoices = [25, 50, 75, 100] as const;
export type Area = (typeof areaChoices)[number];

/** Font size relative to the player-width-based size. */
export const fontScales = { small: 0.8, medium: 1, large: 1.25 } as const;
export type FontSize = keyof typeof fontScales;

/** Seconds a scrolling comment takes to cross the screen, whatever the screen's width. */
export const speedSeconds = { slow: 10, normal: 7.5, fast: 5 } as const;
export type Speed = keyof typeof speedSeconds;

/** New comments per second allowed onto the screen; 0 means no limit (the on-screen cap still applies). */
export const densityChoices = [8, 16, 32, 0] as const;

/** Someone whose comments this viewer hid; the name is what they were called then, to list them by. */
export interface HiddenPerson {
  id: string;
  name: string;
}

/** One viewer's danmaku preferences. */
export interface ViewerSettings {
  /** Show danmaku at all. */
  enabled: boolean;
  hiddenModes: DanmakuMode[];
  /** Words (case-insensitive substrings) or /regular expressions/ whose comments are hidden. */
  blocklist: string[];
  /** People whose comments are hidden (on the picture and in the list), oldest first. Never staff: see policy.ts. */
  blockedUsers: HiddenPerson[];
  /** 0.2–1. */
  opacity: number;
  area: Area;
  /** At full area, keep the bottom 15% free so burnt-in subtitles stay readable. */
  keepSubtitlesClear: boolean;
  fontSize: FontSize;
  speed: Speed;
  maxPerSecond: number;
  /** Fold identical comments sent close together into one "text ×N". */
  merge: boolean;
}

/** What a first-time viewer gets: three-quarter area, a moderate pace, repeats merged. */
export const defaultSettings: ViewerSettings = {
  enabled: true,
  hiddenModes: [],
  blocklist: [],
  blockedUsers: [],
  opacity: 0.9,
  area: 75,
  keepSubtitlesClear: true,
  fontSize: 'medium',
  speed: 'normal',
  maxPerSecond: 16,
  merge: true,
};

/** The localStorage key the settings live under. */
export const settingsKey = 'lotus.viewer.settings';
const MAX_BLOCKLIST = 100;
const MAX_ENTRY = 100;
/** Enough for the spammers of many rooms; past it, the longest-hidden make room for the newest. */
export const MAX_BLOCKED_USERS = 200;
/** Ids are UUIDs and display names at most 40 characters: anything longer was not written by us. */
const MAX_USER_ID = 64;
const MAX_USER_NAME = 64;

function pick<T>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function sanitizePeople(raw: unknown): HiddenPerson[] {
  if (!Array.isArray(raw)) return [];
  const seen = new Set<string>();
  const people: HiddenPerson[] = [];
  for (const entry of raw) {
    if (!entry || typeof entry !== 'object') continue;
    const { id, name } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || typeof name !== 'string') continue;
    if (id === '' || id.length > MAX_USER_ID || name.trim() === '' || name.length > MAX_USER_NAME || seen.has(id)) continue;
    seen.add(id);
    people.push({ id, name: name.trim() });
  }
  return people.slice(-MAX_BLOCKED_USERS);
}

/** Reads stored settings defensively: anything unknown or out of range falls back to the default. */
export function sanitizeSettings(raw: unknown): ViewerSettings {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const d = defaultSettings;
  const opacity = typeof r.opacity === 'number' && Number.isFinite(r.opacity) ? Math.min(1, Math.max(0.2, r.opacity)) : d.opacity;
  return {
    enabled: typeof r.enabled === 'boolean' ? r.enabled : d.enabled,
    hiddenModes: Array.isArray(r.hiddenModes) ? modes.filter((m) => (r.hiddenModes as unknown[]).includes(m)) : d.hiddenModes,
    blocklist: Array.isArray(r.blocklist)
      ? r.blocklist
          .filter((w): w is string => typeof w === 'string' && w.trim() !== '')
          .map((w) => w.trim().slice(0, MAX_ENTRY))
          .slice(0, MAX_BLOCKLIST)
      : d.blocklist,
    blockedUsers: sanitizePeople(r.blockedUsers),
    opacity,
    area: pick(r.area, areaChoices, d.area),
    keepSubtitlesClear: typeof r.keepSubtitlesClear === 'boolean' ? r.keepSubtitlesClear : d.keepSubtitlesClear,
    fontSize: pick(r.fontSize, Object.keys(fontScales) as FontSize[], d.fontSize),
    speed: pick(r.speed, Object.keys(speedSeconds) as Speed[], d.speed),
    maxPerSecond: pick(r.maxPerSecond, densityChoices as readonly number[], d.maxPerSecond),
    merge: typeof r.merge === 'boolean' ? r.merge : d.merge,
  };
}

function load(): ViewerSettings {
  try {
    const raw = localStorage.getItem(settingsKey);
    return sanitizeSettings(raw ? JSON.parse(raw) : null);
  } catch {
    return defaultSettings;
  }
}

/** The current settings; shared by every viewer component on the page. */
export const viewerSettings: Store<ViewerSettings> = createStore<ViewerSettings>(load());

/** Applies a change (sanitised) and remembers it on this device. */
export function updateSettings(patch: Partial<ViewerSettings>): void {
  const next = sanitizeSettings({ ...viewerSettings.get(), ...patch });
  viewerSettings.set(next);
  try {
    localStorage.setItem(settingsKey, JSON.stringify(next));
  } catch {
    // Private mode or storage full: the choice lasts for this visit.
  }
}

/** Hides this person's comments from now on (and those already listed). */
export function hidePerson(person: HiddenPerson): void {
  const others = viewerSettings.get().blockedUsers.filter((p) => p.id !== person.id);
  updateSettings({ blockedUsers: [...others, { id: person.id, name: person.name }] });
}

/** Shows this person's comments again. */
export function unhidePerson(id: string): void {
  updateSettings({ blockedUsers: viewerSettings.get().blockedUsers.filter((p) => p.id !== id) });
}

/**
 * The display back to the defaults. The viewer's own lists (blocked words, hidden people)
 * stay: they took work to gather, and "Reset" next to the display options should not
 * quietly bring a spammer back.
 */
export function resetSettings(): void {
  const { blocklist, blockedUsers } = viewerSettings.get();
  updateSettings({ ...defaultSettings, blocklist, blockedUsers });
}

/** The settings, re-rendering the component when they change. */
export function useViewerSettings(): ViewerSettings {
  return useStore(viewerSettings);
}

/** The share of the player's height the comment layer takes, in percent. */
export function layerHeightPercent(s: ViewerSettings): number {
  return s.area === 100 && s.keepSubtitlesClear ? 85 : s.area;
}
