import { useEffect, useState } from 'preact/hooks';
import type { Room } from '../../../contracts/rooms.js';
import { ApiError } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { StatusBadge } from '../components/status-badge.js';
import { formatDateTime, formatDuration } from '../format.js';
import { useT } from '../i18n.js';
import { PollDock } from '../polls/poll-dock.js';
import { PollSide } from '../polls/poll-side.js';
import { hasRole, staffRoles, useSession } from '../session.js';
import { useStore } from '../store.js';
import { CommentList } from './comment-list.js';
import type { ConnectionStatus } from './connection.js';
import { ViewerController } from './controller.js';
import { Icon } from './icons.js';
import { Player } from './player.js';
import { SendBox } from './send-box.js';
import { viewerSettings } from './settings.js';
import { usePoll } from './time.js';

/** Connected / reconnecting, so a quiet room is never mistaken for a broken link. */
function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  const { t } = useT();
  return (
    <span class={`conn conn--${status}`} role="status" data-testid="connection-status" data-status={status}>
      <span class="conn__dot" aria-hidden="true" />
      {t(`viewer.connection.${status}`)}
    </span>
  );
}

/**
 * The watching experience for one premiere: player with danmaku, send bar,
 * the recent-comments list and the premiere's facts. Loaded as its own chunk
 * (danmaku renderer and Socket.IO client) so the room list stays light.
 */
export function Viewer({ room }: { room: Room }) {
  const { t, lang } = useT();
  const session = useSession();
  const signedIn = session.user !== null;
  const staff = hasRole(session.user, staffRoles);
  const [ctl] = useState(() => new ViewerController(room, viewerSettings.get(), t('viewer.held')));
  const state = useStore(ctl.state);
  const phase = usePoll(() => ctl.phase(), 500);

  useEffect(() => {
    ctl.start();
    return () => ctl.stop();
  }, [ctl]);

  const joinError = state.joinError ? new ApiError(state.joinError.code, state.joinError.message, 0, state.joinError.details) : null;
  return (
    <div class="viewer" data-testid="viewer">
      <div class="viewer__bar">
        <StatusBadge status={phase} />
        {state.viewers !== null && (
          <span class="viewer__count" data-testid="viewer-count">
            <Icon name="eye" size="1.1em" />
            {t('viewer.viewers', { count: state.viewers })}
          </span>
        )}
        <ConnectionBadge status={state.connection} />
      </div>
      <ErrorBanner error={joinError} />
      <div class="viewer__layout">
        <Player ctl={ctl} joined={state.joined}>
          <SendBox ctl={ctl} signedIn={signedIn} phase={phase} />
          <PollDock ctl={ctl} signedIn={signedIn} phase={phase} />
        </Player>
        <aside class="viewer__side">
          <PollSide ctl={ctl} signedIn={signedIn} staff={staff} />
          <CommentList ctl={ctl} items={state.recent} signedIn={signedIn} replay={phase === 'ended'} />
          <dl class="facts card viewer__facts">
            <div class="facts__row">
              <dt>{t('room.series')}</dt>
              <dd data-testid="room-series">{state.room.ip}</dd>
            </div>
            <div class="facts__row">
              <dt>{t('room.startsAt')}</dt>
              <dd>
                <time dateTime={state.room.startsAt} data-testid="room-starts-at">
                  {formatDateTime(state.room.startsAt, lang)}
                </time>
              </dd>
            </div>
            <div class="facts__row">
              <dt>{t('room.duration')}</dt>
              <dd>{formatDuration(state.room.durationMs, t)}</dd>
            </div>
          </dl>
        </aside>
      </div>
    </div>
  );
}
