// API keys: created and revoked by national admins. The secret is returned once; only its hash is kept.

import { hashApiKeySecret, newApiKeySecret } from '../api-keys.ts';
import { audit, decodeId } from '../audit.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { forbidden, payloadType, rejected } from '../mutations.ts';
import { invalid, notFound, parseInput } from '../rules/user-errors.ts';
import { shortText } from '../rules/validation.ts';
import { ApiRole } from './enums.ts';

export const ApiKey = builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  nullable: true, // node(id:) answers null for an unknown id
  description: 'An API key (its secret is never shown after creation). National admins only.',
  authScopes: { nationalAdmin: true },
  fields: (t) => ({
    label: t.exposeString('label', { description: 'What the key is for.' }),
    role: t.expose('role', { type: ApiRole, description: 'What it may do.' }),
    hub: t.relation('hub', { nullable: true, description: 'For HUB_STAFF keys: the hub it is scoped to.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    revokedAt: t.expose('revokedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was revoked, if it was.',
    }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  description: 'A new API key.',
  fields: (t) => ({
    role: t.field({ type: ApiRole, required: true, description: 'What the key may do.' }),
    hubCode: t.string({ description: 'The hub, for (and only for) HUB_STAFF keys, e.g. "WM1".' }),
    label: t.string({
      required: true,
      description: 'What the key is for, e.g. "Central Maths Hub website".',
    }),
  }),
});

type ApiKeyRow = NonNullable<Awaited<ReturnType<Context['prisma']['apiKey']['findUnique']>>>;

const CreateApiKeyPayload = payloadType<'apiKey', ApiKeyRow, { secret?: string }>(
  'CreateApiKeyPayload',
  'The result of createApiKey.',
  'apiKey',
  { type: ApiKey, description: 'The new key; null if it was not created.' },
  (t) => ({
    secret: t.string({
      nullable: true,
      description:
        'The secret to send as "Authorization: Bearer <secret>". Shown this once: store it safely.',
      resolve: (payload) => payload.secret ?? null,
    }),
  }),
);

const RevokeApiKeyInput = builder.inputType('RevokeApiKeyInput', {
  description: 'The key to revoke.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The key’s global ID.' }) }),
});

const RevokeApiKeyPayload = payloadType<'apiKey', ApiKeyRow>(
  'RevokeApiKeyPayload',
  'The result of revokeApiKey.',
  'apiKey',
  { type: ApiKey, description: 'The revoked key.' },
);

const FORBIDDEN_MESSAGE = 'Only a national admin may manage API keys.';
const label = shortText('Give the key a label of 1 to 200 characters.');

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    description: 'Creates an API key (national admins only). The secret is returned once.',
    args: { input: t.arg({ type: CreateApiKeyInput, required: true, description: 'The new key.' }) },
    resolve: async (_root, { input }, ctx) => {
      if (ctx.viewer.role !== 'NATIONAL_ADMIN') return rejected([forbidden(ctx, FORBIDDEN_MESSAGE)]);
      const errors = parseInput(label, input.label, ['label']).errors;
      const code = input.hubCode?.trim().toUpperCase();
      const hub =
        input.role === 'HUB_STAFF' && code ? await ctx.prisma.hub.findUnique({ where: { code } }) : null;
      if (input.role === 'HUB_STAFF' && !code)
        errors.push(invalid(['hubCode'], 'A HUB_STAFF key needs the code of its hub, e.g. "WM1".'));
      else if (input.role === 'HUB_STAFF' && !hub)
        errors.push(notFound(['hubCode'], `There is no hub "${input.hubCode}".`));
      else if (input.role !== 'HUB_STAFF' && input.hubCode)
        errors.push(
          invalid(['hubCode'], `Only HUB_STAFF keys have a hub; leave hubCode out for ${input.role}.`),
        );
      if (errors.length > 0) return rejected(errors);

      const secret = newApiKeySecret();
      const hubId = input.role === 'HUB_STAFF' ? hub!.id : null;
      const apiKey = await ctx.prisma.$transaction(async (tx) => {
        const created = await tx.apiKey.create({
          data: { label: input.label.trim(), role: input.role, hubId, secretHash: hashApiKeySecret(secret) },
        });
        await audit(tx, ctx, 'createApiKey', 'ApiKey', created.id, null, {
          label: created.label,
          role: input.role,
          hubId,
        });
        return created;
      });
      return { apiKey, secret, userErrors: [] };
    },
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeyPayload,
    description: 'Revokes an API key at once (national admins only). Revoking twice is harmless.',
    args: { input: t.arg({ type: RevokeApiKeyInput, required: true, description: 'The key to revoke.' }) },
    resolve: async (_root, { input }, ctx) => {
      if (ctx.viewer.role !== 'NATIONAL_ADMIN') return rejected([forbidden(ctx, FORBIDDEN_MESSAGE)]);
      const id = decodeId(String(input.id), 'ApiKey');
      const existing = id === null ? null : await ctx.prisma.apiKey.findUnique({ where: { id } });
      if (!existing) return rejected([notFound(['id'], 'There is no API key with this ID.')]);
      if (existing.revokedAt) return { apiKey: existing, userErrors: [] };
      const apiKey = await ctx.prisma.$transaction(async (tx) => {
        const revoked = await tx.apiKey.update({ where: { id: existing.id }, data: { revokedAt: ctx.now } });
        await audit(
          tx,
          ctx,
          'revokeApiKey',
          'ApiKey',
          existing.id,
          { revokedAt: null },
          { revokedAt: revoked.revokedAt?.toISOString() ?? null },
        );
        return revoked;
      });
      return { apiKey, userErrors: [] };
    },
  }),
}));
