/** Walks an error and its causes (drizzle wraps driver errors). */
function* chain(error: unknown): Generator<Record<string, unknown>> {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    yield current as Record<string, unknown>;
    const next = current as { cause?: unknown; sourceError?: unknown };
    current = next.cause ?? next.sourceError;
  }
}

/** The Postgres SQLSTATE of a database error, if it is one. */
export function pgCode(error: unknown): string | undefined {
  for (const e of chain(error)) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  for (const e of chain(error)) {
    if (typeof e.constraint === 'string') return e.constraint;
  }
  return undefined;
}

const UNREACHABLE =
  /Error connecting to database|fetch failed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Server error \(HTTP status 5|Connection terminated|timeout exceeded|WebSocket/i;

/** True when the database could not be reached or did not answer in time. */
export function isDbUnavailable(error: unknown): boolean {
  const code = pgCode(error);
  if (code) return code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code);
  for (const e of chain(error)) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
    if (typeof e.message === 'string' && UNREACHABLE.test(e.message)) return true;
  }
  return false;
}
