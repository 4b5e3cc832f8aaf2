/**
 * The route table: every HTTP route of the API, once. CDK, the local gateway, the docs
 * and the tests read it; the handler stack reads the auth requirement from it.
 */
export type Role = 'user' | 'host' | 'admin';

/** Who may call a route: anyone, a signed-in principal of one of the roles, or QStash. */
export type Auth = 'public' | 'qstash' | readonly Role[];

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: Method;
  /** API Gateway syntax: `/listings/{id}`. */
  path: string;
  /** Function file under `functions/`, without extension. */
  fn: string;
  auth: Auth;
  /** Lambda memory in MB. */
  memory: number;
  /** Lambda timeout in seconds (API Gateway stops waiting at 30). */
  timeout: number;
  description: string;
}

const defaults = { memory: 512, timeout: 10 } as const;

const table: Array<Omit<Route, 'memory' | 'timeout'> & Partial<Route>> = [
  {
    method: 'GET',
    path: '/health',
    fn: 'health/get-health',
    auth: 'public',
    memory: 256,
    description: 'Liveness and dependency status',
  },
  ...(['cleanup', 'send-email', 'send-sms', 'send-push'] as const).map((job) => ({
    method: 'POST' as const,
    path: `/jobs/${job}`,
    fn: `jobs/${job}`,
    auth: 'qstash' as const,
    memory: 256,
    timeout: 30,
    description: `Background job ${job}, called by QStash`,
  })),
];

export const routes: readonly Route[] = table.map((r) => ({ ...defaults, ...r }));

export const routeKey = (r: Pick<Route, 'method' | 'path'>) => `${r.method} ${r.path}`;

const byKey = new Map(routes.map((r) => [routeKey(r), r]));

export function findRoute(key: string): Route | undefined {
  return byKey.get(key);
}

/** A stable name for a route's function: `health/get-health` → `health-get-health`. */
export const functionName = (fn: string) => fn.replaceAll('/', '-');
