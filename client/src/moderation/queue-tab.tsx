import { useEffect, useRef, useState } from 'preact/hooks';
import type { QueueItem } from '../../../contracts/moderation.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { useLoad } from '../use-load.js';
import { act, bulkQueue, getQueue, type BulkResult, type TargetType } from './api.js';
import type { TabProps } from './console-nav.js';
import { isReviewable, itemKey, QueueRow } from './queue-item.js';
import { RoomPicker } from './room-picker.js';
import { ListState, ReasonField, useNow, useRunner } from './ui.js';

/** A held comment reaches Postgres through the workers a moment after its live event: look again a few times. */
const CATCH_UP_MS = [300, 600, 1_000, 2_000, 3_000];

type Decision = 'approve' | 'remove';

/**
 * The review queue: held and reported comments, proposals and accounts, oldest
 * first, filtered by type and room, growing live as `moderation:queue` events
 * arrive; approve or remove one item or a whole selection with one reason.
 */
export function QueueTab({ link, rooms, roomId, setRoom }: TabProps) {
  const { t } = useT();
  const now = useNow();
  const [type, setType] = useState<'' | TargetType>('');
  const [tick, setTick] = useState(0);
  const queue = useLoad(`${type}|${roomId}|${tick}`, (signal) =>
    getQueue({ type: type || undefined, roomId: roomId || undefined, limit: 200 }, signal).then((r) => r.items),
  );
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [outcome, setOutcome] = useState<{ done: number; decision: Decision; failed: BulkResult[] } | null>(null);
  const runner = useRunner();
  const pending = useRef<{ keys: Set<string>; attempt: number }>({ keys: new Set(), attempt: 0 });

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = link.onQueue((e) => {
      if (type && e.targetType !== type) return;
      if (roomId && e.roomId && e.roomId !== roomId) return;
      const key = itemKey(e);
      setFresh((prev) => new Set(prev).add(key));
      pending.current = { keys: new Set(pending.current.keys).add(key), attempt: 0 };
      clearTimeout(timer);
      timer = setTimeout(() => setTick((n) => n + 1), 150);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [link, type, roomId]);

  const items = (queue.data ?? []).filter((item) => !gone.has(itemKey(item)));

  // Arrivals not in the answer yet (still on their way to the database): ask again, backing off.
  useEffect(() => {
    if (queue.state !== 'ready') return;
    // A fresh answer already lacks what was just decided: stop hiding those rows locally.
    setGone((prev) => (prev.size ? new Set() : prev));
    const seen = new Set(queue.data.map(itemKey));
    const missing = [...pending.current.keys].filter((k) => !seen.has(k));
    const attempt = pending.current.attempt;
    if (missing.length === 0 || attempt >= CATCH_UP_MS.length) {
      pending.current = { keys: new Set(), attempt: 0 };
      return;
    }
    pending.current = { keys: new Set(missing), attempt: attempt + 1 };
    const timer = setTimeout(() => setTick((n) => n + 1), CATCH_UP_MS[attempt]);
    return () => clearTimeout(timer);
  }, [queue.state, queue.data]);

  const reviewable = items.filter(isReviewable);
  const chosen = reviewable.filter((item) => selected.has(itemKey(item)));
  const allChosen = reviewable.length > 0 && chosen.length === reviewable.length;

  const toggle = (key: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  function reasonFor(decision: Decision): string | null {
    const text = reason.trim();
    if (text) return text;
    if (decision === 'approve') return t('moderation.presetReason.fine');
    setReasonMissing(true);
    document.getElementById('queue-reason')?.focus();
    return null;
  }

  async function decide(targets: Array<QueueItem & { targetType: 'danmaku' | 'proposal' }>, decision: Decision, bulk: boolean) {
    const why = reasonFor(decision);
    if (!why || targets.length === 0) return;
    setReasonMissing(false);
    setOutcome(null);
    const refs = targets.map((i) => ({ targetType: i.targetType, targetId: i.targetId }));
    const results = await runner.run(async () => {
      if (bulk) return (await bulkQueue(refs, decision, why)).results;
      const [one] = targets;
      const action = decision === 'approve' ? 'approve' : one.targetType === 'danmaku' ? 'hide' : 'reject';
      await act({ targetType: one.targetType, targetId: one.targetId, action, reason: why });
      return [{ ...refs[0], ok: true } as BulkResult];
    });
    if (!results) return;
    const done = results.filter((r) => r.ok).map(itemKey);
    setGone((prev) => new Set([...prev, ...done]));
    setSelected((prev) => new Set([...prev].filter((k) => !done.includes(k))));
    setOutcome({ done: done.length, decision, failed: results.filter((r) => !r.ok) });
    setTick((n) => n + 1);
  }

  return (
    <section class="mod-section" aria-labelledby="queue-title" data-testid="queue-tab">
      <header class="mod-section__head">
        <h2 id="queue-title" class="mod-section__title">
          {t('moderation.queue.title')} <span class="mod-count">{items.length}</span>
        </h2>
        {fresh.size > 0 && (
          <span class="mod-arrivals" role="status" data-testid="queue-arrivals">
            <span class="mod-arrivals__dot" aria-hidden="true" />
            {t('moderation.queue.arrivals', { count: fresh.size })}
          </span>
        )}
      </header>
      <div class="mod-filters">
        <div class="field mod-field">
          <label class="field__label" for="queue-type">
            {t('moderation.queue.type')}
          </label>
          <select id="queue-type" class="field__input" value={type} onChange={(e) => setType(e.currentTarget.value as TargetType)} data-testid="queue-type">
            <option value="">{t('moderation.queue.allTypes')}</option>
            {(['danmaku', 'proposal', 'user'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`moderation.targetType.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <RoomPicker id="queue-room" rooms={rooms} value={roomId} onValue={setRoom} anyLabel={t('moderation.allRooms')} testId="queue-room" />
      </div>
      <div class={reasonMissing ? 'mod-bulk mod-bulk--invalid' : 'mod-bulk'} data-testid="queue-bulk">
        <label class="check mod-bulk__all">
          <input
            type="checkbox"
            checked={allChosen}
            indeterminate={chosen.length > 0 && !allChosen}
            disabled={reviewable.length === 0}
            onChange={(e) => setSelected(e.currentTarget.checked ? new Set(reviewable.map(itemKey)) : new Set())}
            data-testid="queue-select-all"
          />
          {chosen.length ? t('moderation.queue.selected', { count: chosen.length }) : t('moderation.queue.selectAll')}
        </label>
        <ReasonField id="queue-reason" value={reason} onValue={(v) => (setReason(v), setReasonMissing(false))} compact testId="queue-reason" />
        {reasonMissing && <p class="field__message field__message--error">{t('moderation.reasonNeeded')}</p>}
        <div class="mod-bulk__buttons">
          <button type="button" class="button mod-approve" disabled={!chosen.length || runner.busy} onClick={() => void decide(chosen, 'approve', true)} data-testid="bulk-approve">
            {chosen.length ? t('moderation.queue.approveSelected', { count: chosen.length }) : t('moderation.queue.approveNone')}
          </button>
          <button type="button" class="button mod-remove" disabled={!chosen.length || runner.busy} onClick={() => void decide(chosen, 'remove', true)} data-testid="bulk-remove">
            {chosen.length ? t('moderation.queue.removeSelected', { count: chosen.length }) : t('moderation.queue.removeNone')}
          </button>
        </div>
      </div>
      <ErrorBanner error={runner.error ?? queue.error} onDismiss={runner.error ? runner.clear : undefined} onRetry={runner.error ? undefined : queue.reload} />
      {outcome && (
        <div class={outcome.failed.length ? 'banner banner--warning' : 'banner banner--success'} role="status" data-testid="queue-outcome">
          <p class="banner__text">
            {t(`moderation.queue.done.${outcome.decision}`, { count: outcome.done })}
            {outcome.failed.length > 0 && ` ${t('moderation.queue.failed', { count: outcome.failed.length })}`}
          </p>
        </div>
      )}
      <ListState loading={queue.state === 'loading'} empty={items.length === 0} emptyText={t('moderation.queue.empty')} />
      <ol class="mod-list" aria-busy={queue.state === 'loading'} data-testid="queue-list">
        {items.map((item) => {
          const key = itemKey(item);
          return (
            <QueueRow
              key={key}
              item={item}
              rooms={rooms}
              now={now}
              selected={selected.has(key)}
              fresh={fresh.has(key)}
              busy={runner.busy}
              onSelect={(on) => toggle(key, on)}
              onDecide={(d) => isReviewable(item) && void decide([item], d, false)}
            />
          );
        })}
      </ol>
    </section>
  );
}
