// registerAuth: installs cookies, the permission guard and the auth routes on the ROOT instance
// (a plain function, not an encapsulated plugin, so its hooks cover every route).
//
// Call it before registering any other route: the onRoute check only sees routes added after it.
// The root must already use fastify-type-provider-zod's validatorCompiler and serializerCompiler,
// and its error handler should map errors with `statusCode` + `code` (+ optional `headers`) to the
// contract's `{error: {code, message}}`.
import fastifyCookie from '@fastify/cookie';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyTypeProvider,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { App } from '../../app.ts';
import { enforcePermissions, requireDeclaredPermission } from './guard.ts';
import { registerSessionRoutes } from './routes-session.ts';
import { registerTokenRoutes } from './routes-tokens.ts';
import { registerUserRoutes } from './routes-users.ts';
import './types.ts';

export interface AuthDeps {
  app: App;
  /** Route prefixes whose routes (Swagger UI's) count as 'public' without declaring it. Default ['/docs']. */
  publicPrefixes?: readonly string[];
}

/** Any root instance on Node's http server, whatever its logger (e.g. pino's Logger) and type provider. */
export type RootInstance<
  Logger extends FastifyBaseLogger,
  Provider extends FastifyTypeProvider,
> = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  Logger,
  Provider
>;

export async function registerAuth<Logger extends FastifyBaseLogger, Provider extends FastifyTypeProvider>(
  root: RootInstance<Logger, Provider>,
  deps: AuthDeps,
): Promise<void> {
  // The auth layer uses only the base logger interface and its own zod type provider.
  const server = root as unknown as FastifyInstance;
  if (!server.hasDecorator('parseCookie')) await server.register(fastifyCookie);
  server.decorateRequest('user', null);
  server.decorateRequest('auth', null);
  server.addHook('onRoute', requireDeclaredPermission(deps.publicPrefixes ?? ['/docs']));
  server.addHook('onRequest', enforcePermissions(deps.app));
  registerSessionRoutes(server, deps.app);
  registerUserRoutes(server, deps.app);
  registerTokenRoutes(server, deps.app);
}
