/**
 * The SQLSTATE of a Postgres error, whether node-postgres threw it or drizzle wrapped it
 * (DrizzleQueryError keeps the driver's error as `cause`).
 */
export function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null | undefined;
  const code = typeof e?.code === 'string' ? e.code : e?.cause?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export const isUniqueViolation = (err: unknown) => sqlState(err) === '23505';

/**
 * Postgres refused the data itself, not the moment: a data exception (class 22: a NUL in
 * text, a value out of range, bad encoding) or a not-null or check violation. Sending the
 * same row again cannot succeed, unlike a lost connection or a restart.
 */
export function isDataError(err: unknown): boolean {
  const code = sqlState(err);
  return code !== undefined && (code.startsWith('22') || code === '23502' || code === '23514');
}
