import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { root } from '#tools/root';

export interface Page {
  type: string;
  body: string | Buffer;
}

/** Answers a path with a page of the local tools, or undefined for the API to answer it. */
export type Pages = (method: string, path: string) => Promise<Page | undefined>;

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';

/** Files by path, relative to the repository: the pages, and the bundles they load. */
const FILES: Record<string, [file: string, type: string]> = {
  '/chat': ['local/chat/index.html', HTML],
  '/chat/': ['local/chat/index.html', HTML],
  '/chat/chat.js': ['local/chat/chat.js', JS],
  // What `npm run openapi` wrote: the reference of the HTTP and of the WebSocket API.
  '/openapi.json': ['docs/openapi.json', 'application/json'],
  '/asyncapi.json': ['docs/asyncapi.json', 'application/json'],
  '/docs': ['local/docs/index.html', HTML],
  '/docs/': ['local/docs/index.html', HTML],
  '/docs/ws': ['local/docs/ws.html', HTML],
  '/docs/assets/scalar.js': ['node_modules/@scalar/api-reference/dist/browser/standalone.js', JS],
  '/docs/assets/asyncapi.js': [
    'node_modules/@asyncapi/react-component/browser/standalone/index.js',
    JS,
  ],
  '/docs/assets/asyncapi.css': [
    'node_modules/@asyncapi/react-component/styles/default.min.css',
    'text/css; charset=utf-8',
  ],
};

/**
 * The local pages: the chat (`local/chat/`, plain HTML and JS that sign in over the API and
 * talk to the WebSocket gateway at `wsUrl`), the API's reference (`/docs`, the HTTP API by
 * Scalar; `/docs/ws`, the WebSocket API by AsyncAPI's React component; both bundles served
 * from node_modules, so the pages work offline) and the documents they render. Only
 * `npm run dev` and the tests serve them; they ship nowhere.
 */
export function chatPages(wsUrl: string): Pages {
  return async (method, urlPath) => {
    if (method !== 'GET') return undefined;
    if (urlPath === '/chat/config.json') {
      return { type: 'application/json', body: JSON.stringify({ wsUrl }) };
    }
    const file = FILES[urlPath];
    if (!file) return undefined;
    return { type: file[1], body: await readFile(path.join(root, file[0])) };
  };
}
