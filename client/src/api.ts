import { ErrorCode } from '../../contracts/errors.js';

/** Codes the client adds for failures that never reached the server's error handler. */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'UNKNOWN';

export interface FieldProblem {
  path: string;
  message: string;
}

/** A failed request, carrying the server's stable error code. */
export class ApiError extends Error {
  readonly code: ClientErrorCode;
  readonly status: number;
  readonly details: unknown;
  /** Seconds to wait before retrying, from Retry-After, when the server sent one. */
  readonly retryAfterS: number | null;

  constructor(code: ClientErrorCode, message: string, status: number, details?: unknown, retryAfterS: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
    this.retryAfterS = retryAfterS;
  }

  /** Field-level problems of a VALIDATION_FAILED answer, with paths joined by dots. */
  fieldProblems(): FieldProblem[] {
    if (this.code !== 'VALIDATION_FAILED' || !Array.isArray(this.details)) return [];
    const problems: FieldProblem[] = [];
    for (const item of this.details as unknown[]) {
      if (!item || typeof item !== 'object') continue;
      const { path, message } = item as { path?: unknown; message?: unknown };
      const joined = Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : '';
      problems.push({ path: joined, message: typeof message === 'string' ? message : '' });
    }
    return problems;
  }
}

const knownCodes = new Set<string>(Object.values(ErrorCode));

function codeForStatus(status: number): ClientErrorCode {
  if (status === 400) return 'VALIDATION_FAILED';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503) return 'UNAVAILABLE';
  if (status >= 500) return 'INTERNAL';
  return 'UNKNOWN';
}

function retryAfter(res: Response): number | null {
  const raw = res.headers.get('retry-after');
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const signedOutListeners = new Set<() => void>();

/**
 * Runs `listener` when a request that needed an account was refused with
 * UNAUTHENTICATED (an expired or revoked session), so the app can show the
 * person as logged out. Wrong credentials on the log-in form don't count.
 */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/** Calls the Lotus HTTP API on this origin; resolves to the JSON answer or throws ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError('NETWORK', err instanceof Error ? err.message : 'network error', 0);
  }
  const body = await readBody(res);
  if (res.ok) return body as T;
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  const code =
    typeof error?.code === 'string' && knownCodes.has(error.code) ? (error.code as ErrorCode) : codeForStatus(res.status);
  const message = typeof error?.message === 'string' ? error.message : res.statusText;
  if (code === 'UNAUTHENTICATED' && !path.startsWith('/api/auth/')) {
    for (const listener of [...signedOutListeners]) listener();
  }
  throw new ApiError(code, message, res.status, error?.details, retryAfter(res));
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
