// Readiness in one place: the database (reachable, every migration applied and unchanged) and the
// shared state (Redis, or per-process when it is down). `/readyz` answers 503 only for the
// database: a Redis outage degrades every instance alike, so taking them out of a load balancer
// would not help (issue 7).

import type { Sql } from '@maths-hubs/db/sql';
import { type Plugin, useReadinessCheck } from 'graphql-yoga';
import { migrationStatus } from './migrate.ts';
import type { SharedState } from './shared-state.ts';

export async function databaseReadiness(sql: Sql): Promise<{ ok: boolean; reason?: string }> {
  try {
    const status = await migrationStatus(sql);
    if (status.modified.length > 0) {
      return { ok: false, reason: `migrations changed after being applied: ${status.modified.join(', ')}` };
    }
    if (status.pending.length > 0) {
      return { ok: false, reason: `migrations pending: ${status.pending.join(', ')}` };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `database unreachable: ${(error as Error).message}` };
  }
}

/** `GET /readyz`: 200 when the database is ready (saying whether shared state is degraded), else 503. */
export function useReadiness(sql: Sql, sharedState: SharedState): Plugin {
  return useReadinessCheck({
    endpoint: '/readyz',
    async check({ fetchAPI }) {
      const ready = await databaseReadiness(sql);
      const shared = sharedState.status();
      const body = {
        ...ready,
        sharedState: shared.healthy ? shared.store : `${shared.store} (degraded: per-process)`,
      };
      return new fetchAPI.Response(JSON.stringify(body), {
        status: ready.ok ? 200 : 503,
        headers: {
          'content-type': 'application/json',
          ...(ready.ok ? {} : { 'retry-after': '5' }),
        },
      });
    },
  });
}
