/**
 * The player keeps the arrow keys (they seek), so the app's spatial navigation
 * skips it. These helpers give TV remotes a way through: Up and Down leave the
 * player to the nearest control above or below, Left and Right walk its buttons.
 */

const focusable = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function shown(el: HTMLElement): boolean {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
}

/** Focuses the nearest control outside `region`, above or below it; false if there is none. */
export function focusOutside(region: HTMLElement, dir: 'up' | 'down'): boolean {
  const box = region.getBoundingClientRect();
  const cx = box.left + box.width / 2;
  let best: HTMLElement | null = null;
  let bestScore = Infinity;
  for (const el of document.querySelectorAll<HTMLElement>(focusable)) {
    if (region.contains(el) || el.closest('[inert]') || !shown(el)) continue;
    const r = el.getBoundingClientRect();
    const ahead = dir === 'up' ? box.top - r.bottom : r.top - box.bottom;
    if (ahead < -1) continue;
    const score = ahead + Math.abs(r.left + r.width / 2 - cx) / 4;
    if (score < bestScore) {
      best = el;
      bestScore = score;
    }
  }
  if (!best) return false;
  best.focus();
  best.scrollIntoView({ block: 'nearest' });
  return true;
}

/** Moves focus to the previous or next control in `group` (a toolbar); false at either end. */
export function focusSibling(group: HTMLElement, from: Element, step: 1 | -1): boolean {
  const items = Array.from(group.querySelectorAll<HTMLElement>(focusable)).filter(shown);
  const next = items[items.indexOf(from as HTMLElement) + step];
  if (!next) return false;
  next.focus();
  return true;
}
