// npm run invoke -- <function> [event.json] [--as user|host|admin]
// Runs one function against the database and stand-ins of a running `npm run dev`, as
// `sam local invoke` runs against real resources: a role route gets a real access token of
// a dev principal, a job route a real QStash signature.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SignJWT } from 'jose';
import { roles as ROLES, type Role } from '#lib/auth/roles';
import { describeAuth, rolesOf } from '#lib/http/contract';
import { functionName, type Route, routeKey, routes } from '#lib/routes';
import { buildContext } from '#local/runtime/apigw-event';
import { devEnvFile, readDevEnv } from '#local/runtime/dev-env';
import { createFunctionLoader } from '#local/runtime/functions';
import { root } from '#tools/root';

const usage = [
  'usage: npm run invoke -- <function> [event.json] [--as user|host|admin]',
  '  <function>  e.g. me/get-me (a file under functions/, as in the route table)',
  '  event.json  default: events/<function>.default.json',
  '  --as        the role to call a signed-in route as (a real token of a dev principal',
  "              replaces the event's Authorization); default: the route's first role",
  'Needs `npm run dev` running in another terminal: it uses the same database and stand-ins.',
].join('\n');

/** A refusal the user can act on: printed as is, no stack trace. */
class Refusal extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

function parseCommandLine() {
  const parsed = (() => {
    try {
      return parseArgs({ options: { as: { type: 'string' } }, allowPositionals: true });
    } catch (error) {
      throw new Refusal(`${(error as Error).message}\n${usage}`, 2);
    }
  })();
  const [fnArg, eventArg, ...extra] = parsed.positionals;
  if (!fnArg || extra.length > 0) throw new Refusal(usage, 2);
  const fn = fnArg.replace(/^functions\//, '').replace(/\.ts$/, '');
  const route = routes.find((r) => r.fn === fn || functionName(r.fn) === fn);
  if (!route) throw new Refusal(`No function ${fnArg} in the route table.\n${usage}`, 2);
  return { route, eventFile: eventArg, role: roleFor(route, parsed.values.as) };
}

/** The role to act as: `--as`, which the route must allow, else the route's first role. */
function roleFor(route: Route, as: string | undefined): Role | undefined {
  const auth = rolesOf(route.auth);
  if (auth.length === 0) {
    if (as !== undefined) {
      throw new Refusal(
        `--as does not apply to ${route.fn}: its auth is '${describeAuth(route.auth)}', not a list of roles.`,
        2,
      );
    }
    return undefined;
  }
  if (as === undefined) return auth[0];
  if (!ROLES.includes(as as Role)) {
    throw new Refusal(`--as ${as} is not a role; the roles are ${ROLES.join(', ')}.`, 2);
  }
  if (!auth.includes(as as Role)) {
    throw new Refusal(
      `${route.method} ${route.path} (${route.fn}) does not allow ${as}; it allows ${auth.join(', ')}.`,
      2,
    );
  }
  return as as Role;
}

/** The environment of the running dev; refuses, saying what is missing, when it is not up. */
async function devEnvironment(): Promise<Record<string, string>> {
  const file = devEnvFile();
  const shown = file.startsWith(`${root}${path.sep}`) ? path.relative(root, file) : file;
  const env = await readDevEnv(file);
  if (!env) {
    throw new Refusal(
      `${shown} not found: run \`npm run dev\` first (in another terminal), then invoke again.`,
    );
  }
  const api = env.PUBLIC_API_URL;
  if (!api) throw new Refusal(`${shown} has no PUBLIC_API_URL: restart \`npm run dev\`.`);
  const answered = await fetch(`${api}/health`, { signal: AbortSignal.timeout(3000) }).then(
    () => true,
    () => false,
  );
  if (!answered) {
    throw new Refusal(
      `npm run dev is not running: no answer at ${api}; start it in another terminal (${shown} is left from an earlier run).`,
    );
  }
  return env;
}

async function readEvent(file: string): Promise<APIGatewayProxyEventV2> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new Refusal(`No event file ${file}.\n${usage}`, 2);
  });
  try {
    return JSON.parse(text) as APIGatewayProxyEventV2;
  } catch (error) {
    throw new Refusal(`${file} is not JSON: ${(error as Error).message}`, 2);
  }
}

/**
 * A stable dev principal of the role, created on first use as a sign-in creates one (an
 * admin as `npm run admin:create` does), and a new sign-in of it: a real access token.
 */
async function signInAs(role: Role): Promise<{ email: string; id: string; token: string }> {
  // Imported only now: these read the environment (set from dev.env) when they load.
  const { findOrCreatePrincipal } = await import('#lib/auth/principals');
  const { startSession } = await import('#lib/auth/sessions');
  const { db, onlyRow, schema } = await import('#lib/db/index');
  const { sql } = await import('drizzle-orm');
  const email = `invoke-${role}@example.com`;
  const id =
    role === 'admin'
      ? onlyRow(
          await db()
            .insert(schema.admins)
            .values({ email, name: 'Invoke Admin' })
            .onConflictDoUpdate({ target: schema.admins.email, set: { updatedAt: sql`now()` } })
            .returning({ id: schema.admins.id }),
        ).id
      : await findOrCreatePrincipal({ role, email });
  if (!id) throw new Refusal(`Could not find or create the ${role} ${email}.`);
  const { accessToken } = await startSession(role, id);
  return { email, id, token: accessToken };
}

/**
 * An `Upstash-Signature` as QStash makes one: HS256 with the signing key, issuer Upstash,
 * subject the exact URL, the body's SHA-256 (base64url) in `body`, valid for five minutes.
 */
async function qstashSignature(key: string, url: string, body: Buffer): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ body: createHash('sha256').update(body).digest('base64url') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject(url)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 5 * 60)
    .setJti(`jwt_${randomBytes(18).toString('base64url')}`)
    .sign(new TextEncoder().encode(key));
}

/** Signs the delivery as QStash would deliver it to `${PUBLIC_API_URL}${rawPath}`, a new message. */
async function signAsQStash(event: APIGatewayProxyEventV2, env: Record<string, string>) {
  const key = env.QSTASH_CURRENT_SIGNING_KEY;
  if (!key) throw new Refusal('dev.env has no QSTASH_CURRENT_SIGNING_KEY: restart `npm run dev`.');
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const url = `${env.PUBLIC_API_URL}${event.rawPath}${query}`;
  const messageId = `msg_invoke_${randomBytes(12).toString('hex')}`;
  event.headers = {
    ...event.headers,
    'upstash-signature': await qstashSignature(key, url, body),
    'upstash-message-id': messageId,
  };
  return { url, messageId };
}

async function main() {
  const { route, eventFile, role } = parseCommandLine();
  const env = await devEnvironment();
  // Functions parse their config at cold start: the environment comes first.
  Object.assign(process.env, env);
  const event = await readEvent(eventFile ?? path.join(root, 'events', `${route.fn}.default.json`));
  event.headers ??= {};
  // The stack reads the route's auth by its key: the event is for this function's route.
  event.routeKey = routeKey(route);
  if (event.requestContext) event.requestContext.routeKey = routeKey(route);

  if (role) {
    const who = await signInAs(role);
    event.headers.authorization = `Bearer ${who.token}`;
    console.error(`as ${role} ${who.email} (${who.id})`);
  } else if (route.auth.kind === 'qstash') {
    const signed = await signAsQStash(event, env);
    console.error(`as QStash: message ${signed.messageId} to ${signed.url}`);
  }

  const loader = createFunctionLoader();
  try {
    const handler = await loader.load(route.fn);
    const result = await handler(
      event,
      buildContext(functionName(route.fn), route.memory, route.timeout),
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await loader.close();
  }
}

try {
  await main();
} catch (error) {
  if (error instanceof Refusal) {
    console.error(error.message);
    process.exit(error.exitCode);
  }
  console.error(`invoke failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
