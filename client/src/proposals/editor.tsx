import { useEffect, useRef, useState } from 'preact/hooks';
import { PROPOSAL_BODY_MAX } from '../../../contracts/proposals.js';
import { useT } from '../i18n.js';
import { EditorToolbar, type Format } from './editor-toolbar.js';
import { tidyHtml } from './tidy.js';

/** What the editor holds: the HTML to send and its plain text (for the counter and the empty check). */
export interface EditorValue {
  html: string;
  text: string;
}

interface EditorProps {
  id: string;
  label: string;
  placeholder: string;
  onChange(value: EditorValue): void;
  /** Changing this number empties the editor (after a successful submit). */
  clearSignal: number;
  problem?: string | null;
}

function exec(command: string, value?: string): void {
  // execCommand is deprecated but still the simplest way to get undoable formatting in every browser.
  document.execCommand(command, false, value);
}

/** Inserts plain text at the caret, one paragraph per line, so pasted or dropped markup never gets in. */
function insertPlain(text: string): void {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((line, i) => {
    if (i > 0) exec('insertParagraph');
    if (line) exec('insertText', line);
  });
}

function inside(node: Node | null, tag: string, root: HTMLElement): boolean {
  for (let n: Node | null = node; n && n !== root; n = n.parentNode) if (n.nodeName === tag) return true;
  return false;
}

/**
 * A small rich-text editor: a contenteditable area with bold, italic, list,
 * quote and link, the formatting the server keeps. Pasted and dropped content
 * arrives as plain text. Shows a character count and how much of the size
 * limit the formatted text uses.
 */
export function RichTextEditor({ id, label, placeholder, onChange, clearSignal, problem }: EditorProps) {
  const { t, lang } = useT();
  const area = useRef<HTMLDivElement>(null);
  const [value, setValue] = useState<EditorValue>({ html: '', text: '' });
  const [active, setActive] = useState<Set<Format>>(new Set());

  const report = () => {
    const el = area.current;
    if (!el) return;
    const text = (el.innerText ?? '').replace(/\u00a0/g, ' ').trim();
    const next = { html: text ? tidyHtml(el.innerHTML) : '', text };
    setValue(next);
    onChange(next);
  };

  const refreshActive = () => {
    const el = area.current;
    const sel = document.getSelection();
    if (!el || !sel?.anchorNode || !el.contains(sel.anchorNode)) return;
    const on = new Set<Format>();
    if (document.queryCommandState('bold')) on.add('bold');
    if (document.queryCommandState('italic')) on.add('italic');
    if (inside(sel.anchorNode, 'UL', el) || inside(sel.anchorNode, 'OL', el)) on.add('list');
    if (inside(sel.anchorNode, 'BLOCKQUOTE', el)) on.add('quote');
    if (inside(sel.anchorNode, 'A', el)) on.add('link');
    setActive(on);
  };

  useEffect(() => {
    document.addEventListener('selectionchange', refreshActive);
    return () => document.removeEventListener('selectionchange', refreshActive);
  }, []);

  useEffect(() => {
    if (!area.current || clearSignal === 0) return;
    area.current.innerHTML = '';
    report();
  }, [clearSignal]);

  // Typing into an empty area should start a paragraph, not loose text.
  const startParagraph = () => {
    exec('defaultParagraphSeparator', 'p');
    const el = area.current;
    if (!el || el.firstChild) return;
    el.innerHTML = '<p><br></p>';
    const range = document.createRange();
    range.setStart(el.firstChild!, 0);
    range.collapse(true);
    const sel = document.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
  };

  const apply = (format: Format, url?: string) => {
    const el = area.current;
    if (!el) return;
    el.focus();
    exec('defaultParagraphSeparator', 'p');
    if (format === 'bold') exec('bold');
    else if (format === 'italic') exec('italic');
    else if (format === 'list') exec('insertUnorderedList');
    else if (format === 'quote') exec('formatBlock', active.has('quote') ? 'p' : 'blockquote');
    else if (format === 'link') {
      if (active.has('link')) exec('unlink');
      else if (url) {
        const sel = document.getSelection();
        if (sel && sel.isCollapsed) {
          // Nothing selected: the address itself becomes the link text.
          exec('insertText', url);
          const range = sel.getRangeAt(0);
          range.setStart(range.endContainer, Math.max(0, range.endOffset - url.length));
          sel.removeAllRanges();
          sel.addRange(range);
        }
        exec('createLink', url);
        sel?.collapseToEnd();
      }
    }
    report();
    refreshActive();
  };

  const onPaste = (e: ClipboardEvent) => {
    e.preventDefault();
    insertPlain(e.clipboardData?.getData('text/plain') ?? '');
    report();
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const text = e.dataTransfer?.getData('text/plain');
    if (!text) return;
    const caret = document.caretRangeFromPoint?.(e.clientX, e.clientY);
    const sel = document.getSelection();
    if (caret && sel) {
      sel.removeAllRanges();
      sel.addRange(caret);
    }
    insertPlain(text);
    report();
  };

  const used = value.html.length;
  const over = used > PROPOSAL_BODY_MAX;
  const nearly = !over && used > PROPOSAL_BODY_MAX * 0.9;
  const sizeLabel = t('proposals.form.sizeUsed', { percent: Math.min(100, Math.round((used / PROPOSAL_BODY_MAX) * 100)) });
  const counterId = `${id}-counter`;
  const messageId = `${id}-message`;
  return (
    <div class={problem || over ? 'field field--invalid' : 'field'}>
      <span class="field__label" id={`${id}-label`}>
        {label}
      </span>
      <div class="editor">
        <EditorToolbar active={active} onFormat={apply} areaId={id} />
        <div
          id={id}
          ref={area}
          class={value.text ? 'editor__area' : 'editor__area editor__area--empty'}
          contentEditable
          role="textbox"
          aria-multiline="true"
          aria-labelledby={`${id}-label`}
          aria-describedby={problem ? `${messageId} ${counterId}` : counterId}
          aria-invalid={problem || over ? true : undefined}
          data-placeholder={placeholder}
          data-spatial-nav="off"
          data-testid="proposal-body-editor"
          spellcheck
          onInput={report}
          onPaste={onPaste}
          onDrop={onDrop}
          onFocus={startParagraph}
          onKeyUp={refreshActive}
          onMouseUp={refreshActive}
        />
      </div>
      <div class="editor__foot">
        {problem ? (
          <p id={messageId} class="field__message field__message--error" data-testid="body-problem">
            {problem}
          </p>
        ) : (
          <p class="field__message">{t('proposals.form.bodyHint')}</p>
        )}
        <p id={counterId} class={over ? 'counter counter--over' : nearly ? 'counter counter--near' : 'counter'} data-testid="body-counter">
          {t('proposals.form.counter', { count: value.text.length, chars: value.text.length.toLocaleString(lang) })}
          <meter
            class="counter__meter"
            min={0}
            max={PROPOSAL_BODY_MAX}
            low={PROPOSAL_BODY_MAX * 0.9}
            high={PROPOSAL_BODY_MAX}
            value={Math.min(used, PROPOSAL_BODY_MAX)}
            aria-label={sizeLabel}
            title={sizeLabel}
          />
        </p>
      </div>
      {over && (
        <p class="field__message field__message--error" role="alert">
          {t('proposals.form.bodyTooLong')}
        </p>
      )}
    </div>
  );
}
