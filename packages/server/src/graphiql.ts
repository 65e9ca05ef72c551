// GraphiQL as a small page and cacheable files. Yoga's renderer inlines 9 MB of scripts, styles,
// workers and icon into every page; here the page is a few kB and names its files by content
// hash, served from this server (it works offline and behind firewalls) with immutable cache
// headers and compressed once, on first use, with gzip and brotli.
import type { Plugin } from 'graphql-yoga';
import { fileResponse, type StaticFile, staticFile } from './static-files.ts';

interface Asset extends StaticFile {
  path: string;
}

const PREFIX = '/graphiql/';

function asset(name: string, ext: string, type: string, body: Buffer): Asset {
  const file = staticFile(type, body);
  return { ...file, path: `${PREFIX}${name}.${file.digest.slice(0, 16)}.${ext}` };
}

/**
 * GraphiQL's 9 MB of scripts, loaded on the first request for the page or a file: a server that
 * no browser visits never holds them (they were a fifth of the idle embedded server's memory).
 */
const loadAssets = (() => {
  let loading: Promise<{ assets: ReturnType<typeof build>; byPath: Map<string, Asset> }> | undefined;
  const build = (g: typeof import('@graphql-yoga/render-graphiql/graphiql')) => ({
    css: asset('graphiql', 'css', 'text/css; charset=utf-8', Buffer.from(g.css)),
    js: asset('graphiql', 'js', 'text/javascript; charset=utf-8', Buffer.from(g.js)),
    editorWorker: asset(
      'editor.worker',
      'js',
      'text/javascript; charset=utf-8',
      Buffer.from(g.editorWorkerService),
    ),
    jsonWorker: asset('json.worker', 'js', 'text/javascript; charset=utf-8', Buffer.from(g.jsonWorker)),
    graphqlWorker: asset(
      'graphql.worker',
      'js',
      'text/javascript; charset=utf-8',
      Buffer.from(g.graphqlWorker),
    ),
    icon: asset(
      'favicon',
      'ico',
      'image/x-icon',
      Buffer.from(g.favicon.replace(/^data:[^,]*;base64,/, ''), 'base64'),
    ),
  });
  return () =>
    (loading ??= import('@graphql-yoga/render-graphiql/graphiql').then((g) => {
      const assets = build(g);
      return { assets, byPath: new Map(Object.values(assets).map((a) => [a.path, a])) };
    }));
})();

/** The page: GraphiQL's options inline, everything else by reference. */
export async function renderGraphiQLPage(
  options: Record<string, unknown> & { title?: string },
): Promise<string> {
  const { assets: ASSETS } = await loadAssets();
  const json = JSON.stringify(options ?? {}).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${(options?.title ?? 'GraphiQL').replace(/[<&"]/g, '')}</title>
    <link rel="icon" href="${ASSETS.icon.path}" />
    <link rel="stylesheet" href="${ASSETS.css.path}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script>
      self.MonacoEnvironment = {
        globalAPI: false,
        getWorkerUrl: function (moduleId, label) {
          return ${JSON.stringify({
            editorWorkerService: ASSETS.editorWorker.path,
            json: ASSETS.jsonWorker.path,
            graphql: ASSETS.graphqlWorker.path,
          })}[label];
        },
      };
    </script>
    <script src="${ASSETS.js.path}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${json});
    </script>
  </body>
</html>`;
}

/** Serves GraphiQL's files: immutable (their names change with their content), compressed once. */
export function useGraphiQLAssets(): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(PREFIX)) return;
      const found = (await loadAssets()).byPath.get(url.pathname);
      if (!found || (request.method !== 'GET' && request.method !== 'HEAD')) {
        endResponse(new fetchAPI.Response('Not found\n', { status: 404 }));
        return;
      }
      endResponse(
        fileResponse(
          request,
          found,
          { 'cache-control': 'public, max-age=31536000, immutable' },
          fetchAPI.Response,
        ),
      );
    },
  };
}
