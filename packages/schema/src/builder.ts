// The one SchemaBuilder: its plugins, scalars, auth scopes and defaults. Domain types live in ./types/.
import type PrismaTypes from '@maths-hubs/db/pothos-types';
import { getDatamodel } from '@maths-hubs/db/pothos-types';
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import type { Context } from './context.ts';
import { fieldCost } from './cost.ts';
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
  plugins: [ScopeAuthPlugin, ComplexityPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  // Costs are attached to every field here; the server checks them as a validation rule, before
  // anything runs (packages/server/src/plugins/limits.ts), so the plugin's own run-time check is off.
  complexity: { fieldComplexity: fieldCost, disabled: true },
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
    // Every node's id is an int4 column: a number that cannot be one is the caller's mistake,
    // refused here rather than by the database (which would answer with an internal error).
    decodeGlobalID: (globalID) => {
      const decoded = decodeGlobalID(globalID);
      if (!/^\d{1,10}$/.test(decoded.id) || Number(decoded.id) > 2_147_483_647) {
        throw new GraphQLError(
          `"${globalID.slice(0, 100)}" is not an ID this API gives out. Pass an ID as returned in an object's \`id\`.`,
          { extensions: { code: 'BAD_USER_INPUT' } },
        );
      }
      return decoded;
    },
    cursorType: 'String',
    // `nodes` beside `edges`: most clients want the objects, not the edges.
    nodesOnConnection: { description: 'The items of this page.' },
    nodeQueryOptions: {
      description: 'Fetches any object by its global ID; null if there is none.',
      args: { id: { description: 'A global ID, as returned in any object’s `id`.' } },
    },
    nodesQueryOptions: {
      description: 'Fetches several objects by their global IDs, in order; null for unknown IDs.',
      args: { ids: { description: 'Global IDs, as returned in objects’ `id`.' } },
    },
    nodeTypeOptions: { description: 'An object with a global ID, fetchable with `node(id:)`.' },
    idFieldOptions: { description: 'The object’s global ID: opaque and stable; use it with `node(id:)`.' },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list.' },
    hasNextPageFieldOptions: { description: 'True when there are more items after this page.' },
    hasPreviousPageFieldOptions: { description: 'True when there are items before this page.' },
    startCursorFieldOptions: { description: 'The cursor of the first item in this page.' },
    endCursorFieldOptions: {
      description: 'The cursor of the last item: pass it as `after` for the next page.',
    },
    edgesFieldOptions: { description: 'The items of this page, each with its cursor.' },
    pageInfoFieldOptions: { description: 'How to fetch the neighbouring pages.' },
    cursorFieldOptions: { description: 'An opaque cursor for this item: pass it as `after` or `before`.' },
    nodeFieldOptions: { description: 'The item.' },
    firstArgOptions: { description: 'How many items to return from the start (default 20, at most 100).' },
    afterArgOptions: { description: 'Return items after this cursor (from `pageInfo.endCursor`).' },
    lastArgOptions: { description: 'How many items to return from the end (at most 100).' },
    beforeArgOptions: { description: 'Return items before this cursor (from `pageInfo.startCursor`).' },
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

/**
 * A named, described connection type with `totalCount`, shared by every field that pages through
 * the same type (API.md fixes names such as HubConnection).
 */
// biome-ignore lint/suspicious/noExplicitAny: the node type is any object ref of this builder
export function namedConnection(type: any, name: string, plural: string) {
  return builder.connectionObject(
    {
      type,
      name: `${name}Connection`,
      description: `A page of ${plural}, with the total across all pages.`,
      fields: (t) => ({
        totalCount: t.int({
          description: `How many ${plural} match, across all pages.`,
          resolve: (connection) => {
            const { totalCount } = connection as unknown as {
              totalCount: number | (() => number | Promise<number>);
            };
            return typeof totalCount === 'function' ? totalCount() : totalCount;
          },
        }),
      }),
    },
    { name: `${name}Edge`, description: `One of the ${plural} in a page, with its cursor.` },
  );
}

/** The builder's type parameters, for helpers that take Pothos's field builders. */
export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
