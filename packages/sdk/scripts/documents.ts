// Documents by operation name, for tests and benchmarks: the SDK's shipped operations as it sends
// them (each with the fragments it spreads appended), and the repository's own documents that
// are not shipped (packages/server/operations: the GraphiQL tour and the deep read the
// benchmarks and statement-count tests run).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as generated from '../src/generated/graphql.ts';

/** A shipped operation's document: its text, and the hash the client sends it by. */
export interface ShippedDocument {
  text: string;
  hash: string;
}

export const shippedDocuments: Record<string, ShippedDocument> = Object.fromEntries(
  Object.entries(generated).flatMap(([exportName, value]) =>
    exportName.endsWith('Document')
      ? [
          [
            exportName.replace(/Document$/, ''),
            { text: String(value), hash: (value as unknown as { __meta__: { hash: string } }).__meta__.hash },
          ],
        ]
      : [],
  ),
);

const repositoryOnly = join(import.meta.dirname, '../../server/operations');

/** Every document by operation name: the shipped ones and the repository's own. */
export const operationDocuments: Record<string, string> = {
  ...Object.fromEntries(Object.entries(shippedDocuments).map(([name, { text }]) => [name, text])),
  ...Object.fromEntries(
    readdirSync(repositoryOnly)
      .filter((file) => file.endsWith('.graphql'))
      .map((file) => [file.replace(/\.graphql$/, ''), readFileSync(join(repositoryOnly, file), 'utf8')]),
  ),
};

/** One document by operation name, e.g. operationDocument('HubPage'). */
export function operationDocument(name: string): string {
  const document = operationDocuments[name];
  if (document === undefined) throw new Error(`No operation named ${name}`);
  return document;
}
