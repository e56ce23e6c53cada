import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n.js';
import { useSession } from '../session.js';
import type { SocketError } from './connection.js';
import type { RecentComment, ViewerController } from './controller.js';
import { Icon } from './icons.js';
import { canHidePerson, compileHiddenPeople } from './policy.js';
import { sendErrorText } from './send-box.js';
import { hidePerson, unhidePerson, useViewerSettings, type HiddenPerson } from './settings.js';
import { formatClock } from './time.js';

/** The server's report reasons (contracts/danmaku.ts; copied, as that module brings zod along). */
const reportReasons = ['spam', 'abuse', 'spoiler', 'hate', 'sexual', 'other'] as const;

interface ItemProps {
  item: RecentComment;
  ctl: ViewerController;
  signedIn: boolean;
  /** Offered on other fans' comments, signed in or not: hiding someone is the viewer's own filter. */
  canHide: boolean;
  onHide(person: HiddenPerson): void;
}

/** One comment: who, when in the video, what; like, report and hide-this-person for others' comments. */
function CommentItem({ item, ctl, signedIn, canHide, onHide }: ItemProps) {
  const { t } = useT();
  const [reporting, setReporting] = useState(false);
  const [reason, setReason] = useState<string>('spam');
  const [error, setError] = useState<SocketError | null>(null);
  const { d } = item;
  const canAct = signedIn && !item.own && !d.held;

  async function like() {
    const res = await ctl.like(d.id);
    setError(res.ok ? null : res.error);
  }

  async function report(e: Event) {
    e.preventDefault();
    const res = await ctl.report(d.id, reason);
    setError(res.ok ? null : res.error);
    if (res.ok) setReporting(false);
  }

  return (
    <li class={`clist__item${item.own ? ' clist__item--own' : ''}`} data-testid="comment-item" data-id={d.id}>
      <div class="clist__meta">
        <span class="clist__swatch" style={{ background: /^#[0-9a-f]{6}$/i.test(d.color) ? d.color : '#fff' }} aria-hidden="true" />
        <span class="clist__name">{d.userName}</span>
        {item.own && <span class="clist__tag">{t('viewer.you')}</span>}
        {d.staff && <span class="clist__tag clist__tag--staff">{t('viewer.staff')}</span>}
        <time class="clist__time">{formatClock(d.offsetMs)}</time>
      </div>
      <div class="clist__body">
        <p class="clist__text">{d.text}</p>
        {(canAct || canHide) && !reporting && (
          <div class="clist__actions">
            {canAct && (
              <>
                <button
                  type="button"
                  class={`chip${item.liked ? ' chip--on' : ''}`}
                  onClick={() => void like()}
                  aria-pressed={item.liked}
                  aria-label={item.likes !== null ? `${t('viewer.like')} (${item.likes})` : t('viewer.like')}
                  title={t('viewer.like')}
                  data-testid="comment-like"
                >
                  <Icon name="heart" size="1em" solid={item.liked} />
                  {item.likes !== null && <span>{item.likes}</span>}
                </button>
                {item.reported ? (
                  <span class="chip chip--static">{t('viewer.reported')}</span>
                ) : (
                  <button type="button" class="chip" onClick={() => setReporting(true)} aria-label={t('viewer.report')} title={t('viewer.report')} data-testid="comment-report">
                    <Icon name="flag" size="1em" />
                  </button>
                )}
              </>
            )}
            {canHide && (
              <button
                type="button"
                class="chip"
                onClick={() => onHide({ id: d.userId, name: d.userName })}
                aria-label={t('viewer.hidePerson', { name: d.userName })}
                title={t('viewer.hidePersonTitle')}
                data-testid="comment-hide-person"
              >
                <Icon name="personOff" size="1em" />
              </button>
            )}
          </div>
        )}
      </div>
      {d.held && (
        <p class="clist__held" data-testid="comment-held">
          {t('viewer.held')}
        </p>
      )}
      {reporting && (
        <form class="clist__report" onSubmit={report} data-testid="report-form">
          <label class="visually-hidden" for={`reason-${d.id}`}>
            {t('viewer.reportReason')}
          </label>
          <select id={`reason-${d.id}`} class="field__input clist__select" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
            {reportReasons.map((r) => (
              <option key={r} value={r}>
                {t(`viewer.reasons.${r}`)}
              </option>
            ))}
          </select>
          <button type="submit" class="button button--small button--primary">
            {t('viewer.reportSend')}
          </button>
          <button type="button" class="button button--small button--ghost" onClick={() => setReporting(false)}>
            {t('viewer.cancel')}
          </button>
        </form>
      )}
      {error && (
        <p class="clist__error" role="alert">
          {sendErrorText(error, t, 0)}
        </p>
      )}
    </li>
  );
}

/** "Hidden comments from NAME · Undo", after hiding someone from the list. */
function HiddenNotice({ person, onUndo, onDismiss }: { person: HiddenPerson; onUndo(): void; onDismiss(): void }) {
  const { t } = useT();
  const undo = useRef<HTMLButtonElement>(null);
  // The hide button left with its row: keep the keyboard where the next step is.
  useEffect(() => undo.current?.focus(), [person.id]);
  return (
    <div class="clist__notice" data-testid="hidden-notice">
      <span class="clist__notice-text">{t('viewer.hiddenPerson', { name: person.name })}</span>
      <button type="button" class="button button--small button--ghost" ref={undo} onClick={onUndo} data-testid="hidden-undo">
        {t('viewer.undo')}
      </button>
      <button type="button" class="chip" onClick={onDismiss} aria-label={t('viewer.dismiss')} title={t('viewer.dismiss')}>
        ×
      </button>
    </div>
  );
}

/**
 * The latest comments, newest first. It is where people like and report
 * (clicking moving text is awkward) and hide someone's comments, and the
 * text-only view of the room for screen readers, which skip the moving layer.
 * Hidden people are filtered here as well as on arrival, so their rows leave
 * the moment they are hidden and come back if the viewer changes their mind.
 */
export function CommentList({ ctl, items, signedIn, replay }: { ctl: ViewerController; items: RecentComment[]; signedIn: boolean; replay: boolean }) {
  const { t } = useT();
  const viewerId = useSession().user?.id ?? null;
  const { blockedUsers } = useViewerSettings();
  const hidden = useMemo(() => compileHiddenPeople(blockedUsers), [blockedUsers]);
  const [notice, setNotice] = useState<HiddenPerson | null>(null);
  const title = useRef<HTMLHeadingElement>(null);
  const shown = items.filter((item) => item.own || !hidden(item.d));
  // Unhidden in the settings meanwhile: nothing left to undo.
  const undoable = notice && blockedUsers.some((p) => p.id === notice.id) ? notice : null;

  function hide(person: HiddenPerson) {
    hidePerson(person);
    setNotice(person);
  }

  function undo(person: HiddenPerson) {
    unhidePerson(person.id);
    setNotice(null);
    title.current?.focus();
  }

  function dismiss() {
    setNotice(null);
    title.current?.focus();
  }

  return (
    <section class="clist card" aria-labelledby="clist-title" data-testid="comment-list">
      <h2 id="clist-title" class="clist__title" ref={title} tabIndex={-1}>
        {t('viewer.recent')} <span class="room-section__count">{shown.length}</span>
      </h2>
      <div role="status">{undoable && <HiddenNotice person={undoable} onUndo={() => undo(undoable)} onDismiss={dismiss} />}</div>
      {shown.length === 0 ? (
        <p class="clist__empty">{replay ? t('viewer.noCommentsReplay') : t('viewer.noComments')}</p>
      ) : (
        <ol class="clist__items">
          {shown.map((item) => (
            <CommentItem
              key={item.d.id}
              item={item}
              ctl={ctl}
              signedIn={signedIn}
              canHide={canHidePerson(item.d, item.own, viewerId)}
              onHide={hide}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
