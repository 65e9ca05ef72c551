// The persisted-operations manifest: it holds every shipped operation under the hash its document
// carries, and every hash it ever held still names a document the schema accepts, so older SDKs
// sending an older hash keep working. (scripts/persisted.ts only adds entries; `pnpm generate
// --check` fails if a rewrite of it dropped the superseded ones the manifest holds.)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, print, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { shippedDocuments } from '../scripts/documents.ts';

const manifest: Record<string, string> = JSON.parse(
  readFileSync(join(import.meta.dirname, '../persisted-operations.json'), 'utf8'),
);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('persisted operations', () => {
  it('hold every shipped operation under the hash its document carries', () => {
    expect(Object.keys(shippedDocuments).length).toBeGreaterThan(10);
    for (const [name, { text, hash }] of Object.entries(shippedDocuments)) {
      expect(manifest[hash], name).toBeDefined();
      // The same operation, as graphql-js prints it.
      expect(manifest[hash], name).toBe(print(parse(text)));
    }
  });

  it('ship no repository-only document (the GraphiQL tour, the benchmarks’ deep read)', () => {
    expect(Object.keys(shippedDocuments)).not.toContain('Tour');
    expect(Object.keys(shippedDocuments)).not.toContain('DeepTour');
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
