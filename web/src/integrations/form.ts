// The setup form's values and how they become the API's integration input and field errors.
import { ApiError } from '../api/client.ts';
import type { ConnectionReport, IntegrationInput } from '../api/types.ts';

export interface IntegrationFormValues {
  label: string;
  siteUrl: string;
  email: string;
  apiToken: string;
  orgId: string;
  orgApiKey: string;
  orgKeyExpiresAt: string;
  adminApiUrl: string;
  useGateway: boolean;
  gatewayUrl: string;
}

export const EMPTY_FORM: IntegrationFormValues = {
  label: '',
  siteUrl: '',
  email: '',
  apiToken: '',
  orgId: '',
  orgApiKey: '',
  orgKeyExpiresAt: '',
  adminApiUrl: '',
  useGateway: false,
  gatewayUrl: '',
};

type Field = keyof IntegrationFormValues;
export type FieldErrors = Partial<Record<Field, string>>;

const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());

export function toIntegrationInput(values: IntegrationFormValues): IntegrationInput {
  const input: IntegrationInput = {
    label: values.label.trim(),
    siteUrl: values.siteUrl.trim(),
    email: values.email.trim(),
    apiToken: values.apiToken.trim(),
  };
  const optionals = {
    orgId: optional(values.orgId),
    orgApiKey: optional(values.orgApiKey),
    orgKeyExpiresAt: optional(values.orgKeyExpiresAt),
    adminApiUrl: optional(values.adminApiUrl),
    gatewayUrl: values.useGateway ? optional(values.gatewayUrl) : undefined,
  };
  for (const [key, value] of Object.entries(optionals)) {
    if (value !== undefined) Object.assign(input, { [key]: value });
  }
  if (values.useGateway) input.useGateway = true;
  return input;
}

interface Issue {
  path?: unknown;
  message?: unknown;
}

function issuesOf(details: unknown): Issue[] {
  if (Array.isArray(details)) return details as Issue[];
  if (typeof details === 'object' && details !== null) {
    const nested = (details as { issues?: unknown }).issues;
    if (Array.isArray(nested)) return nested as Issue[];
  }
  return [];
}

/** zod issues from a 400 → messages under the fields they name; the rest go to `form`. */
export function fieldErrorsOf(error: unknown): { fields: FieldErrors; form: string[] } {
  const fields: FieldErrors = {};
  const form: string[] = [];
  if (!(error instanceof ApiError)) return { fields, form };
  if (error.code === 'integration_label_taken') {
    fields.label = error.message;
    return { fields, form };
  }
  for (const issue of issuesOf(error.details)) {
    const message = typeof issue.message === 'string' ? issue.message : 'invalid';
    const first = Array.isArray(issue.path) ? (issue.path[0] as unknown) : undefined;
    if (typeof first === 'string' && first in EMPTY_FORM) fields[first as Field] = message;
    else form.push(message);
  }
  return { fields, form };
}

/** A 422 `connection_failed` carries the test report: show it like a test result. */
export function reportOf(error: unknown): ConnectionReport | null {
  if (!(error instanceof ApiError) || error.code !== 'connection_failed') return null;
  const report = (error.details as { report?: ConnectionReport } | undefined)?.report;
  return report && Array.isArray(report.checks) ? report : null;
}
