// What hub websites load from the API's own origin: the widgets' ES module
// (GET /embed/maths-hubs.js) and the example reporting dashboard (GET /examples/dashboard).
// packages/embed builds both from the SDK at install time (`pnpm install`, `pnpm build`); the
// files are read once, on first request, and kept in memory.
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'graphql-yoga';
import { fileResponse, type StaticFile, staticFile } from './static-files.ts';

const JS = 'text/javascript; charset=utf-8';
const built = new URL('../../embed/dist/', import.meta.url);

interface Route {
  file: string;
  type: string;
  /** Any origin may load it (a module script from another origin needs CORS). */
  crossOrigin: boolean;
}

const ROUTES: Record<string, Route> = {
  '/embed/maths-hubs.js': { file: 'maths-hubs.js', type: JS, crossOrigin: true },
  '/embed/maths-hubs.js.map': { file: 'maths-hubs.js.map', type: 'application/json', crossOrigin: true },
  '/examples/dashboard': {
    file: 'dashboard/index.html',
    type: 'text/html; charset=utf-8',
    crossOrigin: false,
  },
  '/examples/dashboard/': {
    file: 'dashboard/index.html',
    type: 'text/html; charset=utf-8',
    crossOrigin: false,
  },
  '/examples/dashboard/dashboard.js': { file: 'dashboard/dashboard.js', type: JS, crossOrigin: false },
  '/examples/dashboard/dashboard.js.map': {
    file: 'dashboard/dashboard.js.map',
    type: 'application/json',
    crossOrigin: false,
  },
};

export function useEmbedAssets(): Plugin {
  const loaded = new Map<string, Promise<StaticFile | null>>();
  const load = (route: Route) => {
    let file = loaded.get(route.file);
    if (!file) {
      file = readFile(new URL(route.file, built)).then(
        (body) => staticFile(route.type, body),
        () => null,
      );
      loaded.set(route.file, file);
    }
    return file;
  };

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const route = ROUTES[url.pathname];
      if (!route) return;
      const cors: Record<string, string> = route.crossOrigin ? { 'access-control-allow-origin': '*' } : {};
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(
          new fetchAPI.Response('Only GET and HEAD are allowed here.\n', {
            status: 405,
            headers: { allow: 'GET, HEAD', ...cors },
          }),
        );
        return;
      }
      const file = await load(route);
      if (!file) {
        loaded.delete(route.file); // a later build is picked up without a restart
        endResponse(
          new fetchAPI.Response(
            `${url.pathname} has not been built on this server: run \`pnpm build\` (or \`pnpm install\`), then reload.\n`,
            {
              status: 503,
              headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '60', ...cors },
            },
          ),
        );
        return;
      }
      endResponse(
        fileResponse(
          request,
          file,
          {
            // The URL is fixed, so caches revalidate (ETag) after a few minutes to pick up a release.
            'cache-control': 'public, max-age=300',
            'x-content-type-options': 'nosniff',
            ...cors,
          },
          fetchAPI.Response,
        ),
      );
    },
  };
}
