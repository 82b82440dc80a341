// What an admin types to connect a site and organization, validated before anything is called.
import { z } from 'zod';

const url = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} is required`)
    .refine((text) => {
      try {
        const parsed = new URL(text);
        return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopback(parsed.hostname));
      } catch {
        return false;
      }
    }, `${what} must be an https:// URL (http:// is allowed only for 127.0.0.1 or localhost)`)
    .transform((text) => text.replace(/\/+$/, ''));

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

export const integrationInputSchema = z
  .object({
    label: z.string().trim().min(1, 'label is required').max(100, 'label is at most 100 characters'),
    siteUrl: url('site URL'),
    email: z.email('email must be an email address').trim(),
    apiToken: z.string().trim().min(1, 'API token is required'),
    useGateway: z.boolean().default(false),
    gatewayUrl: url('gateway URL').optional(),
    orgId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,128}$/, 'organization ID looks wrong: copy it from the admin.atlassian.com URL')
      .optional(),
    orgApiKey: z.string().trim().min(1).optional(),
    adminApiUrl: url('admin API URL').optional(),
    orgKeyExpiresAt: z.iso.date('org key expiry must be a date (YYYY-MM-DD)').optional(),
  })
  .refine((input) => (input.orgId === undefined) === (input.orgApiKey === undefined), {
    message: 'organization ID and organization API key go together: give both or neither',
  });

export type IntegrationInputValues = z.input<typeof integrationInputSchema>;
export type ValidIntegrationInput = z.output<typeof integrationInputSchema>;

export class InvalidInputError extends Error {
  readonly code = 'invalid_input';
}

export function parseIntegrationInput(input: IntegrationInputValues): ValidIntegrationInput {
  const result = integrationInputSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidInputError(result.error.issues.map((issue) => issue.message).join('; '));
  }
  return result.data;
}
