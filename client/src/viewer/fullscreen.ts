/**
 * Fullscreen for the player wrapper (video and comment layer together: putting
 * the <video> itself fullscreen would leave the danmaku behind). Where the page
 * can't go fullscreen (iPhone Safari only allows it for a bare <video>), the
 * player falls back to "theatre mode": fixed over the whole viewport by CSS.
 */

type WebkitDocument = Document & { webkitFullscreenElement?: Element | null; webkitExitFullscreen?: () => void };
type WebkitElement = HTMLElement & { webkitRequestFullscreen?: () => void };

/** The element shown fullscreen now, if any (Safari still prefixes it). */
export function fullscreenElement(): Element | null {
  const doc = document as WebkitDocument;
  return doc.fullscreenElement ?? doc.webkitFullscreenElement ?? null;
}

/** Tries real fullscreen; resolves false when the browser can't or won't (use theatre mode). */
export async function enterFullscreen(el: HTMLElement): Promise<boolean> {
  const target = el as WebkitElement;
  try {
    if (target.requestFullscreen && document.fullscreenEnabled !== false) {
      await target.requestFullscreen({ navigationUI: 'hide' });
    } else if (target.webkitRequestFullscreen) {
      target.webkitRequestFullscreen();
    } else {
      return false;
    }
  } catch {
    return false;
  }
  // Phones: turn the picture sideways when the device allows it; ignore refusals.
  const orientation = screen.orientation as ScreenOrientation & { lock?: (o: string) => Promise<void> };
  if (matchMedia('(pointer: coarse)').matches) orientation?.lock?.('landscape').catch(() => undefined);
  return fullscreenElement() !== null || target.webkitRequestFullscreen !== undefined;
}

/** Leaves fullscreen, whichever API entered it. */
export function exitFullscreen(): void {
  const doc = document as WebkitDocument;
  if (doc.fullscreenElement) void doc.exitFullscreen().catch(() => undefined);
  else doc.webkitExitFullscreen?.();
}

/** Calls `listener` when fullscreen starts or ends; returns the undo. */
export function onFullscreenChange(listener: () => void): () => void {
  document.addEventListener('fullscreenchange', listener);
  document.addEventListener('webkitfullscreenchange', listener);
  return () => {
    document.removeEventListener('fullscreenchange', listener);
    document.removeEventListener('webkitfullscreenchange', listener);
  };
}
