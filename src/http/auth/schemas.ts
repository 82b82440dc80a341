// Zod schemas of the auth routes: validation, response shaping (unknown keys such as a password
// hash are stripped by the serializer) and the OpenAPI document.
import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from './permissions.ts';

/**
 * Spread into each auth route so its zod schemas work whatever compilers the root instance uses.
 * Fastify types a route-level compiler by that route's whole schema object; these compilers only
 * ever receive the zod schemas below, hence the widening casts.
 */
export const zodCompilers = {
  validatorCompiler: validatorCompiler as FastifySchemaCompiler<unknown>,
  serializerCompiler: serializerCompiler as FastifySerializerCompiler<unknown>,
};

export const roleSchema = z.enum(ROLES);

/** The contract's `user`. */
export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: roleSchema,
  createdAt: z.string(),
});

/** What an admin sees when managing users. */
export const managedUserSchema = userSchema.extend({ disabled: z.boolean(), updatedAt: z.string() });

export const sessionInfoSchema = z.object({
  user: userSchema,
  /** Send back as `x-csrf-token` on unsafe requests; null when signed in with an API token. */
  csrfToken: z.string().nullable(),
});

export const loginBodySchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

const passwordSchema = z.string().min(12, 'at least 12 characters').max(1024);
const displayNameSchema = z.string().trim().min(1).max(200);

export const newUserBodySchema = z.object({
  email: z
    .string()
    .trim()
    .max(320)
    .regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address'),
  displayName: displayNameSchema,
  role: roleSchema,
  password: passwordSchema,
});

export const userPatchBodySchema = z
  .object({
    displayName: displayNameSchema.optional(),
    role: roleSchema.optional(),
    password: passwordSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');

export const idParamsSchema = z.object({ id: z.string().min(1).max(100) });

export const apiTokenSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export const newTokenBodySchema = z.object({ name: z.string().trim().min(1).max(100) });

export const createdTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  /** Shown once; only its hash is stored. */
  token: z.string(),
});

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
