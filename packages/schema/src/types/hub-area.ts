// HubArea: a local authority a hub serves, keyed by the register's LA code. The school import
// gives each real school the hub of its LA; setHubArea changes one mapping and moves that LA's
// real schools at once (`pnpm db:import-hub-areas` does the same in bulk).
import type { HubArea as HubAreaRow } from '@maths-hubs/db/client';
import { MOVE_SCHOOLS_SQL } from '@maths-hubs/db/register/hub-areas';
import { z } from 'zod';
import { audit } from '../audit.ts';
import { builder } from '../builder.ts';
import { forbidden, payloadType, rejected } from '../mutations.ts';
import { invalid, notFound, parseInput } from '../rules/user-errors.ts';
import { Hub } from './hub.ts';

export const HubArea = builder.prismaObject('HubArea', {
  description:
    'A local authority a hub serves. Real schools in it (from the DfE register) belong to that hub; demo schools keep the hubs they were made with.',
  fields: (t) => ({
    localAuthorityCode: t.exposeString('localAuthorityCode', {
      description: 'The register’s three-digit LA code, e.g. "330".',
    }),
    localAuthority: t.exposeString('localAuthority', { description: 'The LA’s name, e.g. "Birmingham".' }),
    hub: t.relation('hub', { description: 'The hub that serves it.' }),
  }),
});

builder.prismaObjectField(Hub, 'localAuthorities', (t) =>
  t.relation('localAuthorities', {
    description: 'The local authorities it serves, by register code (see HubArea).',
    query: { orderBy: { localAuthority: 'asc' } },
  }),
);

builder.queryField('hubAreas', (t) =>
  t.prismaField({
    type: [HubArea],
    description: 'Every local authority a hub serves, by LA code. An LA not listed has no hub yet.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.hubArea.findMany({ ...query, orderBy: { localAuthorityCode: 'asc' } }),
  }),
);

const SetHubAreaInput = builder.inputType('SetHubAreaInput', {
  description: 'Which hub serves a local authority.',
  fields: (t) => ({
    localAuthorityCode: t.string({
      required: true,
      description: 'The register’s three-digit LA code, e.g. "330".',
    }),
    localAuthority: t.string({
      description: 'The LA’s name for display, e.g. "Birmingham"; needed when the LA is new here.',
    }),
    hubCode: t.string({
      description: 'The hub that serves it, e.g. "WM1". Leave out (or null) to say no hub serves it.',
    }),
  }),
});

const SetHubAreaPayload = payloadType<'hubArea', HubAreaRow, { schoolsMoved?: number }>(
  'SetHubAreaPayload',
  'The result of setHubArea.',
  'hubArea',
  { type: HubArea, description: 'The mapping as it now is; null when no hub serves the LA.' },
  (t) => ({
    schoolsMoved: t.int({
      description: 'Real schools of the LA whose hub changed.',
      resolve: (payload) => payload.schoolsMoved ?? 0,
    }),
  }),
);

const hubAreaInput = z.object({
  localAuthorityCode: z
    .string()
    .trim()
    .regex(/^\d{3}$/, 'A local authority code is three digits, as in the register, e.g. "330".'),
  localAuthority: z
    .string()
    .trim()
    .min(1, 'Give the LA’s name, e.g. "Birmingham", or leave it out.')
    .max(100, 'The LA’s name is longer than 100 characters.')
    .optional(),
  hubCode: z
    .string()
    .trim()
    .transform((code) => code.toUpperCase())
    .optional(),
});

builder.mutationField('setHubArea', (t) =>
  t.field({
    type: SetHubAreaPayload,
    description:
      'Says which hub serves a local authority (national admins only), and moves that LA’s real schools to it at once.',
    args: { input: t.arg({ type: SetHubAreaInput, required: true, description: 'The mapping.' }) },
    resolve: async (_root, { input }, ctx) => {
      if (ctx.viewer.role !== 'NATIONAL_ADMIN')
        return rejected([
          forbidden(ctx, 'Only a national admin may say which hub serves a local authority.'),
        ]);
      const checked = parseInput(hubAreaInput, {
        localAuthorityCode: input.localAuthorityCode,
        localAuthority: input.localAuthority ?? undefined,
        hubCode: input.hubCode ?? undefined,
      });
      if (!checked.value) return rejected(checked.errors);
      const { localAuthorityCode, localAuthority, hubCode } = checked.value;
      const hub = hubCode ? await ctx.prisma.hub.findUnique({ where: { code: hubCode } }) : null;
      if (hubCode && !hub) return rejected([notFound(['hubCode'], `There is no hub "${hubCode}".`)]);

      return ctx.prisma.$transaction(async (tx) => {
        const before = await tx.hubArea.findUnique({ where: { localAuthorityCode } });
        const name = localAuthority ?? before?.localAuthority;
        if (hub && !name)
          return rejected([
            invalid(
              ['localAuthority'],
              `LA ${localAuthorityCode} is new here: give its name, e.g. "Birmingham".`,
            ),
          ]);
        const hubArea = hub
          ? await tx.hubArea.upsert({
              where: { localAuthorityCode },
              create: { localAuthorityCode, localAuthority: name!, hubId: hub.id },
              update: { localAuthority: name!, hubId: hub.id, updatedAt: ctx.now },
            })
          : null;
        if (!hub && before) await tx.hubArea.delete({ where: { localAuthorityCode } });
        const moved = await tx.$queryRawUnsafe<{ id: number }[]>(MOVE_SCHOOLS_SQL, [localAuthorityCode]);
        await audit(
          tx,
          ctx,
          'setHubArea',
          'HubArea',
          localAuthorityCode,
          before && { localAuthority: before.localAuthority, hubId: before.hubId },
          hubArea && {
            localAuthority: hubArea.localAuthority,
            hubId: hubArea.hubId,
            schoolsMoved: moved.length,
          },
        );
        return { hubArea, schoolsMoved: moved.length, userErrors: [] };
      });
    },
  }),
);
