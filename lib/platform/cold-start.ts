/**
 * Imported first by the two handler factories (lib/http/route.ts, lib/ws/route.ts): the
 * top-level await holds the handler module until the function's secrets are in
 * `process.env`, so the configuration parsed by `route(...)` at cold start has them. With no
 * SECRET_NAMES (local runs, tests) it does nothing.
 */
import { loadSecrets } from '#lib/platform/secrets';

await loadSecrets();
