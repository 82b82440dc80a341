// Validates simulator traffic against Atlassian's own OpenAPI documents with ajv: the schema for a
// path, method and status is looked up in the spec (through `$ref`s to shared responses) and
// compiled on first use, so the 2.4 MB Jira spec costs only the schemas the tests touch.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const specsDir = path.resolve(repoRoot, '..', 'shared', 'specs');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface SpecSource {
  /** ajv schema id, e.g. `org`. */
  id: string;
  file: string;
  /** Prefix of real request paths that the spec's `servers` URL carries (`/admin` for the org API). */
  basePath: string;
  /** Corrections to spec bugs, each listed with its reason in ./overrides.ts. */
  patch?: (spec: JsonObject) => void;
}

export type Check =
  | { outcome: 'valid' }
  | { outcome: 'invalid'; errors: string[] }
  | { outcome: 'no-schema'; specPath: string }
  | { outcome: 'undocumented'; specPath: string | null };

interface LoadedSpec {
  source: SpecSource;
  spec: JsonObject;
  /** Spec path templates with their matchers, literal paths first. */
  routes: { template: string; pattern: RegExp; params: number }[];
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OpenAPI 3.0 `nullable` with an `enum` must also admit null; ajv only widens `type`. */
function widenNullableEnums(node: Json): void {
  if (Array.isArray(node)) {
    for (const item of node) widenNullableEnums(item);
    return;
  }
  if (!isObject(node)) return;
  const values = node.enum;
  if (node.nullable === true && Array.isArray(values) && !values.includes(null)) values.push(null);
  // ajv implements `nullable` only beside `type`; elsewhere (anyOf, $ref) say it with a null branch.
  if (node.nullable === true && node.type === undefined) {
    delete node.nullable;
    if (Array.isArray(node.anyOf)) node.anyOf.push({ type: 'null' });
  }
  for (const value of Object.values(node)) widenNullableEnums(value);
}

function pointer(segments: string[]): string {
  return segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
}

function templateToPattern(template: string): RegExp {
  const escaped = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${escaped}$`);
}

export class SpecValidator {
  private readonly ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    validateFormats: true,
  });
  private readonly specs: LoadedSpec[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(sources: readonly SpecSource[]) {
    addFormats(this.ajv);
    for (const name of ['int32', 'int64', 'double', 'float', 'binary', 'byte', 'int', 'url'])
      this.ajv.addFormat(name, true);
    for (const source of sources) {
      const spec = JSON.parse(readFileSync(path.join(specsDir, source.file), 'utf8')) as JsonObject;
      source.patch?.(spec);
      widenNullableEnums(spec);
      this.ajv.addSchema(spec, source.id);
      const paths = isObject(spec.paths) ? Object.keys(spec.paths) : [];
      const routes = paths
        .map((template) => ({
          template,
          pattern: templateToPattern(template),
          params: (template.match(/\{/g) ?? []).length,
        }))
        .sort((a, b) => a.params - b.params);
      this.specs.push({ source, spec, routes });
    }
  }

  /** The spec and path template a real request path falls under. */
  match(method: string, requestPath: string): { spec: LoadedSpec; template: string } | null {
    const pathOnly = requestPath.split('?')[0] ?? requestPath;
    for (const loaded of this.specs) {
      if (!pathOnly.startsWith(loaded.source.basePath)) continue;
      const local = pathOnly.slice(loaded.source.basePath.length);
      const paths = loaded.spec.paths as JsonObject;
      const route = loaded.routes.find(
        (r) => r.pattern.test(local) && isObject((paths[r.template] as JsonObject)[method.toLowerCase()]),
      );
      if (route) return { spec: loaded, template: route.template };
    }
    return null;
  }

  checkResponse(method: string, requestPath: string, status: number, body: unknown): Check {
    const found = this.match(method, requestPath);
    if (!found) return { outcome: 'undocumented', specPath: null };
    const { spec, template } = found;
    const operation = ((spec.spec.paths as JsonObject)[template] as JsonObject)[
      method.toLowerCase()
    ] as JsonObject;
    const responses = operation.responses as JsonObject;
    const key = String(status) in responses ? String(status) : 'default' in responses ? 'default' : null;
    const specPath = `${method.toUpperCase()} ${template} ${status}`;
    if (key === null) return { outcome: 'undocumented', specPath };
    let segments = ['paths', template, method.toLowerCase(), 'responses', key];
    let response = responses[key] as JsonObject;
    const ref = response.$ref;
    if (typeof ref === 'string') {
      segments = ref
        .slice(2)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      response = segments.reduce<Json>((node, s) => (node as JsonObject)[s] ?? null, spec.spec) as JsonObject;
    }
    const content = response.content;
    const json = isObject(content) ? (content['application/json'] ?? content['*/*']) : undefined;
    if (!isObject(json) || !isObject(json.schema)) {
      // A status documented with no content conforms when nothing is sent.
      return body === undefined ? { outcome: 'valid' } : { outcome: 'no-schema', specPath };
    }
    return this.run(
      spec.source.id,
      [
        ...segments,
        'content',
        isObject(content) && 'application/json' in content ? 'application/json' : '*/*',
        'schema',
      ],
      body,
    );
  }

  checkRequest(method: string, requestPath: string, body: unknown): Check {
    const found = this.match(method, requestPath);
    if (!found) return { outcome: 'undocumented', specPath: null };
    const { spec, template } = found;
    const operation = ((spec.spec.paths as JsonObject)[template] as JsonObject)[
      method.toLowerCase()
    ] as JsonObject;
    const requestBody = operation.requestBody;
    const specPath = `${method.toUpperCase()} ${template} request`;
    if (!isObject(requestBody) || !isObject(requestBody.content)) return { outcome: 'no-schema', specPath };
    const json = requestBody.content['application/json'];
    if (!isObject(json) || !isObject(json.schema)) return { outcome: 'no-schema', specPath };
    return this.run(
      spec.source.id,
      ['paths', template, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema'],
      body,
    );
  }

  /** Validate against a named schema, e.g. `org#/components/schemas/Errors` (for overrides). */
  checkSchema(ref: string, body: unknown): Check {
    const [id = '', fragment = ''] = ref.split('#/');
    return this.run(id, fragment.split('/'), body);
  }

  private run(id: string, segments: string[], body: unknown): Check {
    const ref = `${id}#/${pointer(segments)}`;
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    if (validate(body)) return { outcome: 'valid' };
    const errors = (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
    return { outcome: 'invalid', errors };
  }
}
