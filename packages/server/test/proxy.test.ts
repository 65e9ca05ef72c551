// Who the client is, behind real proxies: forwarding-proxy processes in front of the server, one
// and two hops, each connecting onwards from its own loopback address (127.0.0.11, .12) and
// clients from theirs (127.0.0.21, .22, .23). Budgets, stream caps and /metrics must follow the
// client, not the proxy, and nothing a client writes in a header may choose its identity.
import { type ChildProcess, spawn } from 'node:child_process';
import { type IncomingHttpHeaders, request } from 'node:http';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../src/client-address.ts';
import { DEFAULT_LIMITS } from '../src/config.ts';
import { nodeHandler } from '../src/server.ts';
import { serveOnLocalPort, type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

const PROXY = new URL('./helpers/forwarding-proxy.mjs', import.meta.url).pathname;
const LB = '127.0.0.11';
const EDGE = '127.0.0.12';
const [ALICE, BOB, CAROL] = ['127.0.0.21', '127.0.0.22', '127.0.0.23'];
const QUERY = JSON.stringify({ query: '{ hubs(first: 10) { nodes { code } } }' });
const STREAM = JSON.stringify({ query: 'subscription { cohortUpdated(hubCode: "WM1") { code } }' });

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One HTTP request from a given local address; a stream is left open and returned with its close. */
function send(
  url: string,
  from: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; stream?: boolean } = {},
): Promise<Answer & { close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? (options.body ? 'POST' : 'GET'),
        localAddress: from,
        headers: { 'content-type': 'application/json', ...options.headers },
      },
      (res) => {
        const close = () => res.destroy();
        if (options.stream && res.statusCode === 200) {
          resolve({ status: 200, headers: res.headers, text: '', close });
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, close }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A proxy process listening on a free port, forwarding to `target` from `localAddress`. */
async function startProxy(target: string, localAddress: string) {
  const child: ChildProcess = spawn(process.execPath, [PROXY, '0', target, localAddress], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`proxy exited with ${code}`)));
    lines.on('line', (line) => {
      const match = /^listening (\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const remaining = (answer: Answer) => Number(answer.headers['ratelimit-remaining']);

const LAYOUTS = [
  { name: 'one trusted hop, by address', trust: LB, hops: [LB], directIsIgnored: true },
  { name: 'two trusted hops, by address', trust: `${LB}, ${EDGE}`, hops: [LB, EDGE], directIsIgnored: true },
  // A hop count believes any peer: only safe when the server cannot be reached directly.
  { name: 'two trusted hops, by count', trust: '2', hops: [LB, EDGE], directIsIgnored: false },
];

describe.each(LAYOUTS)(`behind real proxies: $name (${testDbKind()})`, (layout) => {
  let api: TestApi;
  let server: { url: string; close: () => Promise<void> };
  let front: string;
  const proxies: { stop: () => Promise<void> }[] = [];

  beforeAll(async () => {
    api = await testApi({
      limits: { ...DEFAULT_LIMITS, trustProxy: parseTrustProxy(layout.trust), maxStreamsPerCaller: 2 },
    });
    server = await serveOnLocalPort(nodeHandler(api.app, DEFAULT_LIMITS.maxBodyBytes));
    // The load balancer nearest the server first, then the edge in front of it.
    let target = server.url.replace(/\/graphql$/, '');
    for (const address of layout.hops) {
      const proxy = await startProxy(target, address);
      proxies.push(proxy);
      target = proxy.url;
    }
    front = target;
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.stop()));
    await server?.close();
    await api?.close();
  });

  it('never serves /metrics through the proxies, whatever the client writes in X-Forwarded-For', async () => {
    for (const forged of [undefined, '127.0.0.1', '203.0.113.9, ::1', '203.0.113.9, ']) {
      const answer = await send(`${front}/metrics`, ALICE, {
        headers: forged === undefined ? {} : { 'x-forwarded-for': forged },
      });
      expect(answer.status, `X-Forwarded-For: ${forged}`).toBe(403);
    }
    // From this machine, straight to the server: allowed (no token is set in this test).
    expect((await send(`${server.url.replace(/\/graphql$/, '')}/metrics`, '127.0.0.1')).status).toBe(200);
  });

  it('gives each client its own budget, and a forged X-Forwarded-For does not choose another', async () => {
    const first = await send(`${front}/graphql`, ALICE, { body: QUERY });
    expect(first.status, first.text).toBe(200);
    const forged = await send(`${front}/graphql`, ALICE, {
      body: QUERY,
      headers: { 'x-forwarded-for': '198.51.100.1' },
    });
    const forgedAgain = await send(`${front}/graphql`, ALICE, {
      body: QUERY,
      headers: { 'x-forwarded-for': `198.51.100.2, ${BOB}` },
    });
    // Each forged request was charged to Alice's budget (cache hits cost a point, still charged).
    expect(remaining(forged)).toBeLessThan(remaining(first));
    expect(remaining(forgedAgain)).toBeLessThan(remaining(forged));
    // Bob, through the same proxies, has a budget of his own.
    const bob = await send(`${front}/graphql`, BOB, { body: QUERY });
    expect(remaining(bob)).toBeGreaterThan(remaining(forgedAgain));
  });

  it('does not believe X-Forwarded-For from a client that reaches the server directly', async () => {
    const spent = await send(`${front}/graphql`, ALICE, { body: QUERY });
    const direct = await send(server.url, CAROL, { body: QUERY, headers: { 'x-forwarded-for': ALICE } });
    if (layout.directIsIgnored) expect(remaining(direct)).toBeGreaterThan(remaining(spent));
    else expect(remaining(direct)).toBeLessThan(remaining(spent)); // why a hop count needs a closed network
  });

  it('caps live streams per client, not per proxy', async () => {
    const open: (() => void)[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const stream = await send(`${front}/graphql`, ALICE, {
          body: STREAM,
          headers: { accept: 'text/event-stream', 'x-forwarded-for': `198.51.100.${i + 10}` },
          stream: true,
        });
        expect(stream.status, stream.text).toBe(200);
        open.push(stream.close);
      }
      const third = await send(`${front}/graphql`, ALICE, {
        body: STREAM,
        headers: { accept: 'text/event-stream', 'x-forwarded-for': '198.51.100.99' },
        stream: true,
      });
      expect(third.status).toBe(429);
      const bob = await send(`${front}/graphql`, BOB, {
        body: STREAM,
        headers: { accept: 'text/event-stream' },
        stream: true,
      });
      expect(bob.status, bob.text).toBe(200);
      open.push(bob.close);
    } finally {
      for (const close of open) close();
    }
  });
});
