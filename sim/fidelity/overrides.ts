// Where Atlassian's published specs are wrong or silent, and what the fidelity test does instead.
// Every departure from "validate against the spec as published" is listed here with its reason;
// the test fails on any response it cannot validate that is not in this file.

import type { SpecSource } from './openapi.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function at(spec: JsonObject, pointer: string): JsonObject {
  let node: Json = spec;
  for (const segment of pointer.split('/').filter(Boolean)) {
    node = (node as JsonObject)[segment.replace(/~1/g, '/')] ?? null;
  }
  if (node === null || typeof node !== 'object' || Array.isArray(node))
    throw new Error(`spec has no object at ${pointer}`);
  return node;
}

/*
 * Spec corrections (applied before validation):
 *
 * | Spec | Where                                                        | Correction            | Why                                                                                   |
 * |------|--------------------------------------------------------------|-----------------------|---------------------------------------------------------------------------------------|
 * | org  | MultiDirectoryGroupDetails.data.counts                       | drop `type: GroupCounts` | `type` holds a schema name beside its `$ref`; not a JSON type, so no validator accepts it |
 * | org  | Product.key, UserProductLastActive.key                       | add `jira-product-discovery` to the enum | the enum predates Jira Product Discovery, which admin.atlassian.com lists as a product |
 * | um   | AccountId.pattern (used by every account id)                 | drop the trailing `\n`, anchor | the YAML block scalar left a newline in the regex, so no real account id matches it     |
 */
export const SPEC_SOURCES: readonly SpecSource[] = [
  {
    id: 'org',
    file: 'atlassian-admin-organization.openapi.json',
    basePath: '/admin',
    patch: (spec) => {
      delete at(spec, '/components/schemas/MultiDirectoryGroupDetails/properties/data/properties/counts')
        .type;
      for (const schema of ['Product', 'UserProductLastActive']) {
        const key = at(spec, `/components/schemas/${schema}/properties/key`);
        if (Array.isArray(key.enum)) key.enum.push('jira-product-discovery');
      }
    },
  },
  {
    id: 'um',
    file: 'atlassian-admin-user-management.openapi.json',
    basePath: '',
    patch: (spec) => {
      at(spec, '/components/schemas/AccountId').pattern = '^[a-zA-Z0-9_|:-]{1,128}$';
    },
  },
  { id: 'jira', file: 'jira-platform-v3.openapi.json', basePath: '' },
];

export interface ResponseOverride {
  /** `METHOD /spec/path/template STATUS` as SpecValidator reports it; `*` matches anything. */
  pattern: string;
  /** The schema the body is validated against instead, as `specId#/json/pointer`. */
  substitute: string;
  reason: string;
}

/*
 * Responses the spec documents without a body schema, or does not document at all. The body is
 * still validated, against the substitute schema named here; anything else fails the test.
 */
export const RESPONSE_OVERRIDES: readonly ResponseOverride[] = [
  {
    pattern: '* /rest/api/3/* 4*',
    substitute: 'jira#/components/schemas/ErrorCollection',
    reason:
      'Jira documents most 4xx (401, 403, 404, many 400) with a description only; the body is its ErrorCollection',
  },
  {
    pattern: '* /v2/orgs/{orgId}/directories/* 4*',
    substitute: 'org#/components/schemas/Errors',
    reason:
      'v2 directory writes document their errors with a description only; the body is `Errors`, as on v2 reads',
  },
  {
    pattern: 'POST /v2/orgs/{orgId}/directories/{directoryId}/groups 201',
    substitute: 'org#/components/schemas/MultiDirectoryGroup',
    reason:
      'documented without a body; the sim returns the new group so a client learns its id (v1 create returned `groupId`)',
  },
  {
    pattern: 'POST /users/{account_id}/manage/lifecycle/disable 400',
    substitute: 'um#/components/schemas/Response.BadRequest.BodyParseFailure',
    reason:
      "the request body is required but no 400 is documented; the sim answers the spec's body-parse-failure shape",
  },
];

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

export function overrideFor(specPath: string | null): ResponseOverride | undefined {
  if (specPath === null) return undefined;
  return RESPONSE_OVERRIDES.find((o) => globToRegExp(o.pattern).test(specPath));
}
