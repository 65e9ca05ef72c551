// Viewer: who the caller is, as resolved from their API key.
import { builder } from '../builder.ts';
import type { Viewer as ViewerShape } from '../context.ts';
import { ViewerRole } from './enums.ts';
import { Hub } from './hub.ts';

const Viewer = builder.objectRef<ViewerShape>('Viewer').implement({
  description: 'Who is calling, and what they may see.',
  fields: (t) => ({
    role: t.expose('role', {
      type: ViewerRole,
      description: 'The caller’s role; ANONYMOUS without an API key.',
    }),
    hub: t.prismaField({
      type: Hub,
      nullable: true,
      description: 'For hub staff: the hub their key is scoped to.',
      resolve: (query, viewer, _args, ctx) =>
        viewer.hubId === null ? null : ctx.prisma.hub.findUnique({ ...query, where: { id: viewer.hubId } }),
    }),
    apiKeyLabel: t.exposeString('label', { nullable: true, description: 'The label of the API key in use.' }),
    canSeePersonalData: t.boolean({
      description:
        'True when the caller may see people’s details (hub staff for their hub, national admins).',
      resolve: (viewer) => viewer.role === 'HUB_STAFF' || viewer.role === 'NATIONAL_ADMIN',
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: Viewer,
    description: 'Who you are, by the API key you sent.',
    resolve: (_root, _args, ctx) => ctx.viewer,
  }),
);
