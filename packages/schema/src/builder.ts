// The one SchemaBuilder: its plugins, scalars and defaults. Domain types live in ./types/.
import type PrismaTypes from '@maths-hubs/db/pothos-types';
import { getDatamodel } from '@maths-hubs/db/pothos-types';
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from './context.ts';
import { AcademicYearScalar } from './scalars.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    AcademicYear: { Input: string; Output: string };
  };
}>({
  plugins: [PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
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
    nodeQueryOptions: { description: 'Fetches any object by its global ID.' },
    nodesQueryOptions: {
      description: 'Fetches several objects by their global IDs, in order; null for unknown IDs.',
    },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list.' },
  },
});

builder.addScalarType('AcademicYear', AcademicYearScalar);

builder.queryType({ description: 'The root of every read: the Maths Hubs catalogue and its data.' });
