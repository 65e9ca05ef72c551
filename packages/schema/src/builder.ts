// The one SchemaBuilder: its plugins, scalars, auth scopes and defaults. Domain types live in ./types/.
import type PrismaTypes from '@maths-hubs/db/pothos-types';
import { getDatamodel } from '@maths-hubs/db/pothos-types';
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import type { Context } from './context.ts';
import { AcademicYearScalar } from './scalars.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    AcademicYear: { Input: string; Output: string };
    Date: { Input: Date; Output: Date | string };
    DateTime: { Input: Date; Output: Date | string };
  };
  AuthScopes: {
    /** Anyone, signed in or not. */
    public: boolean;
    /** A national admin. */
    nationalAdmin: boolean;
    /** Analysts and national admins: aggregates across every hub. */
    analyst: boolean;
    /** Staff of any hub (their own hub's data only: checked per object). */
    hubStaff: boolean;
    /** Staff of this particular hub, or a national admin. */
    hub: number | null;
  };
}>({
  // Scope auth first, so that it wraps every other plugin's resolvers.
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      public: true,
      nationalAdmin: ctx.viewer.role === 'NATIONAL_ADMIN',
      analyst: ctx.viewer.role === 'ANALYST' || ctx.viewer.role === 'NATIONAL_ADMIN',
      hubStaff: ctx.viewer.role === 'HUB_STAFF',
      hub: (hubId) =>
        ctx.viewer.role === 'NATIONAL_ADMIN' ||
        (ctx.viewer.role === 'HUB_STAFF' && hubId !== null && ctx.viewer.hubId === hubId),
    }),
    unauthorizedError: (_parent, ctx, info) =>
      new GraphQLError(
        ctx.viewer.role === 'ANONYMOUS'
          ? `${info.parentType.name}.${info.fieldName} needs an API key: send "Authorization: Bearer <key>".`
          : `Your API key (${ctx.viewer.role}) may not read ${info.parentType.name}.${info.fieldName} here.`,
        { extensions: { code: ctx.viewer.role === 'ANONYMOUS' ? 'UNAUTHENTICATED' : 'FORBIDDEN' } },
      ),
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    // The Prisma schema's /// comments become GraphQL descriptions unless a field sets its own.
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    defaultConnectionSize: 20,
    maxConnectionSize: 100,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // `nodes` beside `edges`: most clients want the objects, not the edges.
    nodesOnConnection: true,
    nodeQueryOptions: { description: 'Fetches any object by its global ID; null if none is visible to you.' },
    nodesQueryOptions: {
      description: 'Fetches several objects by their global IDs, in order; null for unknown IDs.',
    },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list.' },
    nodeTypeOptions: { description: 'An object with a global ID, fetchable with `node(id:)`.' },
  },
});

builder.addScalarType('AcademicYear', AcademicYearScalar);
builder.addScalarType('Date', DateResolver, {
  description: 'A calendar date in ISO 8601 form, e.g. "2024-06-28".',
});
builder.addScalarType('DateTime', DateTimeResolver, {
  description: 'A moment in time in ISO 8601 form with an offset, e.g. "2024-09-18T08:30:00.000Z".',
});

builder.queryType({ description: 'The root of every read: the Maths Hubs catalogue and its data.' });
builder.mutationType({
  description: 'The root of every change. Bad input comes back as `userErrors`, never as an exception.',
});
