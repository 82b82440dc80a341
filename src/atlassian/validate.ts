// Checks responses against the schemas in types.ts, so a shape surprise fails loudly at the edge
// as an AtlassianError of kind 'invalid' instead of deep inside sync.
import type { z } from 'zod';
import type { EndpointId } from './endpoints.ts';
import { AtlassianError } from './errors.ts';
import type { Page } from './paginate.ts';

export function parseBody<S extends z.ZodType>(schema: S, body: unknown, endpoint: EndpointId): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape';
  throw new AtlassianError(`${endpoint} returned an unexpected response shape at ${where}`, {
    kind: 'invalid',
    endpoint,
    retryable: false,
  });
}

/** Validates each page's items and passes everything else (cursor, resume token) through. */
export async function* typedPages<S extends z.ZodType>(
  pages: AsyncIterable<Page<unknown>>,
  schema: S,
  endpoint: EndpointId,
): AsyncGenerator<Page<z.infer<S>>> {
  for await (const page of pages) {
    yield { ...page, items: page.items.map((item) => parseBody(schema, item, endpoint)) };
  }
}
