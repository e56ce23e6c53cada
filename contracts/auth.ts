import { z } from 'zod';
import { plainText } from './text.js';

export const roles = ['fan', 'moderator', 'writer', 'admin'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

/** Staff can run rooms and moderate; writers read the audience and answer proposals. */
export const staffRoles: readonly Role[] = ['moderator', 'admin'];

export const Handle = z
  .string()
  .trim()
  .min(3, 'at least 3 characters')
  .max(32, 'at most 32 characters')
  .regex(/^[a-zA-Z0-9_.-]+$/, 'letters, digits, _ . - only');

export const Password = z.string().min(8, 'at least 8 characters').max(256, 'at most 256 characters');

export const DisplayName = plainText(1, 40);

export const RegisterInput = z.strictObject({
  handle: Handle,
  password: Password,
  displayName: DisplayName.optional(),
});
export type RegisterInput = z.infer<typeof RegisterInput>;

export const LoginInput = z.strictObject({
  handle: plainText(1, 64),
  password: z.string().min(1).max(256),
});
export type LoginInput = z.infer<typeof LoginInput>;

export const RoleChangeInput = z.strictObject({ role: Role });

export const UserId = z.uuid();

export interface User {
  id: string;
  handle: string;
  displayName: string;
  role: Role;
  createdAt: string;
}

export interface AuthResult {
  user: User;
  token: string;
}
