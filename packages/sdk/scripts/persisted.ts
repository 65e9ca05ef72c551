// Emits the persisted-operations manifest (SHA-256 → document text), which a server loads to run
// the SDK's operations by hash. Each generated document carries its hash (codegen.ts); the
// manifest maps it to the document as graphql-js prints it, the text that was hashed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, print } from 'graphql';
import { shippedDocuments } from './documents.ts';

const root = join(import.meta.dirname, '..');
// Append-only: a hash once shipped stays accepted, so older SDKs keep working when an operation's
// text changes. Only new hashes are added; none is ever dropped.
const manifestFile = join(root, 'persisted-operations.json');
const manifest: Record<string, string> = existsSync(manifestFile)
  ? JSON.parse(readFileSync(manifestFile, 'utf8'))
  : {};
for (const [name, { text, hash }] of Object.entries(shippedDocuments)) {
  const printed = print(parse(text));
  if (createHash('sha256').update(printed).digest('hex') !== hash)
    throw new Error(`${name}: the hash codegen gave its document is not the hash of its text`);
  manifest[hash] = printed;
}
const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(manifestFile, `${JSON.stringify(sorted, null, 2)}\n`);
