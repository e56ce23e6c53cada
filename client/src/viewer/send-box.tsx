import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'preact/hooks';
import { charCount } from '../../../contracts/chars.js';
import type { DanmakuMode } from '../../../contracts/danmaku.js';
import type { RoomStatus } from '../../../contracts/rooms.js';
import { currentLanguage, useT } from '../i18n.js';
import { href, loginPath } from '../router.js';
import type { SocketError } from './connection.js';
import type { ViewerController } from './controller.js';
import { Icon } from './icons.js';
import { modes } from './settings.js';

/** Characters as the server counts them (contracts/chars.ts: an emoji is one). */
const MAX = 100;
/** The field's own limit, in UTF-16 units: room for 100 emoji sequences, not for a pasted page. */
const MAX_UNITS = MAX * 8;
/** Bilibili-like palette: readable over most pictures. */
export const palette = ['#ffffff', '#fe0302', '#ff7204', '#ffd302', '#a0ee00', '#00cd00', '#00a0ff', '#019899', '#4266be', '#cc0273', '#ff5c8a', '#222222'];
const LAST_STYLE_KEY = 'lotus.viewer.send';

function readLastStyle(): { mode: DanmakuMode; color: string } {
  try {
    const raw = JSON.parse(localStorage.getItem(LAST_STYLE_KEY) ?? '{}') as { mode?: unknown; color?: unknown };
    return {
      mode: modes.includes(raw.mode as DanmakuMode) ? (raw.mode as DanmakuMode) : 'scroll',
      color: typeof raw.color === 'string' && /^#[0-9a-f]{6}$/i.test(raw.color) ? raw.color : '#ffffff',
    };
  } catch {
    return { mode: 'scroll', color: '#ffffff' };
  }
}

function retryAfterMs(error: SocketError): number | null {
  const d = error.details as { retryAfterMs?: unknown } | undefined;
  return typeof d?.retryAfterMs === 'number' ? d.retryAfterMs : null;
}

/** A friendly sentence for a refused send; RATE_LIMITED and SLOW_MODE count down instead. */
export function sendErrorText(error: SocketError, t: TFunction, waitS: number): string {
  const until = (error.details as { until?: unknown } | undefined)?.until;
  if ((error.code === 'RATE_LIMITED' || error.code === 'SLOW_MODE') && waitS > 0) return t(`viewer.sendErrors.${error.code}_wait`, { seconds: waitS });
  if ((error.code === 'MUTED' || error.code === 'BANNED') && typeof until === 'string') {
    const time = new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(until));
    return t(`viewer.sendErrors.${error.code}_until`, { time });
  }
  return t(`viewer.sendErrors.${error.code}`, { defaultValue: t(`errors.${error.code}`, { defaultValue: t('errors.UNKNOWN') }) });
}

interface SendBoxProps {
  ctl: ViewerController;
  signedIn: boolean;
  phase: RoomStatus;
}

/**
 * Writing a comment: text (Enter sends), mode and colour. Guests get a log-in
 * prompt instead; refusals are explained, with a countdown when it's "wait".
 */
export function SendBox({ ctl, signedIn, phase }: SendBoxProps) {
  const { t } = useT();
  const [text, setText] = useState('');
  const [style, setStyle] = useState(readLastStyle);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SocketError | null>(null);
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(Date.now());
  const [pickerOpen, setPickerOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (waitUntil <= Date.now()) return;
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [waitUntil]);

  useEffect(() => {
    try {
      localStorage.setItem(LAST_STYLE_KEY, JSON.stringify(style));
    } catch {
      // Storage unavailable: the choice lasts for this visit.
    }
  }, [style]);

  if (!signedIn) {
    const back = `/rooms/${encodeURIComponent(ctl.room.id)}`;
    return (
      <div class="sendbar sendbar--guest" data-testid="comment-login">
        <p class="sendbar__prompt">{t('viewer.loginToComment')}</p>
        <a class="button button--small button--primary" href={href(loginPath(back))}>
          {t('nav.login')}
        </a>
      </div>
    );
  }

  const waitS = Math.max(0, Math.ceil((waitUntil - now) / 1000));
  const closed = phase === 'scheduled';
  const blank = text.trim() === '';
  const count = charCount(text.normalize('NFKC').trim());
  const over = count > MAX;

  async function submit(e: Event) {
    e.preventDefault();
    if (busy || blank || over || waitS > 0 || closed) return;
    setBusy(true);
    setError(null);
    const res = await ctl.send(text.trim(), style.mode, style.color);
    setBusy(false);
    if (res.ok) {
      setText('');
    } else {
      setError(res.error);
      const wait = retryAfterMs(res.error);
      if (wait && (res.error.code === 'RATE_LIMITED' || res.error.code === 'SLOW_MODE')) {
        setWaitUntil(Date.now() + wait);
        setNow(Date.now());
      }
    }
    input.current?.focus();
  }

  const showError = error && !(waitS === 0 && (error.code === 'RATE_LIMITED' || error.code === 'SLOW_MODE'));
  return (
    <form class="sendbar" onSubmit={submit} data-testid="send-form">
      <div class="sendbar__main">
        <button
          type="button"
          class="sendbar__style"
          style={{ '--swatch': style.color }}
          aria-expanded={pickerOpen}
          aria-label={t('viewer.style')}
          title={t('viewer.style')}
          onClick={() => setPickerOpen(!pickerOpen)}
          data-testid="style-toggle"
        >
          <span class="sendbar__swatch" aria-hidden="true" />
          <span class="sendbar__mode">{t(`viewer.modes.${style.mode}`)}</span>
        </button>
        <span class="sendbar__field">
          <input
            ref={input}
            class="sendbar__input"
            type="text"
            value={text}
            maxLength={MAX_UNITS}
            enterKeyHint="send"
            autoComplete="off"
            disabled={closed}
            placeholder={closed ? t('viewer.notStartedPlaceholder') : t('viewer.placeholder')}
            aria-label={t('viewer.commentLabel')}
            aria-describedby="send-count"
            aria-invalid={over}
            onInput={(e) => setText(e.currentTarget.value)}
            data-testid="comment-input"
          />
          <span id="send-count" class={`sendbar__count${count >= MAX ? ' sendbar__count--full' : ''}`} data-testid="comment-count" data-over={over}>
            {count}/{MAX}
          </span>
        </span>
        <button type="submit" class="button button--primary sendbar__send" disabled={busy || blank || over || waitS > 0 || closed} data-testid="comment-send">
          <Icon name="send" size="1.1em" />
          {waitS > 0 ? `${waitS}s` : t('viewer.send')}
        </button>
      </div>
      {pickerOpen && (
        <div class="sendbar__picker" data-testid="style-picker">
          <div class="segmented" role="group" aria-label={t('viewer.mode')}>
            {modes.map((m) => (
              <button key={m} type="button" class="segmented__option" aria-pressed={style.mode === m} onClick={() => setStyle({ ...style, mode: m })} data-testid={`mode-${m}`}>
                {t(`viewer.modes.${m}`)}
              </button>
            ))}
          </div>
          <div class="swatches" role="group" aria-label={t('viewer.color')}>
            {palette.map((c) => (
              <button key={c} type="button" class="swatches__item" style={{ '--swatch': c }} aria-pressed={style.color === c} aria-label={c} onClick={() => setStyle({ ...style, color: c })} />
            ))}
            <label class="swatches__custom" title={t('viewer.customColor')}>
              <span class="visually-hidden">{t('viewer.customColor')}</span>
              <input type="color" value={style.color} onInput={(e) => setStyle({ ...style, color: e.currentTarget.value })} data-testid="color-custom" />
            </label>
          </div>
        </div>
      )}
      {over && (
        <p class="sendbar__error" role="alert" data-testid="send-too-long">
          {t('viewer.tooLong', { max: MAX })}
        </p>
      )}
      {showError && (
        <p class="sendbar__error" role="alert" data-testid="send-error" data-code={error.code}>
          {sendErrorText(error, t, waitS)}
        </p>
      )}
    </form>
  );
}
