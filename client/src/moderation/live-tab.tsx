import { useEffect, useRef, useState } from 'preact/hooks';
import type { Danmaku } from '../../../contracts/danmaku.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { act } from './api.js';
import type { TabProps } from './console-nav.js';
import { LiveRow } from './live-row.js';
import { roomLabel, RoomPicker } from './room-picker.js';
import { SanctionForm } from './sanction-form.js';
import { Modal, useNow, useRunner } from './ui.js';

/** How many comments the list keeps; older ones scroll off (the replay keeps them all). */
const KEEP = 300;
const quickReasons = ['spam', 'abuse', 'spoiler', 'offTopic', 'hate', 'sexual'] as const;

/**
 * The live room view: a room's comments as they arrive (newest on top), each with
 * one-click Hide and Mute. Pointing at or focusing the list pauses it, so a row
 * never moves under the moderator's cursor; arrivals wait in a counter meanwhile.
 */
export function LiveTab({ link, rooms, roomId, setRoom }: TabProps) {
  const { t } = useT();
  const now = useNow(5_000);
  const [items, setItems] = useState<Danmaku[]>([]);
  const [waiting, setWaiting] = useState<Danmaku[]>([]);
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  const [held, setHeld] = useState(false);
  const [viewers, setViewers] = useState<number | null>(null);
  const [joinError, setJoinError] = useState<string | null>(null);
  const [hiding, setHiding] = useState<ReadonlySet<string>>(new Set());
  const [quick, setQuick] = useState<(typeof quickReasons)[number]>('spam');
  const [muting, setMuting] = useState<Danmaku | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const runner = useRunner();
  const paused = hovered || focused || held;
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  // Pick the first live room when none is chosen yet.
  const live = rooms.filter((r) => r.status === 'live');
  useEffect(() => {
    if (!roomId && live[0]) setRoom(live[0].id);
  }, [roomId, live[0]?.id]);

  useEffect(() => {
    setItems([]);
    setWaiting([]);
    setViewers(null);
    setJoinError(null);
    if (!roomId) return;
    const add = (list: Danmaku[]) => {
      const fresh = [...list].reverse();
      if (pausedRef.current) setWaiting((w) => [...fresh, ...w].slice(0, KEEP));
      else setItems((prev) => [...fresh, ...prev].slice(0, KEEP));
    };
    return link.watch(roomId, {
      joined(recent, count) {
        setJoinError(null);
        setViewers(count);
        // First join: the last comments; after a reconnect: what was missed. Newest first either way.
        setItems((prev) => {
          const known = new Set(prev.map((d) => d.id));
          const merged = [...prev, ...recent.filter((d) => !known.has(d.id))];
          return merged.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).slice(0, KEEP);
        });
      },
      joinFailed: setJoinError,
      batch: add,
      retract(ids) {
        const gone = new Set(ids);
        setItems((prev) => prev.filter((d) => !gone.has(d.id)));
        setWaiting((prev) => prev.filter((d) => !gone.has(d.id)));
      },
      viewers: setViewers,
    });
  }, [link, roomId]);

  // A focused row that was hidden takes the focus with it: check again after every change.
  const checkFocus = () => setTimeout(() => setFocused(!!listRef.current?.contains(document.activeElement)));
  useEffect(() => {
    if (focused) checkFocus();
  }, [items]);

  // Leaving the list (or un-pausing) lets the waiting comments in.
  useEffect(() => {
    if (paused || waiting.length === 0) return;
    setItems((prev) => [...waiting, ...prev].slice(0, KEEP));
    setWaiting([]);
  }, [paused, waiting.length]);

  async function hide(d: Danmaku) {
    setHiding((prev) => new Set(prev).add(d.id));
    const ok = await runner.run(() => act({ targetType: 'danmaku', targetId: d.id, action: 'hide', reason: t(`moderation.presetReason.${quick}`) }));
    setHiding((prev) => {
      const next = new Set(prev);
      next.delete(d.id);
      return next;
    });
    if (ok) setItems((prev) => prev.filter((x) => x.id !== d.id));
  }

  const perMinute = items.filter((d) => now - Date.parse(d.createdAt) < 60_000).length;
  const title = roomLabel(rooms, roomId);

  return (
    <section class="mod-section" aria-labelledby="live-title" data-testid="live-tab">
      <header class="mod-section__head">
        <h2 id="live-title" class="mod-section__title">
          {t('moderation.live.title')}
        </h2>
        {roomId && (
          <p class="mod-live__stats">
            {viewers !== null && <span data-testid="live-viewers">{t('moderation.live.viewers', { count: viewers })}</span>}
            <span>{t('moderation.live.rate', { count: perMinute })}</span>
          </p>
        )}
      </header>
      <div class="mod-filters">
        <RoomPicker id="live-room" rooms={rooms} value={roomId} onValue={setRoom} statuses={['live', 'ended']} testId="live-room" />
        <div class="field mod-field">
          <label class="field__label" for="live-reason">
            {t('moderation.live.quickReason')}
          </label>
          <select id="live-reason" class="field__input" value={quick} onChange={(e) => setQuick(e.currentTarget.value as typeof quick)} data-testid="live-reason">
            {quickReasons.map((k) => (
              <option key={k} value={k}>
                {t(`moderation.presetReason.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" class="button mod-live__pause" aria-pressed={held} onClick={() => setHeld(!held)} data-testid="live-pause">
          {held ? t('moderation.live.resume') : t('moderation.live.pause')}
        </button>
      </div>
      {joinError && <p class="banner banner--error">{t(`errors.${joinError}`, { defaultValue: t('errors.UNKNOWN') })}</p>}
      <ErrorBanner error={runner.error} onDismiss={runner.clear} />
      {notice && (
        <div class="banner banner--success" role="status" data-testid="live-notice">
          <p class="banner__text">{notice}</p>
          <button type="button" class="button button--small button--ghost" onClick={() => setNotice(null)} aria-label={t('errors.dismiss')}>
            ×
          </button>
        </div>
      )}
      {!roomId && <p class="empty mod-empty">{live.length ? t('moderation.live.choose') : t('moderation.live.noLive')}</p>}
      {roomId && (
        <div class={paused ? 'mod-live mod-live--paused' : 'mod-live'}>
          <div class="mod-live__bar" aria-live="polite">
            {paused ? (
              <button type="button" class="mod-live__waiting" onClick={() => (setHeld(false), setHovered(false), setFocused(false))} data-testid="live-waiting">
                {t('moderation.live.paused', { count: waiting.length })}
              </button>
            ) : (
              <span class="mod-live__flowing">
                <span class="mod-arrivals__dot" aria-hidden="true" /> {t('moderation.live.flowing')}
              </span>
            )}
          </div>
          {items.length === 0 && <p class="mod-live__quiet">{t('moderation.live.quiet')}</p>}
          <ol
            class="mod-live__list"
            ref={listRef}
            data-testid="live-list"
            onFocusIn={() => setFocused(true)}
            onFocusOut={checkFocus}
            onPointerEnter={(e) => e.pointerType === 'mouse' && setHovered(true)}
            onPointerLeave={() => setHovered(false)}
          >
            {items.map((d) => (
              <LiveRow key={d.id} item={d} hiding={hiding.has(d.id)} onHide={() => void hide(d)} onMute={() => setMuting(d)} />
            ))}
          </ol>
        </div>
      )}
      {muting && (
        <Modal title={t('moderation.live.muteTitle', { name: muting.userName })} onClose={() => setMuting(null)} testId="mute-dialog">
          <p class="mod-quote">{muting.text}</p>
          <SanctionForm
            action="mute"
            userId={muting.userId}
            userName={muting.userName}
            roomId={roomId}
            roomTitle={title}
            onCancel={() => setMuting(null)}
            onDone={(summary) => (setMuting(null), setNotice(summary))}
          />
        </Modal>
      )}
    </section>
  );
}
