import type { ConsoleTab } from './console-nav.js';

/** 24-unit stroke paths per console section, drawn in the text colour. */
const paths: Record<ConsoleTab, string> = {
  overview: 'M4 4h7v7H4zM13 4h7v4h-7zM13 10h7v10h-7zM4 13h7v7H4z',
  queue: 'M4 6h16M4 12h16M4 18h10M18 16l2 2 3-4',
  live: 'M9 7.5v9l7.5-4.5zM3.5 12a8.5 8.5 0 1 0 17 0 8.5 8.5 0 1 0-17 0',
  rules: 'M4 7h9M17 7h3M4 17h3M11 17h9M15 5v4M9 15v4',
  audit: 'M12 7v5l3 2M3.5 12a8.5 8.5 0 1 0 2.5-6M3 4v4h4',
  appeals: 'M12 4v16M7 20h10M5 8h14M5 8l-2.5 6a3 3 0 0 0 5 0zM19 8l-2.5 6a3 3 0 0 0 5 0z',
};

/** The sidebar icon of a console section (decorative: the label carries the meaning). */
export function TabIcon({ tab }: { tab: ConsoleTab }) {
  return (
    <svg class="mod-tabs__icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={paths[tab]} fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
