/**
 * Arrow-key focus movement for TV remotes and keyboards: Up/Down/Left/Right
 * move focus to the nearest focusable element in that direction. Text fields,
 * selects and anything inside [data-spatial-nav="off"] (e.g. a video player
 * that seeks with arrows) keep their own arrow-key behaviour.
 */

const focusableSelector = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

type Direction = 'up' | 'down' | 'left' | 'right';

const directions: Record<string, Direction> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};

function keepsArrows(el: Element | null): boolean {
  if (!el) return false;
  if (el.closest('[data-spatial-nav="off"]')) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el.type);
  return false;
}

function visible(el: HTMLElement): boolean {
  const rect = el.getBoundingClientRect();
  return rect.width > 0 && rect.height > 0 && getComputedStyle(el).visibility !== 'hidden';
}

/** Distance to a candidate in the given direction, or null when it isn't that way. */
function score(from: DOMRect, to: DOMRect, dir: Direction): number | null {
  const fx = from.left + from.width / 2;
  const fy = from.top + from.height / 2;
  const tx = to.left + to.width / 2;
  const ty = to.top + to.height / 2;
  const dx = tx - fx;
  const dy = ty - fy;
  let main: number;
  let cross: number;
  if (dir === 'up' || dir === 'down') {
    main = dir === 'down' ? to.top - from.bottom : from.top - to.bottom;
    if ((dir === 'down' && dy <= 0) || (dir === 'up' && dy >= 0)) return null;
    cross = Math.abs(dx);
  } else {
    main = dir === 'right' ? to.left - from.right : from.left - to.right;
    if ((dir === 'right' && dx <= 0) || (dir === 'left' && dx >= 0)) return null;
    cross = Math.abs(dy);
  }
  // Prefer elements straight ahead: sideways distance weighs more than distance ahead.
  return Math.max(main, 0) + cross * 2;
}

function onKeyDown(event: KeyboardEvent): void {
  const dir = directions[event.key];
  if (!dir || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
  const current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  if (keepsArrows(current)) return;
  const candidates = Array.from(document.querySelectorAll<HTMLElement>(focusableSelector)).filter(
    (el) => el !== current && visible(el) && !el.closest('[inert],[data-spatial-nav="off"]'),
  );
  if (candidates.length === 0) return;
  if (!current || current === document.body) {
    // With nothing focused, a TV remote's first press picks the first control; desktops keep scrolling.
    if (!matchMedia('(hover: none)').matches) return;
    event.preventDefault();
    candidates[0]?.focus();
    return;
  }
  const from = current.getBoundingClientRect();
  let best: HTMLElement | null = null;
  let bestScore = Infinity;
  for (const el of candidates) {
    const s = score(from, el.getBoundingClientRect(), dir);
    if (s !== null && s < bestScore) {
      best = el;
      bestScore = s;
    }
  }
  if (best) {
    event.preventDefault();
    best.focus();
    best.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
}

export function startSpatialNav(): () => void {
  document.addEventListener('keydown', onKeyDown);
  return () => document.removeEventListener('keydown', onKeyDown);
}
