/** JSON over the public HTTP API, bounded in time; the caller decides what a non-2xx means. */
export interface ApiResult<T> {
  status: number;
  body: T;
  ms: number;
}

export async function call<T = any>(baseUrl: string, method: string, path: string, opts: { body?: unknown; token?: string; timeoutMs?: number } = {}): Promise<ApiResult<T>> {
  const start = performance.now();
  const res = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let body: unknown = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { raw: text.slice(0, 300) };
  }
  return { status: res.status, body: body as T, ms: performance.now() - start };
}

/** Like call(), but throws on anything but 2xx. */
export async function api<T = any>(baseUrl: string, method: string, path: string, opts: { body?: unknown; token?: string; timeoutMs?: number } = {}): Promise<T> {
  const r = await call<T>(baseUrl, method, path, opts);
  if (r.status < 200 || r.status >= 300) throw new Error(`${method} /api${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
}
