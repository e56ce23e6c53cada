import { useEffect, useState } from 'preact/hooks';
import { getUserCard } from './api.js';

/** Display names already asked for in this visit (null: unknown or not allowed). */
const cache = new Map<string, Promise<string | null>>();
/** Enough for a page of audit entries or appeals; ids past it keep their short form. */
const MAX_LOOKUPS = 40;

/**
 * Display names for account ids (audit actors, appellants), looked up once per visit
 * through the user card: the moderation API carries only ids there.
 */
export function useUserNames(ids: Array<string | null | undefined>): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(ids.filter((id): id is string => !!id))].slice(0, MAX_LOOKUPS).sort().join(',');
  useEffect(() => {
    let alive = true;
    for (const id of key ? key.split(',') : []) {
      let pending = cache.get(id);
      if (!pending) {
        pending = getUserCard(id).then(
          (card) => card.user.displayName,
          () => null,
        );
        cache.set(id, pending);
      }
      void pending.then((name) => {
        if (alive && name) setNames((prev) => (prev[id] === name ? prev : { ...prev, [id]: name }));
      });
    }
    return () => {
      alive = false;
    };
  }, [key]);
  return names;
}
