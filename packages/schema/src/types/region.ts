// Region: one of the nine regions of England that group the hubs.
import { builder } from '../builder.ts';

export const Region = builder.prismaNode('Region', {
  id: { field: 'id' },
  nullable: true, // node(id:) answers null for an unknown id
  description: 'One of the nine regions of England that group the Maths Hubs.',
  fields: (t) => ({
    code: t.exposeString('code', {
      description: 'Two-letter region code: EE, EM, LO, NE, NW, SE, SW, WM or YH.',
    }),
    name: t.exposeString('name', { description: 'The region’s name, e.g. West Midlands.' }),
    hubs: t.relation('hubs', {
      description: 'The hubs of this region, in their numbered order.',
      query: { orderBy: { numberInRegion: 'asc' } },
    }),
  }),
});

builder.queryFields((t) => ({
  regions: t.prismaField({
    type: [Region],
    description: 'All nine regions, in the national list’s order.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.region.findMany({ ...query, orderBy: { sortOrder: 'asc' } }),
  }),
  region: t.prismaField({
    type: Region,
    nullable: true,
    description: 'A region by its two-letter code (case-insensitive); null if there is none.',
    args: { code: t.arg.string({ required: true, description: 'Region code, e.g. "WM".' }) },
    resolve: (query, _root, { code }, ctx) =>
      ctx.prisma.region.findUnique({ ...query, where: { code: code.trim().toUpperCase() } }),
  }),
}));
