/** The Lotus mark: three petals over a water line. Decorative; the wordmark carries the name. */
export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false">
      <path d="M16 4c3.6 3.4 5.4 7.4 5.4 11.4S19.6 22.6 16 25c-3.6-2.4-5.4-5.6-5.4-9.6S12.4 7.4 16 4z" fill="currentColor" />
      <path
        d="M4.5 11.5c4 .2 7.3 1.8 9.4 4.9 1.2 1.8 1.9 4.6 2.1 8.6-4-.4-7.1-1.9-9.1-4.6-1.6-2.2-2.4-5.2-2.4-8.9z"
        fill="currentColor"
        opacity=".7"
      />
      <path
        d="M27.5 11.5c-4 .2-7.3 1.8-9.4 4.9-1.2 1.8-1.9 4.6-2.1 8.6 4-.4 7.1-1.9 9.1-4.6 1.6-2.2 2.4-5.2 2.4-8.9z"
        fill="currentColor"
        opacity=".7"
      />
      <path d="M6 27.5h20" stroke="currentColor" stroke-width="2" stroke-linecap="round" opacity=".5" />
    </svg>
  );
}
