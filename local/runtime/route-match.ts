import type { Route } from '#lib/routes';

export interface Match {
  route: Route;
  pathParameters: Record<string, string>;
}

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
  /** Higher is more specific: literal segments beat `{param}`, which beats `{proxy+}`. */
  rank: number[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const rank: number[] = [];
  const parts = route.path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy?.[1]) {
        names.push(greedy[1]);
        rank.push(0);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param?.[1]) {
        names.push(param[1]);
        rank.push(1);
        return '([^/]+)';
      }
      rank.push(2);
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    });
  return { route, regex: new RegExp(`^/${parts.join('/')}/?$`), names, rank };
}

function moreSpecific(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? -1;
    const y = b[i] ?? -1;
    if (x !== y) return x > y;
  }
  return false;
}

/** Finds the route API Gateway would pick for a method and path, as it ranks them. */
export function createMatcher(routes: readonly Route[]) {
  const compiled = routes.map(compile);
  return (method: string, path: string): Match | undefined => {
    let best: { c: Compiled; values: string[] } | undefined;
    for (const c of compiled) {
      if (c.route.method !== method) continue;
      const m = c.regex.exec(path);
      if (!m) continue;
      if (!best || moreSpecific(c.rank, best.c.rank)) best = { c, values: m.slice(1) };
    }
    if (!best) return undefined;
    const pathParameters: Record<string, string> = {};
    best.c.names.forEach((name, i) => {
      pathParameters[name] = decodeURIComponent(best.values[i] ?? '');
    });
    return { route: best.c.route, pathParameters };
  };
}
