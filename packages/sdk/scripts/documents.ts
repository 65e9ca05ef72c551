// The SDK's operations as it sends them, by name: each operation's text with the fragments it
// spreads appended. A file in operations/ may spread fragments defined in operations/fragments.graphql,
// so tests and benchmarks run these rather than the files.
import * as generated from '../src/generated/graphql.ts';

export const operationDocuments: Record<string, string> = Object.fromEntries(
  Object.entries(generated).flatMap(([exportName, value]) =>
    exportName.endsWith('Document') ? [[exportName.replace(/Document$/, ''), String(value)]] : [],
  ),
);

/** One shipped operation's document, e.g. operationDocument('HubPage'). */
export function operationDocument(name: string): string {
  const document = operationDocuments[name];
  if (document === undefined) throw new Error(`No shipped operation named ${name}`);
  return document;
}
