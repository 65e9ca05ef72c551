// Type-level guarantees for SDK consumers. The @ts-expect-error lines below are checked by
// `pnpm typecheck` (an unused @ts-expect-error is itself an error); the test compiles consumer
// code with TypeScript and checks the errors a mistake produces.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/index.ts';

const client = createClient({
  url: 'http://localhost/graphql',
  fetch: (async () => new Response('{}')) as typeof fetch,
});

export async function typeExamples() {
  const page = await client.hubPage({ code: 'WM1' });
  const name: string | undefined = page.hub?.name;
  // @ts-expect-error a misspelled field does not exist on the result
  page.hub?.nmae;
  // @ts-expect-error a variable of the wrong type
  await client.hubPage({ code: 1 });
  // @ts-expect-error a required variable missing
  await client.hubPage({});
  // @ts-expect-error an unknown variable
  await client.recruitingCohorts({ hubcode: 'WM1' });
  await client.recruitingCohorts(); // all optional: no variables needed
  return name;
}

function compile(source: string): string[] {
  const file = join(import.meta.dirname, '__consumer__.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? source : read(name));
  host.fileExists = (
    (exists) => (name: string) =>
      name === file || exists(name)
  )(host.fileExists.bind(host));
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('types for consumers', () => {
  it('a correct call compiles, a misspelled field or a wrong variable does not', () => {
    const header = `import { createClient } from '../src/index.ts';\nconst client = createClient({ url: 'x' });\n`;
    expect(
      compile(`${header}export const ok = async () => (await client.hubPage({ code: 'WM1' })).hub?.name;`),
    ).toEqual([]);
    const misspelled = compile(
      `${header}export const bad = async () => (await client.hubPage({ code: 'WM1' })).hub?.nmae;`,
    );
    expect(misspelled.join('\n')).toMatch(/Property 'nmae' does not exist/);
    const wrongVariable = compile(`${header}export const bad = () => client.hubPage({ code: 42 });`);
    expect(wrongVariable.join('\n')).toMatch(/Type 'number' is not assignable to type 'string'/);
  }, 60_000);
});
