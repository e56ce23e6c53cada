import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useT } from '../i18n.js';

let firstPage = true;

interface PageProps {
  title: string;
  intro?: string;
  testId?: string;
  /** Wide pages use the full column (room grid); narrow ones suit short forms. */
  width?: 'narrow' | 'wide';
  /** Content next to the heading, e.g. a refresh button. */
  actions?: ComponentChildren;
  children?: ComponentChildren;
}

/**
 * One screen of the app. Sets the document title and, after in-app
 * navigation, moves focus to the heading so keyboard, screen-reader and
 * TV-remote users start at the top of the new page.
 */
export function Page({ title, intro, testId, width, actions, children }: PageProps) {
  const { t } = useT();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${title} · ${t('app.brand')}`;
  }, [title, t]);

  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    heading.current?.focus({ preventScroll: false });
  }, []);

  return (
    <section class={width ? `page page--${width}` : 'page'} data-testid={testId} aria-labelledby="page-title">
      <div class="page__head">
        <div>
          <h1 id="page-title" class="page__title" tabIndex={-1} ref={heading}>
            {title}
          </h1>
          {intro && <p class="page__intro">{intro}</p>}
        </div>
        {actions && <div class="page__actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}
