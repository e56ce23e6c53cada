import { useEffect, useState } from 'preact/hooks';
import { replaceControls } from '../../../contracts/chars.js';
import type { RefusedDanmaku } from '../../../contracts/danmaku.js';
import { ApiError, isAbort } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { formatDateTime } from '../format.js';
import { useT } from '../i18n.js';
import { discardRefusedDanmaku, listRefusedDanmaku, listRooms, retryRefusedDanmaku } from '../lotus-api.js';
import type { Problem } from '../validation.js';
import '../styles/admin.css';

/**
 * The text with each control character (the usual reason Postgres refused it, and invisible
 * on screen) shown as its code point, e.g. "a [U+0000] b", so the admin sees what was refused.
 * The joiners inside an emoji are part of it, not control characters (contracts/chars.ts).
 */
function shown(text: string): string {
  return replaceControls(text, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}

type Mode = 'idle' | 'editing' | 'confirming';

function SetAsideRow({ item, roomTitle, onDone }: { item: RefusedDanmaku; roomTitle: string | null; onDone: (id: string) => void }) {
  const { t, lang } = useT();
  const d = item.danmaku;
  const [mode, setMode] = useState<Mode>('idle');
  const [text, setText] = useState(d ? replaceControls(d.text, () => '') : '');
  const [problem, setProblem] = useState<Problem>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function run(task: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await task();
      onDone(item.id);
    } catch (err) {
      if (isAbort(err)) return;
      // Someone else retried or discarded it meanwhile: it is gone either way.
      if (err instanceof ApiError && err.code === 'NOT_FOUND') return onDone(item.id);
      const fieldProblem = err instanceof ApiError ? err.fieldProblems().find((p) => p.path === 'text') : undefined;
      if (fieldProblem) setProblem({ key: 'admin.setAside.textRefused' });
      else setError(err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0));
    } finally {
      setBusy(false);
    }
  }

  const retryEdited = (e: Event) => {
    e.preventDefault();
    // Only the emptiness is checked here: the server applies a send's rules, and says which one failed.
    const empty = !text.trim();
    setProblem(empty ? { key: 'validation.required' } : null);
    if (!empty) void run(() => retryRefusedDanmaku(item.id, text));
  };

  return (
    <li class="set-aside__item" data-testid="set-aside-item" data-id={item.id}>
      <div class="set-aside__meta">
        <span class="set-aside__reason" data-testid="set-aside-reason">
          {t(`admin.setAside.reason.${item.reason}`, { defaultValue: item.reason })}
        </span>
        {item.sqlstate && <code class="set-aside__code">SQLSTATE {item.sqlstate}</code>}
        <time dateTime={item.refusedAt}>{formatDateTime(item.refusedAt, lang)}</time>
      </div>
      {d ? (
        <>
          <p class="set-aside__text" data-testid="set-aside-text">
            {shown(d.text)}
          </p>
          <p class="set-aside__where">
            {t('admin.setAside.where', { room: roomTitle ?? d.roomId, user: d.userName, userId: d.userId })}
          </p>
        </>
      ) : (
        <>
          <p class="note">{t('admin.setAside.unreadable')}</p>
          <code class="set-aside__raw">{shown(item.raw)}</code>
        </>
      )}
      <ErrorBanner error={error} messages={{ CONFLICT: t('admin.setAside.conflict') }} onDismiss={() => setError(null)} />
      {mode === 'editing' && (
        <form class="set-aside__edit" onSubmit={retryEdited} noValidate>
          <Field
            id={`set-aside-text-${item.id}`}
            label={t('admin.setAside.newText')}
            hint={t('admin.setAside.newTextHint')}
            value={text}
            onValue={setText}
            problem={problem}
            testId="set-aside-input"
          />
          <div class="set-aside__actions">
            <button type="submit" class="button button--primary button--small" disabled={busy} data-testid="set-aside-save">
              {t('admin.setAside.retryEdited')}
            </button>
            <button type="button" class="button button--ghost button--small" disabled={busy} onClick={() => setMode('idle')}>
              {t('admin.setAside.cancel')}
            </button>
          </div>
        </form>
      )}
      {mode === 'confirming' && (
        <div class="banner banner--warning set-aside__confirm" role="alert">
          <p class="banner__text">{t('admin.setAside.confirmDiscard')}</p>
          <div class="banner__actions">
            <button type="button" class="button button--small" disabled={busy} onClick={() => void run(() => discardRefusedDanmaku(item.id))} data-testid="set-aside-discard-confirm">
              {t('admin.setAside.discard')}
            </button>
            <button type="button" class="button button--ghost button--small" disabled={busy} onClick={() => setMode('idle')}>
              {t('admin.setAside.cancel')}
            </button>
          </div>
        </div>
      )}
      {mode === 'idle' && (
        <div class="set-aside__actions">
          <button type="button" class="button button--small" disabled={busy || !d} onClick={() => void run(() => retryRefusedDanmaku(item.id))} data-testid="set-aside-retry">
            {t('admin.setAside.retry')}
          </button>
          <button type="button" class="button button--small" disabled={busy || !d} onClick={() => setMode('editing')} data-testid="set-aside-edit">
            {t('admin.setAside.edit')}
          </button>
          <button type="button" class="button button--ghost button--small" disabled={busy} onClick={() => setMode('confirming')} data-testid="set-aside-discard">
            {t('admin.setAside.discard')}
          </button>
        </div>
      )}
    </li>
  );
}

/**
 * Danmaku the workers could not store (Postgres refused them as data, or they held
 * no danmaku), set aside for a person: retry each, with its text fixed or not, or
 * discard it. The lotus_danmaku_persist_refused gauge counts them.
 */
export function SetAsideCard() {
  const { t } = useT();
  const [items, setItems] = useState<RefusedDanmaku[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [rooms, setRooms] = useState<Record<string, string>>({});

  async function load(cursor: string | null, signal?: AbortSignal) {
    setLoading(true);
    setError(null);
    try {
      const page = await listRefusedDanmaku(cursor, signal);
      setItems((prev) => (cursor ? [...prev, ...page.items.filter((i) => !prev.some((p) => p.id === i.id))] : page.items));
      setNext(page.nextCursor);
    } catch (err) {
      if (!isAbort(err)) setError(err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0));
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  }

  useEffect(() => {
    const abort = new AbortController();
    void load(null, abort.signal);
    listRooms(abort.signal)
      .then(({ rooms: list }) => setRooms(Object.fromEntries(list.map((r) => [r.id, r.title]))))
      .catch(() => undefined); // rooms show by id then
    return () => abort.abort();
  }, []);

  return (
    <section class="card set-aside" data-testid="set-aside-card" aria-labelledby="set-aside-title">
      <h2 id="set-aside-title" class="card__title">
        {t('admin.setAside.title')}
      </h2>
      <p class="note">{t('admin.setAside.intro')}</p>
      <ErrorBanner error={error} onRetry={() => void load(null)} />
      {loading && items.length === 0 && (
        <p class="loading" role="status">
          {t('app.loading')}
        </p>
      )}
      {!loading && !error && !next && items.length === 0 && (
        <p class="empty" data-testid="set-aside-empty">
          {t('admin.setAside.empty')}
        </p>
      )}
      {items.length > 0 && (
        <ul class="set-aside__list" data-testid="set-aside-list">
          {items.map((item) => (
            <SetAsideRow key={item.id} item={item} roomTitle={item.danmaku ? (rooms[item.danmaku.roomId] ?? null) : null} onDone={(id) => setItems((prev) => prev.filter((i) => i.id !== id))} />
          ))}
        </ul>
      )}
      {next && (
        <button type="button" class="button" disabled={loading} onClick={() => void load(next)} data-testid="set-aside-more">
          {t('admin.setAside.more')}
        </button>
      )}
    </section>
  );
}
