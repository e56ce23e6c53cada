import { useState } from 'preact/hooks';
import type { BlockedTerm, TermAction } from '../../../contracts/moderation.js';
import { useT } from '../i18n.js';

const MAX_TERM = 64;
// The contract's list, without pulling its zod schemas into the client bundle.
const termActions = ['block', 'hold', 'censor'] as const satisfies readonly TermAction[];
const isAction = (v: string): v is TermAction => (termActions as readonly string[]).includes(v);
const sameTerm = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Lines of "term,action" (a tab works too; without an action the fallback applies).
 * The last comma separates the action, so a term may itself contain commas.
 */
export function parseTermLines(text: string, fallback: TermAction): { terms: BlockedTerm[]; skipped: number } {
  const terms: BlockedTerm[] = [];
  let skipped = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const cut = Math.max(line.lastIndexOf(','), line.lastIndexOf('\t'));
    const maybe = cut >= 0 ? line.slice(cut + 1).trim().toLowerCase() : '';
    const term = (cut >= 0 && isAction(maybe) ? line.slice(0, cut) : line).trim().replace(/^"(.*)"$/, '$1');
    if (!term || term.length > MAX_TERM || /[\p{Cc}]/u.test(term)) {
      skipped++;
      continue;
    }
    terms.push({ term, action: isAction(maybe) ? maybe : fallback });
  }
  return { terms, skipped };
}

/** Adds terms to a list; a term already there (case aside) takes the new action. */
export function mergeTerms(list: BlockedTerm[], added: BlockedTerm[]): BlockedTerm[] {
  const next = [...list];
  for (const item of added) {
    const at = next.findIndex((x) => sameTerm(x.term, item.term));
    if (at >= 0) next[at] = { ...next[at], action: item.action };
    else next.push(item);
  }
  return next;
}

interface TermsEditorProps {
  idPrefix: string;
  terms: BlockedTerm[];
  onChange: (terms: BlockedTerm[]) => void;
  readOnly?: boolean;
}

/** A blocked-terms list: add one term with its action, change or remove any, or paste CSV lines. */
export function TermsEditor({ idPrefix, terms, onChange, readOnly }: TermsEditorProps) {
  const { t } = useT();
  const [term, setTerm] = useState('');
  const [action, setAction] = useState<TermAction>('hold');
  const [filter, setFilter] = useState('');
  const [csv, setCsv] = useState('');
  const [imported, setImported] = useState<{ added: number; skipped: number } | null>(null);

  const add = (e: Event) => {
    e.preventDefault();
    const clean = term.trim();
    if (!clean) return;
    onChange(mergeTerms(terms, [{ term: clean.slice(0, MAX_TERM), action }]));
    setTerm('');
    document.getElementById(`${idPrefix}-term`)?.focus();
  };

  const importCsv = () => {
    const { terms: added, skipped } = parseTermLines(csv, action);
    onChange(mergeTerms(terms, added));
    setImported({ added: added.length, skipped });
    if (added.length) setCsv('');
  };

  const shown = filter.trim() ? terms.filter((x) => x.term.toLowerCase().includes(filter.trim().toLowerCase())) : terms;
  const counts = termActions.map((a) => [a, terms.filter((x) => x.action === a).length] as const);

  return (
    <div class="mod-terms" data-testid={`${idPrefix}-editor`}>
      {!readOnly && (
        <form class="mod-terms__add" onSubmit={add}>
          <div class="field mod-terms__term">
            <label class="field__label" for={`${idPrefix}-term`}>
              {t('moderation.terms.term')}
            </label>
            <input id={`${idPrefix}-term`} class="field__input" value={term} maxLength={MAX_TERM} onInput={(e) => setTerm(e.currentTarget.value)} data-testid={`${idPrefix}-term`} />
          </div>
          <div class="field">
            <label class="field__label" for={`${idPrefix}-action`}>
              {t('moderation.terms.action')}
            </label>
            <select id={`${idPrefix}-action`} class="field__input" value={action} onChange={(e) => setAction(e.currentTarget.value as TermAction)} data-testid={`${idPrefix}-action`}>
              {termActions.map((a) => (
                <option key={a} value={a}>
                  {t(`moderation.termAction.${a}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button" disabled={!term.trim()} data-testid={`${idPrefix}-add`}>
            {t('moderation.terms.add')}
          </button>
        </form>
      )}
      <p class="mod-terms__summary">
        {t('moderation.terms.count', { count: terms.length })}
        {counts.map(([a, n]) => n > 0 && <span key={a} class={`mod-reason mod-reason--${a}`}>{`${t(`moderation.termAction.${a}`)} ${n}`}</span>)}
      </p>
      {terms.length > 8 && (
        <input class="field__input mod-terms__filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} placeholder={t('moderation.terms.filter')} aria-label={t('moderation.terms.filter')} />
      )}
      {terms.length === 0 ? (
        <p class="mod-history__empty">{t('moderation.terms.none')}</p>
      ) : (
        <ul class="mod-terms__list" data-testid={`${idPrefix}-list`}>
          {shown.map((x, i) => (
            <li key={`${i}:${x.term}`} class={`mod-term mod-term--${x.action}`} data-testid="term-row">
              <span class="mod-term__text">{x.term}</span>
              {readOnly ? (
                <span class="mod-term__action">{t(`moderation.termAction.${x.action}`)}</span>
              ) : (
                <>
                  <select
                    class="mod-term__select"
                    value={x.action}
                    aria-label={t('moderation.terms.actionFor', { term: x.term })}
                    onChange={(e) => onChange(terms.map((y) => (y === x ? { ...y, action: e.currentTarget.value as TermAction } : y)))}
                  >
                    {termActions.map((a) => (
                      <option key={a} value={a}>
                        {t(`moderation.termAction.${a}`)}
                      </option>
                    ))}
                  </select>
                  <button type="button" class="mod-term__remove" onClick={() => onChange(terms.filter((y) => y !== x))} aria-label={t('moderation.terms.remove', { term: x.term })}>
                    ×
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <details class="mod-terms__csv">
          <summary>{t('moderation.terms.csvTitle')}</summary>
          <label class="field__message" for={`${idPrefix}-csv`}>
            {t('moderation.terms.csvHint', { action: t(`moderation.termAction.${action}`) })}
          </label>
          <textarea id={`${idPrefix}-csv`} class="field__input mod-terms__textarea" rows={5} value={csv} onInput={(e) => setCsv(e.currentTarget.value)} placeholder={'剧透,hold\nspoiler,censor\nbuy followers,block'} data-testid={`${idPrefix}-csv`} />
          <div class="mod-form-actions">
            {imported && <span class="field__message" role="status">{t('moderation.terms.imported', { count: imported.added, skipped: imported.skipped })}</span>}
            <button type="button" class="button button--small" onClick={importCsv} disabled={!csv.trim()} data-testid={`${idPrefix}-import`}>
              {t('moderation.terms.import')}
            </button>
          </div>
        </details>
      )}
    </div>
  );
}
