import { useState } from 'preact/hooks';
import { useT } from '../i18n.js';

/** The server's limits on tags (contracts/proposals.ts). */
export const MAX_TAGS = 5;
export const MAX_TAG_LENGTH = 24;

interface TagsInputProps {
  id: string;
  tags: string[];
  onTags(tags: string[]): void;
  problem?: string | null;
}

/** Cleans a typed tag the way the server stores it: NFKC, trimmed, lower case, no leading #. */
export function cleanTag(raw: string): string {
  return raw.normalize('NFKC').replace(/^#+/, '').trim().toLowerCase();
}

/**
 * Up to five tags as removable chips. Enter, comma or the Add button adds the
 * typed tag; Backspace in the empty input removes the last one.
 */
export function TagsInput({ id, tags, onTags, problem }: TagsInputProps) {
  const { t } = useT();
  const [draft, setDraft] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const full = tags.length >= MAX_TAGS;

  const add = () => {
    const tag = cleanTag(draft);
    if (!tag) return;
    if (tag.length > MAX_TAG_LENGTH) {
      setLocal(t('proposals.form.tagTooLong', { max: MAX_TAG_LENGTH }));
      return;
    }
    setLocal(null);
    setDraft('');
    if (!tags.includes(tag) && !full) onTags([...tags, tag]);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ',' || e.key === '，') {
      e.preventDefault();
      add();
    } else if (e.key === 'Backspace' && !draft && tags.length) {
      onTags(tags.slice(0, -1));
    }
  };

  const message = local ?? problem ?? null;
  return (
    <div class={message ? 'field field--invalid' : 'field'}>
      <label class="field__label" for={id}>
        {t('proposals.form.tags')}
      </label>
      <div class="tags-input">
        {tags.length > 0 && (
          <ul class="tags-input__chips">
            {tags.map((tag) => (
              <li key={tag} class="chip">
                <span>#{tag}</span>
                <button
                  type="button"
                  class="chip__remove"
                  aria-label={t('proposals.form.removeTag', { tag })}
                  onClick={() => onTags(tags.filter((x) => x !== tag))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <input
          id={id}
          class="field__input tags-input__field"
          value={draft}
          placeholder={full ? t('proposals.form.tagsFull') : t('proposals.form.tagsPlaceholder')}
          disabled={full}
          maxLength={MAX_TAG_LENGTH + 4}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          onBlur={add}
          aria-describedby={`${id}-message`}
          aria-invalid={message ? true : undefined}
          data-testid="proposal-tags"
        />
      </div>
      <p id={`${id}-message`} class={message ? 'field__message field__message--error' : 'field__message'}>
        {message ?? t('proposals.form.tagsHint', { count: tags.length, max: MAX_TAGS })}
      </p>
    </div>
  );
}
