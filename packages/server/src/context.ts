// Builds each request's context: the viewer from the API key, fresh loaders, the clock.
import { timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '@maths-hubs/db/client';
import {
  ANONYMOUS,
  type Attempts,
  type Context,
  createLoaders,
  hashApiKeySecret,
  type LiveEvents,
  type StandardViews,
  type StatsProtection,
  type Viewer,
} from '@maths-hubs/schema';
import { GraphQLError } from 'graphql';

export interface ContextDeps {
  prisma: PrismaClient;
  adminApiKey: string | undefined;
  clock: () => Date;
  suppressionThreshold: number;
  /** How statistics are protected below national admin (default: the cell key method). */
  statsProtection?: StatsProtection | undefined;
  /** The standard statistics views kept in memory (with the response cache). */
  statsViews?: StandardViews | undefined;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="maths-hubs-api"' } },
    },
  });
}

function sameSecret(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(hashApiKeySecret(a)), Buffer.from(hashApiKeySecret(b))];
  return timingSafeEqual(x, y);
}

/** The caller, from an `Authorization` header; throws a 401 error for a bad or unknown key. */
export async function resolveViewer(authorization: string | null, deps: ContextDeps): Promise<Viewer> {
  if (authorization === null || authorization.trim() === '') return ANONYMOUS;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <api key>".');
  const secret = match[1]!;
  if (deps.adminApiKey && sameSecret(secret, deps.adminApiKey)) {
    return { role: 'NATIONAL_ADMIN', hubId: null, apiKeyId: null, label: 'ADMIN_API_KEY' };
  }
  const key = await deps.prisma.apiKey.findUnique({ where: { secretHash: hashApiKeySecret(secret) } });
  if (!key)
    throw unauthenticated(
      'This API key is not known. Check it was copied whole, or ask a national admin for one.',
    );
  if (key.revokedAt) {
    throw unauthenticated(
      `This API key was revoked on ${key.revokedAt.toISOString().slice(0, 10)}. Ask a national admin for a new one.`,
    );
  }
  return { role: key.role, hubId: key.hubId, apiKeyId: key.id, label: key.label };
}

/** The request's context; the viewer was resolved before parsing (plugins/caller.ts). */
export function buildContext(
  requestId: string,
  viewer: Viewer,
  deps: ContextDeps,
  live: LiveEvents,
  attempts?: Attempts,
): Context {
  return {
    prisma: deps.prisma,
    requestId,
    viewer,
    loaders: createLoaders(deps.prisma),
    now: deps.clock(),
    suppressionThreshold: deps.suppressionThreshold,
    statsProtection: deps.statsProtection,
    grants: new Set(),
    refusals: [],
    live,
    attempts,
    changes: [],
    statsViews: deps.statsViews,
  };
}
