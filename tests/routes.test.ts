import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeKey, routes, wsRoutes } from '#lib/routes';
import { root } from '#tools/root';

async function filesUnder(dir: string, ext: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => path.relative(path.join(root, dir), path.join(e.parentPath, e.name)));
}

describe('the route table', () => {
  it('lists every function file, and every entry has a file', async () => {
    const files = (await filesUnder('functions', '.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
    const inTable = [...routes, ...wsRoutes].map((r) => r.fn).sort();
    expect(files).toEqual(inTable);
  });

  it('has one entry per method and path', () => {
    const keys = routes.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('points every entry at a module that exports a handler', async () => {
    for (const r of [...routes, ...wsRoutes]) {
      const mod = await import(path.join(root, 'functions', `${r.fn}.ts`));
      expect(typeof mod.handler, `functions/${r.fn}.ts`).toBe('function');
    }
  });

  it('has a sample event under events/ for every route, with its route key', async () => {
    const events = await filesUnder('events', '.json');
    for (const r of routes) {
      const own = events.filter((e) => e.startsWith(`${r.fn}.`));
      expect(own.length, `events/${r.fn}.<case>.json`).toBeGreaterThan(0);
      for (const file of own) {
        const event = JSON.parse(await readFile(path.join(root, 'events', file), 'utf8'));
        expect(event.routeKey, file).toBe(routeKey(r));
      }
    }
  });

  it('has a sample event for every WebSocket route, with its route key, and unique keys', async () => {
    const keys = wsRoutes.map((r) => r.routeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(['$connect', '$disconnect', '$default']));
    const events = await filesUnder('events', '.json');
    for (const r of wsRoutes) {
      const own = events.filter((e) => e.startsWith(`${r.fn}.`));
      expect(own.length, `events/${r.fn}.<case>.json`).toBeGreaterThan(0);
      for (const file of own) {
        const event = JSON.parse(await readFile(path.join(root, 'events', file), 'utf8'));
        expect(event.requestContext.routeKey, file).toBe(r.routeKey);
      }
    }
  });
});
