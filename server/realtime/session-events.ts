import { z } from 'zod';
import type { EventSpec } from './handle.js';

/** `session:whoami`: lets a client confirm who the server thinks it is (null for guests). */
export function createSessionEvents(): Record<string, EventSpec<z.ZodType>> {
  return {
    'session:whoami': {
      schema: z.unknown(),
      access: 'anyone',
      run: (_input, { session }) => ({ user: session?.user ?? null }),
    },
  };
}
