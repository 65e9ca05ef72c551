// The persisted-operations manifest: it holds every shipped operation's current text under its
// hash, and every hash it ever held still names a document the schema accepts, so older SDKs
// sending an older hash keep working. (scripts/persisted.ts only adds entries; `pnpm generate
// --check` fails if a rewrite of it dropped the superseded ones the manifest holds.)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationDocuments } from '../scripts/documents.ts';
import { persistedHashes } from '../src/generated/persisted.ts';

const manifest: Record<string, string> = JSON.parse(
  readFileSync(join(import.meta.dirname, '../persisted-operations.json'), 'utf8'),
);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('persisted operations', () => {
  it('hold every shipped operation’s text under the hash the client sends', () => {
    expect(Object.keys(persistedHashes).sort()).toEqual(Object.keys(operationDocuments).sort());
    for (const [name, text] of Object.entries(operationDocuments)) {
      expect(persistedHashes[name], name).toBe(sha256(text));
      expect(manifest[sha256(text)], name).toBe(text);
    }
  });

  it('keep every hash ever shipped valid: its text hashes to it and the schema accepts it', () => {
    const schema = buildSchema(readFileSync(join(import.meta.dirname, '../../../schema.graphql'), 'utf8'));
    for (const [hash, text] of Object.entries(manifest)) {
      expect(sha256(text), hash).toBe(hash);
      expect(
        validate(schema, parse(text)).map((e) => e.message),
        hash,
      ).toEqual([]);
    }
  });
});
