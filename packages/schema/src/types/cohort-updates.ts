// Live cohort places: the `cohortUpdated` subscription (GraphQL over Server-Sent Events), fed by
// the mutations that change a cohort's places, status or dates. Events carry ids only; the cohort
// is read afresh for each subscriber, with what it selected, as a query would read it.
import { filter, pipe } from '@graphql-yoga/subscription';
import { GraphQLError } from 'graphql';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';

/** Tells subscribers about a change to this cohort once the request's transaction has committed. */
export function announceCohortChange(
  ctx: Context,
  cohort: { id: number; code: string; hubId: number | null },
) {
  ctx.live.announce({ id: cohort.id, code: cohort.code, hubId: cohort.hubId });
}

builder.subscriptionType({
  description:
    'Live updates, served as GraphQL over Server-Sent Events at /graphql (Accept: text/event-stream).',
});

builder.subscriptionField('cohortUpdated', (t) =>
  t.prismaField({
    type: 'Cohort',
    description:
      'The cohort after each committed change to its places, status or dates (a decision, a withdrawal, an update), on any instance. Give `code` for one cohort or `hubCode` for every cohort of a hub. Anonymous for public cohorts; its fields are authorised as in queries.',
    args: {
      code: t.arg.string({ description: 'One cohort, e.g. "WM1-SEC-TFM-DEV-2024-25".' }),
      hubCode: t.arg.string({ description: 'Every cohort of this hub, e.g. "WM1".' }),
    },
    subscribe: async (_root, args, ctx) => {
      const code = args.code?.trim().toUpperCase() || null;
      const hubCode = args.hubCode?.trim().toUpperCase() || null;
      if (!code && !hubCode)
        throw new GraphQLError('Give `code` (one cohort) or `hubCode` (a hub’s cohorts) to follow.', {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      const hub = hubCode
        ? await ctx.prisma.hub.findUnique({ where: { code: hubCode }, select: { id: true } })
        : null;
      if (hubCode && !hub)
        throw new GraphQLError(`There is no hub "${args.hubCode}".`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      // A repeater: a client that goes away closes the stream at once, event or not.
      return pipe(
        await ctx.live.cohortChanges(),
        filter(
          (change) => (code === null || change.code === code) && (hub === null || change.hubId === hub.id),
        ),
      );
    },
    // The change is only a notice: each subscriber reads the cohort as it is now.
    resolve: (query, change, _args, ctx) =>
      ctx.prisma.cohort.findUniqueOrThrow({ ...query, where: { id: (change as { id: number }).id } }),
  }),
);
