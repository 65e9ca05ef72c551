// Who may see which people: the rules shared by every path to personal data (root fields,
// nested relations and node/nodes alike).
import type { Prisma } from '@maths-hubs/db/client';
import type { Context } from './context.ts';

/** National admins see everyone; hub staff see people of their own hub; nobody else sees people. */
export async function canSeeParticipant(participantId: number, ctx: Context): Promise<boolean> {
  if (ctx.viewer.role === 'NATIONAL_ADMIN') return true;
  if (ctx.viewer.role !== 'HUB_STAFF' || ctx.viewer.hubId === null) return false;
  return (await ctx.loaders.participantHubIds.load(participantId)).includes(ctx.viewer.hubId);
}

/** Enrolments and applications belong to the hub of their cohort. */
export async function canSeeCohortRecord(cohortId: number, ctx: Context): Promise<boolean> {
  if (ctx.viewer.role === 'NATIONAL_ADMIN') return true;
  if (ctx.viewer.role !== 'HUB_STAFF' || ctx.viewer.hubId === null) return false;
  return (await ctx.loaders.cohortHubId.load(cohortId)) === ctx.viewer.hubId;
}

/** The participants a viewer may list, as a Prisma condition. */
export function visibleParticipants(ctx: Context): Prisma.ParticipantWhereInput {
  if (ctx.viewer.role === 'NATIONAL_ADMIN') return {};
  const hubId = ctx.viewer.role === 'HUB_STAFF' ? (ctx.viewer.hubId ?? -1) : -1;
  return { OR: [{ school: { hubId } }, { enrolments: { some: { cohort: { hubId } } } }] };
}

/** Hub staff manage their own hub's cohorts; national admins manage every cohort. */
export function canManageHub(ctx: Context, hubId: number | null): boolean {
  return (
    ctx.viewer.role === 'NATIONAL_ADMIN' ||
    (ctx.viewer.role === 'HUB_STAFF' && hubId !== null && ctx.viewer.hubId === hubId)
  );
}

/** The enrolments a viewer may list: all for national admins, their hub's cohorts' for hub staff. */
export function visibleEnrolments(ctx: Context): Prisma.EnrolmentWhereInput {
  return ctx.viewer.role === 'NATIONAL_ADMIN' ? {} : { cohort: { hubId: ctx.viewer.hubId ?? -1 } };
}
