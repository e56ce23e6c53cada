import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Page } from '../components/page.js';
import { useT } from '../i18n.js';
import { getRoom } from '../lotus-api.js';
import { href } from '../router.js';
import { useLoad } from '../use-load.js';

type ViewerModule = typeof import('../viewer/viewer.js');

// The viewer (danmaku renderer, Socket.IO client) is its own chunk: the room list never pays for it.
let viewerModule: Promise<ViewerModule> | null = null;
const loadViewer = () => (viewerModule ??= import('../viewer/viewer.js'));

function useViewerModule(): { mod: ViewerModule | null; failed: boolean; retry(): void } {
  const [mod, setMod] = useState<ViewerModule | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    loadViewer().then(
      (m) => live && setMod(m),
      () => {
        viewerModule = null; // a failed chunk load (deploy, flaky network) may succeed next time
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return { mod, failed, retry: () => (setFailed(false), setAttempt((n) => n + 1)) };
}

/** One premiere: the player with danmaku, the send bar and the comment list. */
export function RoomPage({ id }: { id: string }) {
  const { t } = useT();
  const loaded = useLoad(`room:${id}`, (signal) => getRoom(id, signal).then((r) => r.room));
  const viewer = useViewerModule();
  const room = loaded.data;

  const back = (
    <a class="back-link" href={href('/rooms')} data-testid="back-to-rooms">
      <span aria-hidden="true">← </span>
      {t('room.back')}
    </a>
  );

  if (!room || !viewer.mod) {
    const notFound = loaded.error?.code === 'NOT_FOUND';
    const loading = loaded.state === 'loading' || (room && !viewer.failed);
    const title = loading ? t('room.loading') : notFound ? t('notFound.title') : (room?.title ?? t('rooms.title'));
    return (
      <Page title={title} testId="room-page">
        {back}
        {loading && !viewer.failed && (
          <p class="loading" role="status">
            {t('room.loading')}
          </p>
        )}
        <ErrorBanner error={loaded.error} messages={{ NOT_FOUND: t('room.notFound') }} onRetry={notFound ? undefined : loaded.reload} />
        <ErrorBanner error={viewer.failed ? new ApiError('NETWORK', 'viewer chunk failed', 0) : null} onRetry={viewer.retry} />
      </Page>
    );
  }

  const { Viewer } = viewer.mod;
  return (
    <Page title={room.title} intro={room.ip} testId="room-page" width="wide">
      {back}
      <Viewer key={room.id} room={room} />
    </Page>
  );
}
