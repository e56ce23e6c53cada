import { createStore, useStore } from './store.js';

/** The page the address bar points at: a hash route like #/rooms/42?next=%2Fstaff. */
export interface Route {
  name: RouteName;
  params: Record<string, string>;
  query: URLSearchParams;
  path: string;
}

export type RouteName = 'rooms' | 'room' | 'login' | 'register' | 'staff' | 'writers' | 'admin' | 'proposals' | 'proposal' | 'not-found';

const patterns: Array<[RouteName, RegExp]> = [
  ['rooms', /^\/rooms\/?$/],
  ['room', /^\/rooms\/(?<id>[^/]+)\/?$/],
  ['login', /^\/login\/?$/],
  ['register', /^\/register\/?$/],
  ['staff', /^\/staff\/?$/],
  ['writers', /^\/writers\/?$/],
  ['admin', /^\/admin\/?$/],
  ['proposals', /^\/proposals\/?$/],
  ['proposal', /^\/proposals\/(?<id>[^/]+)\/?$/],
];

export const homePath = '/rooms';

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || homePath;
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const path = pathPart.startsWith('/') ? pathPart : `/${pathPart}`;
  const query = new URLSearchParams(queryPart);
  for (const [name, pattern] of patterns) {
    const match = pattern.exec(path === '/' ? homePath : path);
    if (!match) continue;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(match.groups ?? {})) params[key] = safeDecode(value);
    return { name, params, query, path };
  }
  return { name: 'not-found', params: {}, query, path };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A deep link by path (/rooms/42, which the server answers with index.html)
 * becomes the same hash route (/#/rooms/42) before the app first renders.
 */
function adoptPathLink(): void {
  if (location.hash || location.pathname === '/' || location.pathname === '/index.html') return;
  history.replaceState(history.state, '', `/#${location.pathname}${location.search}`);
}

const route = createStore<Route>(parseHash(location.hash));

export function startRouter(): () => void {
  adoptPathLink();
  const onChange = () => route.set(parseHash(location.hash));
  onChange();
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  return useStore(route);
}

/** The href of an in-app path, e.g. href('/rooms') === '#/rooms'. */
export function href(path: string): string {
  return `#${path}`;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = href(path);
  if (options.replace) {
    history.replaceState(history.state, '', target);
    route.set(parseHash(location.hash));
  } else if (location.hash !== target) {
    location.hash = target;
  }
}

/** Where to go after logging in: only same-app paths, never another site. */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return homePath;
  return next;
}

export function loginPath(next?: string): string {
  return next && next !== homePath ? `/login?next=${encodeURIComponent(next)}` : '/login';
}

export function registerPath(next?: string): string {
  return next && next !== homePath ? `/register?next=${encodeURIComponent(next)}` : '/register';
}
