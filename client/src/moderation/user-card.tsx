import { useState } from 'preact/hooks';
import type { Room } from '../../../contracts/rooms.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { createStore, useStore } from '../store.js';
import { useLoad } from '../use-load.js';
import type { UserAction, UserCard } from './api.js';
import { getUserCard } from './api.js';
import { ageText, dateTimeText } from './format.js';
import { roomLabel } from './room-picker.js';
import { SanctionForm } from './sanction-form.js';
import { Modal } from './ui.js';
import { UserHistory } from './user-history.js';

/** Which account's card is open, and the room it was opened from (the "this room" scope). */
const openCard = createStore<{ userId: string; roomId: string | null } | null>(null);

/** Opens the user card for an account, from any tab. */
export function openUserCard(userId: string, roomId?: string | null): void {
  openCard.set({ userId, roomId: roomId ?? null });
}

const userActions: readonly UserAction[] = ['mute', 'unmute', 'ban', 'unban', 'shadow_mute'];

/** Renders the open user card as a modal; the console mounts it once. */
export function UserCardHost({ rooms }: { rooms: Room[] }) {
  const open = useStore(openCard);
  if (!open) return null;
  return <UserCardModal key={open.userId} userId={open.userId} roomId={open.roomId} rooms={rooms} onClose={() => openCard.set(null)} />;
}

/** Sanctions in force now, global and per room (the server's `standing` covers global ones only). */
function Standing({ card, rooms }: { card: UserCard; rooms: Room[] }) {
  const { t, lang } = useT();
  const now = Date.now();
  const active = card.sanctions.filter((s) => !s.revokedAt && (!s.expiresAt || Date.parse(s.expiresAt) > now));
  const { banned, muted, shadowMuted } = card.standing;
  const fallback = active.length === 0 && (banned || muted || shadowMuted);
  return (
    <ul class="mod-standing" data-testid="user-standing">
      {active.length === 0 && !fallback && (
        <li class="mod-tag mod-tag--ok">{t('moderation.userCard.goodStanding')}</li>
      )}
      {fallback && <li class="mod-tag mod-tag--banned">{t(`moderation.userCard.${banned ? 'banned' : muted ? 'muted' : 'shadowMuted'}`)}</li>}
      {active.map((s) => (
        <li key={s.id} class="mod-standing__item" data-testid="user-sanction">
          <span class={`mod-tag mod-tag--${s.kind}`}>{t(`moderation.action.${s.kind}`)}</span>
          <span>{s.roomId ? roomLabel(rooms, s.roomId) : t('moderation.sanction.everywhere')}</span>
          <span class="mod-standing__until">
            {s.expiresAt ? t('moderation.userCard.until', { time: dateTimeText(s.expiresAt, lang) }) : t('moderation.userCard.noEnd')}
          </span>
        </li>
      ))}
    </ul>
  );
}

function UserCardModal({ userId, roomId, rooms, onClose }: { userId: string; roomId: string | null; rooms: Room[]; onClose: () => void }) {
  const { t, lang } = useT();
  const [version, setVersion] = useState(0);
  const card = useLoad(`${userId}|${version}`, (signal) => getUserCard(userId, signal));
  const [action, setAction] = useState<UserAction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const data = card.data;
  const name = data?.user.displayName ?? userId.slice(0, 8);
  const staff = data && (data.user.role === 'moderator' || data.user.role === 'admin');

  return (
    <Modal title={t('moderation.userCard.title', { name })} onClose={onClose} testId="user-card" wide>
      <ErrorBanner error={card.error} onRetry={card.reload} />
      {!data && card.state === 'loading' && (
        <p class="loading" role="status">
          {t('app.loading')}
        </p>
      )}
      {data && (
        <div class="mod-user">
          <div class="mod-user__who">
            <div class="mod-avatar" aria-hidden="true">
              {Array.from(data.user.displayName)[0] ?? '?'}
            </div>
            <div>
              <p class="mod-user__name">
                {data.user.displayName} <span class="mod-user__handle">@{data.user.handle}</span>
              </p>
              <p class="mod-user__facts">
                <span class={`role-badge role-badge--${data.user.role}`}>{t(`roles.${data.user.role}`)}</span>
                <span title={dateTimeText(data.user.createdAt, lang)}>{t('moderation.userCard.age', { age: ageText(new Date(Date.now() - data.accountAgeMs).toISOString(), t) })}</span>
                <span class="mod-mono">{data.user.id}</span>
              </p>
              <Standing card={data} rooms={rooms} />
            </div>
          </div>
          {done && (
            <div class="banner banner--success" role="status" data-testid="user-action-done">
              <p class="banner__text">{done}</p>
            </div>
          )}
          {staff && <p class="note">{t('moderation.userCard.staffNote')}</p>}
          <div class="mod-user__actions" role="group" aria-label={t('moderation.userCard.actions')}>
            {userActions.map((a) => (
              <button
                key={a}
                type="button"
                class={`button button--small ${a === 'ban' || a === 'shadow_mute' ? 'mod-remove' : ''}`}
                aria-pressed={action === a}
                onClick={() => (setAction(action === a ? null : a), setDone(null))}
                data-testid={`user-${a}`}
              >
                {t(`moderation.userAction.${a}`)}
              </button>
            ))}
          </div>
          {action && (
            <SanctionForm
              key={action}
              action={action}
              userId={data.user.id}
              userName={data.user.displayName}
              roomId={roomId}
              roomTitle={roomLabel(rooms, roomId)}
              onCancel={() => setAction(null)}
              onDone={(summary) => {
                setAction(null);
                setDone(summary);
                setVersion((n) => n + 1);
              }}
            />
          )}
          <UserHistory card={data} rooms={rooms} />
        </div>
      )}
    </Modal>
  );
}
