/**
 * Secrets at cold start, from the AWS Parameters and Secrets Lambda Extension: a layer that
 * answers on localhost and caches what it fetched from Secrets Manager, so a function needs
 * no Secrets Manager client in its bundle. Reads `process.env` directly (this runs before the
 * configuration is parsed) and writes each secret into it, so `lib/platform/config` sees
 * them as it sees any variable. Locally nothing of this runs: variables come from the
 * environment as they always did.
 */

/** How long a cold start waits for the extension before it fails. */
const TIMEOUT_MS = 3000;

interface ExtensionAnswer {
  SecretString?: string;
}

/**
 * Loads `SECRET_NAMES` (each the secret `${SECRETS_PREFIX}${name}`) into `env`, in parallel.
 * Does nothing when the function was given no secrets. A secret it cannot read fails the
 * cold start with the secret's name (never its value).
 */
export async function loadSecrets(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const names = (env.SECRET_NAMES ?? '').split(',').filter((n) => n !== '');
  if (names.length === 0) return;
  const prefix = env.SECRETS_PREFIX ?? '';
  const token = env.AWS_SESSION_TOKEN;
  if (!token) throw new Error('secrets: AWS_SESSION_TOKEN is not set; cannot ask the extension');
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const values = await Promise.all(
    names.map(async (name) => {
      const secretId = `${prefix}${name}`;
      const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`;
      const response = await fetch(url, {
        headers: { 'X-Aws-Parameters-Secrets-Token': token },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      }).catch((error: unknown) => {
        throw new Error(`secrets: cannot reach the extension for ${secretId}`, { cause: error });
      });
      if (!response.ok) {
        throw new Error(`secrets: ${secretId} answered ${response.status}`);
      }
      const { SecretString } = (await response.json()) as ExtensionAnswer;
      if (typeof SecretString !== 'string') throw new Error(`secrets: ${secretId} has no string`);
      return [name, SecretString] as const;
    }),
  );
  // An optional service left off (no Sentry, no Termii) is a secret holding a blank.
  for (const [name, value] of values) if (value.trim() !== '') env[name] = value;
}
