import type { z } from 'zod';
import { ErrorCode } from '../contracts/errors.js';
import { AppError } from './errors.js';

export interface FieldProblem {
  path: string;
  message: string;
}

/** Parses input with a shared schema; failure is VALIDATION_FAILED naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details: FieldProblem[] = result.error.issues.slice(0, 20).map((i) => ({
    path: i.path.map(String).join('.') || '(body)',
    message: i.message,
  }));
  const first = details[0];
  throw new AppError(ErrorCode.VALIDATION_FAILED, `invalid ${first.path}: ${first.message}`, details);
}
