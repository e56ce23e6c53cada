/**
 * Client-side checks that mirror the shared contracts (contracts/auth.ts,
 * contracts/rooms.ts) so people get instant, translated feedback. The server
 * stays the authority; these only avoid a round trip. Each returns the
 * problem as a translation key (with values), or null when the value looks fine.
 */

export interface ProblemText {
  key: string;
  values?: Record<string, string | number>;
}
export type Problem = ProblemText | null;

const problem = (key: string, values?: ProblemText['values']): ProblemText => ({ key, values });

const handlePattern = /^[a-zA-Z0-9_.-]+$/;
const controlChars = /[\p{Cc}\p{Cf}]/u;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkHandle(value: string): Problem {
  const handle = value.trim();
  if (!handle) return problem('validation.required');
  if (handle.length < 3 || handle.length > 32 || !handlePattern.test(handle)) return problem('validation.handle');
  return null;
}

export function checkPassword(value: string): Problem {
  if (!value) return problem('validation.required');
  if (value.length < 8 || value.length > 256) return problem('validation.password');
  return null;
}

/** Display name is optional: an empty value is fine and means "use my handle". */
export function checkDisplayName(value: string): Problem {
  const name = value.normalize('NFKC').trim();
  if (!name) return null;
  if (name.length > 40 || controlChars.test(name)) return problem('validation.displayName');
  return null;
}

export function checkRequired(value: string, max: number): Problem {
  const text = value.normalize('NFKC').trim();
  if (!text) return problem('validation.required');
  if (text.length > max) return problem('validation.tooLong', { max });
  return null;
}

export function checkVideoUrl(value: string): Problem {
  const url = value.trim();
  if (!url) return problem('validation.required');
  if (url.length > 2048 || !/^(https?:\/\/|\/)/.test(url)) return problem('validation.videoUrl');
  return null;
}

export function checkDurationMinutes(value: string): Problem {
  if (!value.trim()) return problem('validation.required');
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 720) return problem('validation.duration');
  return null;
}

export function checkStartsAt(value: string): Problem {
  if (!value || Number.isNaN(new Date(value).getTime())) return problem('validation.startsAt');
  return null;
}

export function checkUserId(value: string): Problem {
  const id = value.trim();
  if (!id) return problem('validation.required');
  if (!uuidPattern.test(id)) return problem('validation.userId');
  return null;
}
