// Hostile input, kept as data: what an attacker or a broken client sends to a public endpoint.
// The test (limits.test.ts) sends each case and checks: no 5xx; a clear 4xx or GraphQL error;
// for what the limits refuse, no execution and no SQL at all; and the database unchanged.

import { applicationForm } from './helpers/forms.ts';

export interface HostileCase {
  name: string;
  method?: 'GET' | 'POST';
  /** Query string for GET. */
  search?: Record<string, string>;
  headers?: Record<string, string>;
  /** A JSON body, or raw bytes/text sent as they are. */
  json?: unknown;
  raw?: string | Uint8Array;
  /** What must come back. */
  expect: {
    /** An exact HTTP status, or any of several. */
    status: number | number[];
    /** The first error's extensions.code, when the answer is GraphQL. */
    code?: string;
    /** A pattern the first error's message must match: what to fix. */
    message?: RegExp;
    /** Refused before execution: no resolver ran and no SQL statement was sent. */
    refused: boolean;
  };
}

const nest = (times: number, inner: string, wrap: (s: string) => string) => {
  let s = inner;
  for (let i = 0; i < times; i++) s = wrap(s);
  return s;
};

const aliases = (n: number, selection: string) =>
  Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ');

/** Fragments each spreading the next twice: 2^depth selections from a short document. */
function fragmentBomb(depth: number): string {
  const fragments = [];
  for (let i = 0; i < depth; i++)
    fragments.push(`fragment F${i} on Hub { code region { hubs { ...F${i + 1} ...F${i + 1} } } }`);
  fragments.push(`fragment F${depth} on Hub { code }`);
  return `{ hubs(first: 100) { nodes { ...F0 } } } ${fragments.join(' ')}`;
}

const TOO_COMPLEX = { status: 400, code: 'QUERY_TOO_COMPLEX', refused: true } as const;
const BAD_INPUT = { status: 400, code: 'BAD_USER_INPUT', refused: true } as const;
/** Refused by GraphQL validation (unknown argument, wrong type): 400, nothing runs. */
const INVALID = { status: 400, refused: true } as const;

export const HOSTILE_CASES: HostileCase[] = [
  // ── shape and cost bombs ──
  {
    name: 'the issue’s twelve-deep region { hubs } query',
    json: { query: `{ hub(code: "WM1") { ${nest(12, 'code', (s) => `region { hubs { ${s} } }`)} } }` },
    expect: { ...TOO_COMPLEX, message: /limit: depth/ },
  },
  {
    name: 'twelve-deep region { hubs } within the depth limit is still refused by cost',
    headers: { authorization: 'Bearer secret-admin' },
    json: { query: `{ hub(code: "WM1") { ${nest(6, 'code', (s) => `region { hubs { ${s} } }`)} } }` },
    expect: { ...TOO_COMPLEX, message: /limit: cost/ },
  },
  {
    name: 'the issue’s nested hubs → cohorts → hub → cohorts (cost 100 million)',
    json: {
      query:
        '{ hubs(first:100) { nodes { code cohorts(first:100) { nodes { hub { code cohorts(first:100) { nodes { hub { code cohorts(first:100) { nodes { code } } } } } } } } } } }',
    },
    expect: {
      ...TOO_COMPLEX,
      message:
        /limit: cost\): this operation costs [\d,]+ points; the most allowed without an API key is 5,000/,
    },
  },
  {
    name: 'the same bomb with an API key is refused at the key’s limit',
    headers: { authorization: 'Bearer secret-admin' },
    json: {
      query:
        '{ hubs(first:100) { nodes { code cohorts(first:100) { nodes { hub { code cohorts(first:100) { nodes { code } } } } } } } }',
    },
    expect: { ...TOO_COMPLEX, message: /with an API key is 50,000/ },
  },
  {
    name: 'the issue’s 200 aliases of hubs → schools',
    json: {
      query: `{ ${aliases(200, 'hubs(first:100) { nodes { schools(first:100) { nodes { urn } } } }')} }`,
    },
    expect: { ...TOO_COMPLEX, message: /limit: (aliases|tokens)/ },
  },
  {
    name: '60 aliases of a cheap field',
    json: { query: `{ ${aliases(60, 'regions { code }')} }` },
    expect: {
      ...TOO_COMPLEX,
      message: /limit: aliases\): this operation has 60 aliases; the most allowed is 30/,
    },
  },
  {
    name: '25 aliases of hubs → schools (under the alias limit) are refused by cost',
    json: {
      query: `{ ${aliases(25, 'hubs(first:100) { nodes { schools(first:100) { nodes { urn } } } }')} }`,
    },
    expect: { ...TOO_COMPLEX, message: /limit: cost/ },
  },
  {
    name: '5,000 aliased __typename (tokens)',
    json: { query: `{ ${aliases(5000, '__typename')} }` },
    expect: { ...TOO_COMPLEX, message: /limit: tokens/ },
  },
  {
    name: 'a fragment bomb: each fragment spreads the next twice',
    json: { query: fragmentBomb(12) },
    expect: TOO_COMPLEX,
  },
  {
    name: 'a fragment cycle',
    json: {
      query:
        '{ hubs { nodes { ...A } } } fragment A on Hub { region { hubs { ...B } } } fragment B on Hub { region { hubs { ...A } } }',
    },
    expect: { status: 400, refused: true, message: /Cannot spread fragment "A" within itself/ },
  },
  {
    name: 'a self-spreading fragment',
    json: { query: '{ hubs { nodes { ...A } } } fragment A on Hub { code ...A }' },
    expect: { status: 400, refused: true, message: /within itself/ },
  },
  {
    name: 'thousands of directives',
    json: { query: `{ __typename ${'@skip(if: false) '.repeat(3000)} }` },
    expect: TOO_COMPLEX,
  },
  {
    name: 'fifty directives (under the token limit)',
    json: { query: `{ __typename ${'@include(if: true) '.repeat(50)} }` },
    expect: { ...TOO_COMPLEX, message: /limit: directives/ },
  },
  {
    name: 'a deep selection of one field, 40 levels',
    json: { query: `{ hub(code: "WM1") { ${nest(40, 'code', (s) => `region { hubs { ${s} } }`)} } }` },
    expect: TOO_COMPLEX,
  },
  {
    name: 'eight thousand tokens of repeated fields',
    json: { query: `{ regions { ${'code '.repeat(8_000)} } }` },
    expect: { ...TOO_COMPLEX, message: /limit: tokens/ },
  },
  // ── page sizes, cursors and IDs ──
  {
    name: 'a huge first is capped, not obeyed',
    json: { query: '{ hubs(first: 1000000) { nodes { code } } }' },
    expect: { status: 200, refused: false },
  },
  {
    name: 'a negative first',
    json: { query: '{ hubs(first: -5) { nodes { code } } }' },
    expect: { status: [200, 400], code: 'BAD_USER_INPUT', message: /non-negative/, refused: false },
  },
  {
    name: 'a non-integer first',
    json: { query: '{ hubs(first: 2.5) { nodes { code } } }' },
    expect: { ...INVALID, message: /Int cannot represent non-integer value/ },
  },
  {
    name: 'first beyond 32 bits, as a variable',
    json: { query: 'query($n: Int) { hubs(first: $n) { nodes { code } } }', variables: { n: 2 ** 40 } },
    expect: { status: [200, 400], refused: false, message: /Int cannot represent non 32-bit signed integer/ },
  },
  {
    name: 'first as a string variable',
    json: { query: 'query($n: Int) { hubs(first: $n) { nodes { code } } }', variables: { n: 'ten' } },
    expect: { status: [200, 400], refused: false, message: /Int cannot represent non-integer value/ },
  },
  {
    name: 'a forged cursor',
    json: { query: '{ hubs(first: 2, after: "not a cursor") { nodes { code } } }' },
    expect: { status: [200, 400], code: 'BAD_USER_INPUT', message: /cursor/, refused: false },
  },
  {
    name: 'a cursor that is base64 of SQL',
    json: {
      query: 'query($after: String) { schools(first: 2, after: $after) { nodes { urn } } }',
      variables: { after: Buffer.from("GPC:S:1' OR 1=1; --").toString('base64') },
    },
    expect: { status: [200, 400], message: /cursor/, code: 'BAD_USER_INPUT', refused: false },
  },
  {
    name: 'a node ID that is not base64',
    json: { query: '{ node(id: "%%%not-an-id%%%") { id } }' },
    expect: { status: [200, 400], refused: false },
  },
  {
    name: 'a node ID of a type that does not exist',
    json: { query: `{ node(id: "${Buffer.from('Secret:1').toString('base64')}") { id } }` },
    expect: { status: [200, 400], code: 'BAD_USER_INPUT', message: /global ID/, refused: false },
  },
  {
    name: 'a Hub’s ID where an application’s is expected',
    headers: { authorization: 'Bearer secret-admin' },
    json: {
      query:
        'mutation($id: ID!) { withdrawApplication(input: { applicationId: $id }) { application { id } userErrors { code } } }',
      variables: { id: Buffer.from('Hub:1').toString('base64') },
    },
    expect: { status: 200, refused: false },
  },
  {
    name: 'a thousand IDs for nodes()',
    json: {
      query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      variables: { ids: Array.from({ length: 1000 }, (_, i) => Buffer.from(`Hub:${i}`).toString('base64')) },
    },
    expect: { ...BAD_INPUT, message: /has 1000 items; the most allowed is 500/ },
  },
  // ── sizes, encodings and characters ──
  {
    name: 'a 10 MB variable',
    json: {
      query: 'query($s: String) { schools(filter: { search: $s }) { totalCount } }',
      variables: { s: 'x'.repeat(10_000_000) },
    },
    expect: { status: 413, refused: true },
  },
  {
    name: 'a 90 kB string (under the body limit, over the input limit)',
    json: {
      query: 'query($s: String) { schools(filter: { search: $s }) { totalCount } }',
      variables: { s: 'x'.repeat(90_000) },
    },
    expect: { ...BAD_INPUT, message: /characters long; the most allowed is 1000/ },
  },
  {
    name: 'a 5 kB string literal in the document',
    json: { query: `{ schools(filter: { search: "${'y'.repeat(5000)}" }) { totalCount } }` },
    expect: { ...BAD_INPUT, message: /characters long/ },
  },
  {
    name: 'invalid UTF-8 in the body',
    headers: { 'content-type': 'application/json' },
    raw: new Uint8Array([
      ...Buffer.from('{"query":"{ schools(filter: { search: \\"'),
      0xc3,
      0x28,
      0xff,
      0xfe,
      ...Buffer.from('\\" }) { totalCount } }"}'),
    ]),
    expect: { status: [200, 400], refused: false },
  },
  {
    name: 'NUL in a search variable',
    json: {
      query: 'query($s: String) { schools(filter: { search: $s }) { totalCount } }',
      variables: { s: 'abc\u0000def' },
    },
    expect: { ...BAD_INPUT, message: /control character U\+0000/ },
  },
  {
    name: 'NUL in a string literal',
    json: { query: '{ schools(filter: { search: "abc\\u0000def" }) { totalCount } }' },
    expect: { ...BAD_INPUT, message: /control character U\+0000/ },
  },
  {
    name: 'control characters in every string of an application',
    json: {
      query:
        'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { userErrors { code } } }',
      variables: {
        input: applicationForm('WM1\u0007', '100000\u001b', {
          contactTelephone: '0\u0008',
          headteacher: { name: 'A\u0001', email: 'a@b.c' },
          statement: 'S\u0000',
        }),
      },
    },
    expect: { ...BAD_INPUT, message: /control character/ },
  },
  {
    name: 'an SQL injection in a search',
    json: { query: '{ schools(first: 5, filter: { search: "\'; DROP TABLE school; --" }) { totalCount } }' },
    expect: { status: 200, refused: false },
  },
  {
    name: 'SQL wildcards and a catastrophic regex in a search',
    json: {
      query:
        '{ hubs(filter: { search: "%_%\\\\(a+)+$.*[" }) { totalCount } schools(first: 1, filter: { search: "%%%%%%" }) { totalCount } }',
    },
    expect: { status: 200, refused: false },
  },
  {
    name: 'variables nested a thousand deep',
    json: {
      query: 'query($f: SchoolFilter) { schools(filter: $f) { totalCount } }',
      variables: { f: JSON.parse(nest(1000, '1', (s) => `{"a":${s}}`)) },
    },
    expect: { ...BAD_INPUT, message: /nested deeper than 8 levels/ },
  },
  {
    name: 'an enormous integer literal',
    json: { query: `{ hubs(first: ${'9'.repeat(400)}) { nodes { code } } }` },
    expect: { ...INVALID, message: /Int cannot represent/ },
  },
  // ── transport: methods, content types, batching, malformed bodies ──
  {
    name: 'a text/plain body',
    headers: { 'content-type': 'text/plain' },
    raw: '{ regions { code } }',
    expect: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: /send application\/json/, refused: true },
  },
  {
    name: 'an XML body',
    headers: { 'content-type': 'application/xml' },
    raw: '<query>{ regions { code } }</query>',
    expect: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', refused: true },
  },
  {
    name: 'JSON that does not parse',
    headers: { 'content-type': 'application/json' },
    raw: '{"query": "{ regions { code } }"',
    expect: { status: 400, refused: true },
  },
  {
    name: 'an empty JSON body',
    headers: { 'content-type': 'application/json' },
    raw: '',
    expect: { status: 400, refused: true },
  },
  {
    name: 'a body without a query',
    json: { variables: {} },
    expect: {
      status: 400,
      code: 'BAD_REQUEST',
      message: /Send a GraphQL document as `query`/,
      refused: true,
    },
  },
  {
    name: 'a query that is not a string',
    json: { query: 42 },
    expect: { status: 400, refused: true },
  },
  {
    name: 'variables that are not an object',
    json: { query: '{ regions { code } }', variables: 'all of them' },
    expect: { status: 400, refused: true },
  },
  {
    name: 'a batch of operations',
    json: [{ query: '{ regions { code } }' }, { query: '{ regions { code } }' }],
    expect: { status: 400, refused: true },
  },
  {
    name: 'a mutation sent as GET',
    method: 'GET',
    search: { query: 'mutation { revokeApiKey(input: { id: "x" }) { userErrors { code } } }' },
    expect: { status: 405, refused: true },
  },
  {
    name: 'two operations and no operationName',
    json: { query: 'query A { regions { code } } query B { viewer { role } }' },
    expect: { status: 400, refused: true },
  },
  {
    name: 'an unknown operationName',
    json: { query: 'query A { regions { code } }', operationName: 'Nope' },
    expect: { status: 400, refused: true },
  },
  {
    name: 'a syntax error',
    json: { query: '{ regions { code }' },
    expect: { status: 400, refused: true, message: /Syntax Error/ },
  },
  {
    name: 'an unknown persisted-operation hash',
    json: { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } },
    expect: { status: 400, code: 'PERSISTED_QUERY_NOT_FOUND', refused: true },
  },
  {
    name: 'a malformed Authorization header',
    headers: { authorization: 'Basic dXNlcjpwYXNz' },
    json: { query: '{ regions { code } }' },
    expect: { status: 401, code: 'UNAUTHENTICATED', refused: true },
  },
];

// ── generated: deep and wide inputs, numbers that fit no column, bytes that are not UTF-8,
// and media types a client might send ──

/** JSON text nested `depth` levels deep (built as text: JSON.stringify itself would overflow). */
const deepJson = (depth: number, open: string, close: string, inner = '1') =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
const objectOpen = '{"a":';
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const HUB_FILTER_QUERY = 'query($filter: CohortFilter) { cohorts(first: 1, filter: $filter) { totalCount } }';

const deepCases: HostileCase[] = [100, 1_000, 8_000, 40_000].flatMap((depth) =>
  (
    [
      ['an object', objectOpen, '}'],
      ['a list', '[', ']'],
    ] as const
  ).flatMap(([shape, open, close]) => [
    {
      name: `variables: ${shape} nested ${depth.toLocaleString('en-GB')} levels`,
      headers: { 'content-type': 'application/json' },
      raw: `{"query":${JSON.stringify(HUB_FILTER_QUERY)},"variables":{"filter":${deepJson(depth, open, close)}}}`,
      expect: {
        status: depth > 10_000 ? [400, 413] : 400,
        refused: true,
        ...(depth > 10_000 ? {} : { code: 'BAD_USER_INPUT', message: /nested deeper than/ }),
      },
    },
    {
      name: `extensions: ${shape} nested ${depth.toLocaleString('en-GB')} levels`,
      headers: { 'content-type': 'application/json' },
      raw: `{"query":"{ regions { code } }","extensions":{"x":${deepJson(depth, open, close)}}}`,
      expect: { status: depth > 10_000 ? [400, 413] : 400, refused: true },
    },
  ]),
);

const wideCases: HostileCase[] = [
  {
    name: 'variables: an object with 10,000 fields',
    headers: { 'content-type': 'application/json' },
    raw: `{"query":${JSON.stringify(HUB_FILTER_QUERY)},"variables":{"filter":{${Array.from({ length: 10_000 }, (_, i) => `"k${i}":1`).join(',')}}}}`,
    expect: { status: 400, code: 'BAD_USER_INPUT', refused: true },
  },
  {
    name: 'variables: 10,000 variables',
    headers: { 'content-type': 'application/json' },
    raw: `{"query":"{ regions { code } }","variables":{${Array.from({ length: 10_000 }, (_, i) => `"v${i}":1`).join(',')}}}`,
    expect: { status: 400, code: 'BAD_USER_INPUT', refused: true },
  },
];

const numberCases: HostileCase[] = [
  ...['99999999999999999999', '2147483648', '-1', '1e3', '0x10', 'abc', ''].map(
    (id): HostileCase => ({
      name: `node(id:) whose number is ${JSON.stringify(id)}`,
      json: { query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id: gid('Cohort', id) } },
      expect: {
        status: 200,
        code: 'BAD_USER_INPUT',
        message: /not an ID this API gives out|Invalid global ID/,
        refused: false,
      },
    }),
  ),
  {
    name: 'nodes(ids:) with one id past the column',
    json: {
      query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      variables: { ids: [gid('Hub', '1'), gid('Hub', '99999999999999999999')] },
    },
    expect: { status: 200, code: 'BAD_USER_INPUT', refused: false },
  },
  ...(
    [
      ['a list nested 8,000 levels', deepJson(8_000, '[', ']')],
      ['an object nested 8,000 levels', deepJson(8_000, objectOpen, '}')],
      ['a number', '12'],
    ] as const
  ).map(
    ([what, value]): HostileCase => ({
      name: `operationName: ${what}`,
      headers: { 'content-type': 'application/json' },
      raw: `{"query":"{ regions { code } }","operationName":${value}}`,
      expect: { status: 400, code: 'BAD_REQUEST', message: /operationName/, refused: true },
    }),
  ),
  {
    name: 'query: a list nested 8,000 levels',
    headers: { 'content-type': 'application/json' },
    raw: `{"query":${deepJson(8_000, '[', ']')}}`,
    expect: { status: 400, refused: true },
  },
  ...['1e308', '9007199254740993', '99999999999999999999', '-2147483649', '1.5'].map(
    (n): HostileCase => ({
      name: `an Int variable of ${n}`,
      headers: { 'content-type': 'application/json' },
      raw: `{"query":"query($n: Int) { hubs(first: $n) { nodes { code } } }","variables":{"n":${n}}}`,
      // Variables are coerced as execution starts: no resolver runs, no SQL is sent.
      expect: { status: 400, refused: false, message: /Int cannot represent/ },
    }),
  ),
];

const byteCases: HostileCase[] = [
  ['a lone continuation byte', [0x80]],
  ['an overlong encoding of "/"', [0xc0, 0xaf]],
  ['a UTF-16 surrogate encoded as UTF-8', [0xed, 0xa0, 0x80]],
  ['a truncated four-byte sequence', [0xf0, 0x9f, 0x98]],
].map(
  ([what, bytes]): HostileCase => ({
    name: `invalid UTF-8 in a string: ${what}`,
    headers: { 'content-type': 'application/json' },
    raw: new Uint8Array([
      ...Buffer.from('{"query":"{ hub(code: \\"'),
      ...(bytes as number[]),
      ...Buffer.from('\\") { code } }"}'),
    ]),
    expect: { status: [200, 400], refused: false },
  }),
);

const mediaCases: HostileCase[] = [
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/graphql',
  'text/event-stream',
  'application/json, text/plain',
  '*/*',
  ';;;',
].map(
  (type): HostileCase => ({
    name: `Content-Type: ${type}`,
    headers: { 'content-type': type },
    raw: '{"query":"{ regions { code } }"}',
    expect: { status: [200, 400, 415], refused: false },
  }),
);

HOSTILE_CASES.push(...deepCases, ...wideCases, ...numberCases, ...byteCases, ...mediaCases);
