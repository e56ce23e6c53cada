import { useRef, useState } from 'preact/hooks';
import { ApiError, isAbort } from './api.js';
import type { Problem } from './validation.js';

type Values<F extends string> = Record<F, string>;
type Checks<F extends string> = Partial<Record<F, (value: string) => Problem>>;

export interface FormState<F extends string> {
  values: Values<F>;
  problems: Partial<Record<F, Problem>>;
  error: ApiError | null;
  busy: boolean;
  /** The id of a field's input, e.g. fieldId('handle') === 'login-handle'. */
  fieldId(field: F): string;
  set(field: F, value: string): void;
  /** What a <Field> needs to show and edit one field: `<Field {...form.bind('handle')} label=… />`. */
  bind(field: F): { id: string; value: string; onValue: (value: string) => void; problem?: Problem };
  dismissError(): void;
  reset(values?: Partial<Values<F>>): void;
  /** Validates, then runs `send`; maps server errors onto the banner and the fields. */
  submit(send: (values: Values<F>) => Promise<void>): Promise<void>;
}

/**
 * Form state shared by the login, sign-up, premiere and role forms:
 * values, per-field problems (shown after a submit attempt or once a field
 * was wrong), a request-level error for the banner, and a busy flag.
 */
export function useForm<F extends string>(
  idPrefix: string,
  initial: Values<F>,
  checks: Checks<F>,
  serverProblems: Partial<Record<F, Problem>> = {},
): FormState<F> {
  const [values, setValues] = useState<Values<F>>(initial);
  const [problems, setProblems] = useState<Partial<Record<F, Problem>>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);

  const fieldId = (field: F) => `${idPrefix}-${field}`;
  const focusField = (field: F) => document.getElementById(fieldId(field))?.focus();

  const check = (vals: Values<F>) => {
    const found: Partial<Record<F, Problem>> = {};
    for (const field of Object.keys(checks) as F[]) {
      const result = checks[field]?.(vals[field]);
      if (result) found[field] = result;
    }
    return found;
  };

  const set = (field: F, value: string) => {
    setValues((prev) => ({ ...prev, [field]: value }));
    // Once a field was flagged, re-check it as the person types so the message clears.
    setProblems((prev) => (prev[field] ? { ...prev, [field]: checks[field]?.(value) ?? null } : prev));
  };

  return {
    values,
    problems,
    error,
    busy,
    fieldId,
    set,
    bind: (field) => ({ id: fieldId(field), value: values[field], onValue: (v: string) => set(field, v), problem: problems[field] }),
    dismissError: () => setError(null),
    reset(next = {}) {
      setValues({ ...initial, ...next });
      setProblems({});
    },
    async submit(send) {
      if (busyRef.current) return;
      const found = check(values);
      setProblems(found);
      const firstBad = (Object.keys(checks) as F[]).find((f) => found[f]);
      if (firstBad) {
        focusField(firstBad);
        return;
      }
      busyRef.current = true;
      setBusy(true);
      setError(null);
      try {
        await send(values);
      } catch (err) {
        if (isAbort(err)) return;
        const apiError = err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0);
        setError(apiError);
        const fromServer: Partial<Record<F, Problem>> = {};
        for (const { path } of apiError.fieldProblems()) {
          if (path in values) fromServer[path as F] = serverProblems[path as F] ?? { key: 'validation.invalid' };
        }
        setProblems(fromServer);
        const firstServerBad = (Object.keys(values) as F[]).find((f) => fromServer[f]);
        if (firstServerBad) focusField(firstServerBad);
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
    },
  };
}
