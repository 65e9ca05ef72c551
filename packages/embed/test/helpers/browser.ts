// Browser tests: Debian's Chromium driven by playwright-core, the API on one local origin and a
// "hub website" on another, so the widgets are tested the way a hub site embeds them.
//
// They run where Chromium is installed (.ci/run installs it and sets REQUIRE_BROWSER=1, which
// turns a missing browser into a failure rather than a skip), once, on the embedded database.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { serveOnLocalPort, type TestApi, testApi } from '../../../server/test/helpers/api.ts';
import { testDbKind } from '../../../server/test/helpers/fixtures.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const required = process.env.REQUIRE_BROWSER === '1';
const root = join(import.meta.dirname, '../../../..');

/** `describe` for browser tests: skipped without Chromium unless REQUIRE_BROWSER=1. */
export const describeInBrowser: typeof describe.skip = describe.runIf(
  testDbKind() === 'embedded' && (required || existsSync(CHROMIUM)),
) as typeof describe.skip;

/** Where screenshots go: docs/screenshots with UPDATE_SCREENSHOTS=1, else an ignored folder. */
const screenshotDir = join(
  root,
  process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : '.screenshots',
);

export interface BrowserSetup {
  api: TestApi;
  /** The API's origin, e.g. http://127.0.0.1:41234: /graphql, /embed/maths-hubs.js, /examples/dashboard. */
  apiOrigin: string;
  /** Another origin, standing for a hub's website. */
  hostOrigin: string;
  /** Serves `html` at `path` on the host origin. */
  hostPage(path: string, html: string): string;
  /** A page in a fresh browser context; console errors are collected in `errors`. */
  newPage(): Promise<Page & { errors: string[] }>;
  /** axe-core's serious and critical violations on the page (shadow roots included). */
  axe(page: Page, context?: string): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]>;
  /** Saves a PNG of the page (or of one element) as `<name>.png`. */
  screenshot(page: Page, name: string, selector?: string): Promise<string>;
  close(): Promise<void>;
}

export type TestApiOptions = Parameters<typeof testApi>[0];

export async function startBrowserSetup(apiOptions: TestApiOptions = {}): Promise<BrowserSetup> {
  // From the sources now, so a test never runs against a stale build.
  execFileSync(process.execPath, [join(root, 'packages/embed/build.mjs')], { stdio: 'inherit' });
  const api = await testApi(apiOptions);
  const served = await serveOnLocalPort(api.app);
  const apiOrigin = new URL(served.url).origin;

  const pages = new Map<string, string>();
  const host = createServer((request, response) => {
    const html = pages.get(new URL(request.url ?? '/', 'http://host').pathname);
    response.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html ?? 'Not found');
  });
  // "localhost", not 127.0.0.1: a different host as well as a different port.
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const hostOrigin = `http://localhost:${(host.address() as AddressInfo).port}`;

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Without the background-networking flags Chromium keeps dialling out of a closed network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

  return {
    api,
    apiOrigin,
    hostOrigin,
    hostPage(path, html) {
      pages.set(path, html);
      return `${hostOrigin}${path}`;
    },
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 900, height: 900 }, locale: 'en-GB' });
      const page = (await context.newPage()) as Page & { errors: string[] };
      page.errors = [];
      page.on('console', (message) => {
        if (message.type() === 'error') page.errors.push(message.text());
      });
      page.on('pageerror', (error) => page.errors.push(String(error)));
      return page;
    },
    async axe(page, context) {
      await page.addScriptTag({ content: axe.source });
      const violations = await page.evaluate(async (selector) => {
        const run = (window as unknown as { axe: typeof axe }).axe.run;
        const result = await run(selector ?? document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({
          id: v.id,
          impact: v.impact ?? '',
          help: v.help,
          nodes: v.nodes.map((n) => n.target.join(' ')),
        }));
      }, context);
      return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    },
    async screenshot(page, name, selector) {
      mkdirSync(screenshotDir, { recursive: true });
      const path = join(screenshotDir, `${name}.png`);
      if (selector) await page.locator(selector).screenshot({ path });
      else await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => host.close(() => resolve()));
      host.closeAllConnections();
      await served.close();
      await api.close();
    },
  };
}

/** A hub website's page that embeds the widgets with the one script tag the README shows. */
export function embeddingPage(apiOrigin: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8" />
    <title>A hub website</title>
    <link rel="icon" href="data:," />
    <script type="module" src="${apiOrigin}/embed/maths-hubs.js"></script>
    ${head}
  </head>
  <body>
    <main>
      <h1>A hub website</h1>
      ${body}
    </main>
  </body>
</html>`;
}
