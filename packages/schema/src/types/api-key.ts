// API keys: created and revoked by national admins. The secret is returned once; only its hash is kept.

import { hashApiKeySecret, newApiKeySecret } from '../api-keys.ts';
import { audit, decodeId } from '../audit.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { ApiRole } from './enums.ts';
import { forbidden, UserError, type UserErrorShape } from './user-error.ts';

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

const CreateApiKeyPayload = builder
  .objectRef<{ apiKey: ApiKeyRow | null; secret: string | null; userErrors: UserErrorShape[] }>(
    'CreateApiKeyPayload',
  )
  .implement({
    description: 'The result of createApiKey.',
    fields: (t) => ({
      apiKey: t.expose('apiKey', {
        type: ApiKey,
        nullable: true,
        description: 'The new key; null if it was not created.',
      }),
      secret: t.exposeString('secret', {
        nullable: true,
        description:
          'The secret to send as "Authorization: Bearer <secret>". Shown this once: store it safely.',
      }),
      userErrors: t.expose('userErrors', {
        type: [UserError],
        description: 'What was wrong with the input, if anything.',
      }),
    }),
  });

const RevokeApiKeyInput = builder.inputType('RevokeApiKeyInput', {
  description: 'The key to revoke.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The key’s global ID.' }) }),
});

const RevokeApiKeyPayload = builder
  .objectRef<{ apiKey: ApiKeyRow | null; userErrors: UserErrorShape[] }>('RevokeApiKeyPayload')
  .implement({
    description: 'The result of revokeApiKey.',
    fields: (t) => ({
      apiKey: t.expose('apiKey', { type: ApiKey, nullable: true, description: 'The revoked key.' }),
      userErrors: t.expose('userErrors', {
        type: [UserError],
        description: 'What was wrong with the input, if anything.',
      }),
    }),
  });

const FORBIDDEN_MESSAGE = 'Only a national admin may manage API keys.';

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    description: 'Creates an API key (national admins only). The secret is returned once.',
    args: { input: t.arg({ type: CreateApiKeyInput, required: true, description: 'The new key.' }) },
    resolve: async (_root, { input }, ctx) => {
      if (ctx.viewer.role !== 'NATIONAL_ADMIN')
        return { apiKey: null, secret: null, userErrors: [forbidden(ctx, FORBIDDEN_MESSAGE)] };
      const errors: UserErrorShape[] = [];
      const label = input.label.trim();
      if (label.length === 0 || label.length > 200) {
        errors.push({
          field: ['input', 'label'],
          message: 'Give the key a label of 1 to 200 characters.',
          code: 'INVALID',
        });
      }
      let hubId: number | null = null;
      if (input.role === 'HUB_STAFF') {
        const code = input.hubCode?.trim().toUpperCase();
        const hub = code ? await ctx.prisma.hub.findUnique({ where: { code } }) : null;
        if (!code)
          errors.push({
            field: ['input', 'hubCode'],
            message: 'A HUB_STAFF key needs the code of its hub, e.g. "WM1".',
            code: 'INVALID',
          });
        else if (!hub)
          errors.push({
            field: ['input', 'hubCode'],
            message: `There is no hub "${input.hubCode}".`,
            code: 'NOT_FOUND',
          });
        else hubId = hub.id;
      } else if (input.hubCode) {
        errors.push({
          field: ['input', 'hubCode'],
          message: `Only HUB_STAFF keys have a hub; leave hubCode out for ${input.role}.`,
          code: 'INVALID',
        });
      }
      if (errors.length > 0) return { apiKey: null, secret: null, userErrors: errors };

      const secret = newApiKeySecret();
      const apiKey = await ctx.prisma.$transaction(async (tx) => {
        const created = await tx.apiKey.create({
          data: { label, role: input.role, hubId, secretHash: hashApiKeySecret(secret) },
        });
        await audit(tx, ctx, 'createApiKey', 'ApiKey', created.id, null, { label, role: input.role, hubId });
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
      if (ctx.viewer.role !== 'NATIONAL_ADMIN')
        return { apiKey: null, userErrors: [forbidden(ctx, FORBIDDEN_MESSAGE)] };
      const id = decodeId(String(input.id), 'ApiKey');
      const existing = id === null ? null : await ctx.prisma.apiKey.findUnique({ where: { id } });
      if (!existing) {
        return {
          apiKey: null,
          userErrors: [
            {
              field: ['input', 'id'],
              message: 'There is no API key with this ID.',
              code: 'NOT_FOUND' as const,
            },
          ],
        };
      }
      if (existing.revokedAt) return { apiKey: existing, userErrors: [] };
      const apiKey = await ctx.prisma.$transaction(async (tx) => {
        const revoked = await tx.apiKey.update({
          where: { id: existing.id },
          data: { revokedAt: ctx.now },
        });
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
