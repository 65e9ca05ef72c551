// The HTTP surface: Yoga serving /graphql (with GraphiQL), /healthz and /readyz.
import { randomUUID } from 'node:crypto';
import type { Context } from '@maths-hubs/schema';
import { schema } from '@maths-hubs/schema';
import { createYoga, useReadinessCheck } from 'graphql-yoga';
import type { Database } from './db.ts';
import type { Logger } from './logger.ts';

export const GRAPHIQL_DEFAULT_QUERY = `# Welcome to the Maths Hubs API.
# Every type and field is described: open the Docs panel (top left) to explore.
# Press the ▶ button to run this query.

query Tour {
  regions {
    code
    name
    hubs { code name }
  }
  hub(code: "WM1") {
    name
    region { name }
    areasServed
    leadOrganisations { name town academicYear }
  }
  hubs(first: 5, filter: { regionCode: "NW" }) {
    totalCount
    nodes { code name }
    pageInfo { hasNextPage endCursor }
  }
  programme(slug: "secondary-tfm-development") {
    name
    years { academicYear projectCode status }
  }
  cohort(code: "WM1-SEC-TFM-DEV-2024-25") {
    name
    academicYear
    status
    areasServed
  }
}
`;

export interface AppOptions {
  db: Database;
  logger: Logger;
}

export function createApp({ db, logger }: AppOptions) {
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    graphiql: { title: 'Maths Hubs API', defaultQuery: GRAPHIQL_DEFAULT_QUERY },
    logging: {
      debug: (...args) => logger.debug(args.length === 1 ? args[0] : args),
      info: (...args) => logger.info(args.length === 1 ? args[0] : args),
      warn: (...args) => logger.warn(args.length === 1 ? args[0] : args),
      error: (...args) => logger.error(args.length === 1 ? args[0] : args),
    },
    context: ({ request }): Context => ({
      prisma: db.prisma,
      requestId: request.headers.get('x-request-id') ?? randomUUID(),
    }),
    plugins: [
      useReadinessCheck({
        endpoint: '/readyz',
        async check({ fetchAPI }) {
          const ready = await db.isReady();
          return new fetchAPI.Response(JSON.stringify(ready), {
            status: ready.ok ? 200 : 503,
            headers: { 'content-type': 'application/json' },
          });
        },
      }),
    ],
  });
}
