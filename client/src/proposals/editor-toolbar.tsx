import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n.js';

/** The formatting the server keeps in a proposal body. */
export type Format = 'bold' | 'italic' | 'list' | 'quote' | 'link';

/** Line icons drawn inline: no emoji or icon font needed (TVs and minimal installs lack them). */
const iconPaths: Record<Format, string[]> = {
  bold: ['M7 5h6a3.5 3.5 0 0 1 0 7H7zM7 12h7a3.5 3.5 0 0 1 0 7H7z'],
  italic: ['M14 5h-4M14 19h-4M14 5l-4 14'],
  list: ['M10 6h10M10 12h10M10 18h10', 'M4.5 6h1M4.5 12h1M4.5 18h1'],
  quote: ['M5 17c0-5 1-8 5-10M14 17c0-5 1-8 5-10', 'M5 17h4M14 17h4'],
  link: ['M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1', 'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1'],
};

function Icon({ format }: { format: Format }) {
  return (
    <svg class="editor__icon" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {iconPaths[format].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}

const buttons: Array<{ format: Format; key: string; shortcut?: string }> = [
  { format: 'bold', key: 'bold', shortcut: 'Ctrl+B' },
  { format: 'italic', key: 'italic', shortcut: 'Ctrl+I' },
  { format: 'list', key: 'list' },
  { format: 'quote', key: 'quote' },
  { format: 'link', key: 'link' },
];

interface ToolbarProps {
  active: Set<Format>;
  onFormat(format: Format, url?: string): void;
  /** The editable area the toolbar formats. */
  areaId: string;
}

/**
 * Bold / Italic / List / Quote / Link. Buttons keep the editor's selection
 * (mousedown doesn't steal focus); Link asks for an http(s) address in a small
 * inline form and restores the selection before linking it.
 */
export function EditorToolbar({ active, onFormat, areaId }: ToolbarProps) {
  const { t } = useT();
  const [asking, setAsking] = useState(false);
  const [url, setUrl] = useState('https://');
  const [bad, setBad] = useState(false);
  const saved = useRef<Range | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (asking) input.current?.select();
  }, [asking]);

  const press = (format: Format) => {
    if (format !== 'link' || active.has('link')) {
      onFormat(format);
      return;
    }
    const sel = document.getSelection();
    const area = document.getElementById(areaId);
    saved.current = sel && sel.rangeCount && area?.contains(sel.anchorNode) ? sel.getRangeAt(0).cloneRange() : null;
    setAsking(true);
    setBad(false);
  };

  const addLink = (e: Event) => {
    e.preventDefault();
    const address = url.trim();
    if (!/^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(address)) {
      setBad(true);
      return;
    }
    const area = document.getElementById(areaId);
    area?.focus();
    const sel = document.getSelection();
    if (sel && saved.current) {
      sel.removeAllRanges();
      sel.addRange(saved.current);
    }
    onFormat('link', address);
    setAsking(false);
    setUrl('https://');
  };

  return (
    <div class="editor__bar">
      <div class="editor__tools" role="toolbar" aria-label={t('proposals.editor.toolbar')} aria-controls={areaId}>
        {buttons.map((b) => (
          <button
            key={b.format}
            type="button"
            class={`editor__tool editor__tool--${b.format}`}
            aria-pressed={active.has(b.format)}
            title={b.shortcut ? `${t(`proposals.editor.${b.key}`)} (${b.shortcut})` : t(`proposals.editor.${b.key}`)}
            aria-label={b.format === 'link' && active.has('link') ? t('proposals.editor.unlink') : t(`proposals.editor.${b.key}`)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => press(b.format)}
            data-testid={`tool-${b.format}`}
          >
            <Icon format={b.format} />
          </button>
        ))}
      </div>
      {asking && (
        <div class="editor__link" role="group" aria-label={t('proposals.editor.link')}>
          <input
            class="field__input editor__link-input"
            type="url"
            inputMode="url"
            value={url}
            aria-label={t('proposals.editor.linkAddress')}
            aria-invalid={bad || undefined}
            onInput={(e) => setUrl(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') addLink(e);
              if (e.key === 'Escape') setAsking(false);
            }}
            data-testid="link-url"
            ref={input}
          />
          <button type="button" class="button button--small" onClick={addLink} data-testid="link-add">
            {t('proposals.editor.addLink')}
          </button>
          <button type="button" class="button button--small button--ghost" onClick={() => setAsking(false)}>
            {t('proposals.editor.cancel')}
          </button>
          {bad && (
            <p class="field__message field__message--error" role="alert">
              {t('proposals.editor.badLink')}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
