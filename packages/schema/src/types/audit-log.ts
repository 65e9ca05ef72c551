// The audit log, readable by national admins: who changed what, when, before and after.
import type { Prisma } from '@maths-hubs/db/client';
import { builder, namedConnection } from '../builder.ts';

const AuditEntry = builder.prismaObject('AuditLog', {
  name: 'AuditEntry',
  description: 'One change made through the API.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'When.' }),
    role: t.exposeString('role', { description: 'The role of the caller.' }),
    apiKeyLabel: t.string({
      nullable: true,
      description: 'The label of the API key used; null for ADMIN_API_KEY and anonymous callers.',
      select: { apiKey: { select: { label: true } } },
      resolve: (entry) => entry.apiKey?.label ?? null,
    }),
    action: t.exposeString('action', { description: 'The mutation, e.g. decideApplication.' }),
    entityType: t.exposeString('entityType', {
      description: 'The kind of object changed, e.g. Application.',
    }),
    entityId: t.exposeString('entityId', { description: 'Its database id.' }),
    before: t.string({
      nullable: true,
      description: 'The changed fields before, as JSON.',
      resolve: (e) => (e.before === null ? null : JSON.stringify(e.before)),
    }),
    after: t.string({
      nullable: true,
      description: 'The changed fields after, as JSON.',
      resolve: (e) => (e.after === null ? null : JSON.stringify(e.after)),
    }),
    requestId: t.exposeString('requestId', {
      nullable: true,
      description: 'The request that made the change.',
    }),
  }),
});

const AuditFilter = builder.inputType('AuditFilter', {
  description: 'Narrows the audit log.',
  fields: (t) => ({
    entityType: t.string({ description: 'Only changes to this kind of object.' }),
    entityId: t.string({ description: 'Only changes to this object (with entityType).' }),
    action: t.string({ description: 'Only this mutation.' }),
  }),
});

builder.queryField('auditLog', (t) =>
  t.prismaConnection(
    {
      type: AuditEntry,
      cursor: 'id',
      description: 'Changes made through the API, newest first. National admins only.',
      authScopes: { nationalAdmin: true },
      args: { filter: t.arg({ type: AuditFilter, description: 'Conditions the entries must meet.' }) },
      totalCount: (_p, { filter }, ctx) => ctx.prisma.auditLog.count({ where: where(filter) }),
      resolve: (query, _root, { filter }, ctx) =>
        ctx.prisma.auditLog.findMany({ ...query, where: where(filter), orderBy: { id: 'desc' } }),
    },
    namedConnection(AuditEntry, 'AuditEntry', 'audit entries'),
  ),
);

function where(
  filter: { entityType?: string | null; entityId?: string | null; action?: string | null } | null | undefined,
) {
  const w: Prisma.AuditLogWhereInput = {};
  if (filter?.entityType) w.entityType = filter.entityType;
  if (filter?.entityId) w.entityId = filter.entityId;
  if (filter?.action) w.action = filter.action;
  return w;
}
