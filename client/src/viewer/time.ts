import { useEffect, useRef, useState } from 'preact/hooks';

/** A media position as m:ss (or h:mm:ss): what the seek bar and the list show. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Time left before a premiere: days, hours, minutes and seconds, for the countdown. */
export function splitCountdown(ms: number): { days: number; hours: number; minutes: number; seconds: number } {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

/** Re-renders every `ms` and returns the value `read` gives then. */
export function usePoll<T>(read: () => T, ms: number, same: (a: T, b: T) => boolean = Object.is): T {
  const [value, setValue] = useState(read);
  const reader = useRef(read);
  reader.current = read;
  useEffect(() => {
    const id = setInterval(() => {
      const next = reader.current();
      setValue((prev) => (same(prev, next) ? prev : next));
    }, ms);
    return () => clearInterval(id);
  }, [ms]);
  return value;
}
