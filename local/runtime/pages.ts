import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { root } from '#tools/root';

export interface Page {
  type: string;
  body: string | Buffer;
}

/** Answers a path with a page of the local tools, or undefined for the API to answer it. */
export type Pages = (method: string, path: string) => Promise<Page | undefined>;

const CHAT_FILES: Record<string, [file: string, type: string]> = {
  '/chat': ['index.html', 'text/html; charset=utf-8'],
  '/chat/': ['index.html', 'text/html; charset=utf-8'],
  '/chat/chat.js': ['chat.js', 'text/javascript; charset=utf-8'],
};

/**
 * The local pages: the chat (`local/chat/`, plain HTML and JS that sign in over the API and
 * talk to the WebSocket gateway at `wsUrl`) and the API's OpenAPI document at
 * `/openapi.json`. Only `npm run dev` and the tests serve them; they ship nowhere.
 */
export function chatPages(wsUrl: string): Pages {
  return async (method, urlPath) => {
    if (method !== 'GET') return undefined;
    if (urlPath === '/openapi.json') {
      // What `npm run openapi` wrote: the reference of this API.
      return {
        type: 'application/json',
        body: await readFile(path.join(root, 'docs', 'openapi.json')),
      };
    }
    if (urlPath === '/chat/config.json') {
      return { type: 'application/json', body: JSON.stringify({ wsUrl }) };
    }
    const file = CHAT_FILES[urlPath];
    if (!file) return undefined;
    return { type: file[1], body: await readFile(path.join(root, 'local', 'chat', file[0])) };
  };
}
