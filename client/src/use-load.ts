import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, isAbort } from './api.js';

export type Loaded<T> =
  | { state: 'loading'; data: T | null; error: null }
  | { state: 'ready'; data: T; error: null }
  | { state: 'failed'; data: T | null; error: ApiError };

/**
 * Loads data for a page and reloads when `key` changes; a stale request is
 * aborted. Keeps the last data while reloading so the screen doesn't flash.
 */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> & { reload(): void } {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading', data: null, error: null });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setResult((prev) => ({ state: 'loading', data: prev.data, error: null }));
    loadRef.current(controller.signal).then(
      (data) => setResult({ state: 'ready', data, error: null }),
      (err: unknown) => {
        if (isAbort(err)) return;
        const error = err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0);
        setResult((prev) => ({ state: 'failed', data: prev.data, error }));
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...result, reload };
}
