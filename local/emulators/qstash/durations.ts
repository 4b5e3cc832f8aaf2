/** QStash's durations ("1h30m") and `Upstash-Retry-Delay` expressions. */
import { badRequest } from '#local/emulators/http';

/** No wait, whatever its source, exceeds a day. */
export const MAX_BACKOFF_MS = 86_400_000;

const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Parses QStash durations such as "10s", "2m", "1h30m" into milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (!/^(\d+(ms|s|m|h|d))+$/.test(trimmed)) throw badRequest(`invalid duration: ${text}`);
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(amount) * (DURATION_UNITS_MS[unit ?? 's'] ?? 0);
  }
  return total;
}

const RETRY_DELAY_FUNCTIONS: Record<string, (...args: number[]) => number> = {
  pow: Math.pow,
  sqrt: Math.sqrt,
  abs: Math.abs,
  exp: Math.exp,
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
  min: Math.min,
  max: Math.max,
};

export type RetryDelay = (retried: number) => number;

/**
 * Compiles an `Upstash-Retry-Delay` expression (milliseconds; arithmetic, `retried` and the
 * functions QStash documents). A recursive-descent parser rather than `eval`: the header is input.
 */
export function compileRetryDelay(expression: string): RetryDelay {
  const tokens = expression.match(/\d+(?:\.\d+)?|[A-Za-z_]+|[-+*/(),]|\S/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const take = (expected?: string) => {
    const token = tokens[position++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw badRequest(`invalid retry delay expression: ${expression}`);
    }
    return token;
  };
  const sum = (): RetryDelay => {
    let left = product();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      const l = left;
      const r = product();
      left = op === '+' ? (n) => l(n) + r(n) : (n) => l(n) - r(n);
    }
    return left;
  };
  const product = (): RetryDelay => {
    let left = unary();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      const l = left;
      const r = unary();
      left = op === '*' ? (n) => l(n) * r(n) : (n) => l(n) / r(n);
    }
    return left;
  };
  const unary = (): RetryDelay => {
    if (peek() === '-') {
      take();
      const inner = unary();
      return (n) => -inner(n);
    }
    return primary();
  };
  const primary = (): RetryDelay => {
    const token = take();
    if (token === '(') {
      const inner = sum();
      take(')');
      return inner;
    }
    if (/^\d/.test(token)) {
      const value = Number(token);
      return () => value;
    }
    if (token === 'retried') return (n) => n;
    const fn = RETRY_DELAY_FUNCTIONS[token];
    if (!fn) throw badRequest(`unknown name in retry delay expression: ${token}`);
    take('(');
    const args: RetryDelay[] = [sum()];
    while (peek() === ',') {
      take();
      args.push(sum());
    }
    take(')');
    return (n) => fn(...args.map((arg) => arg(n)));
  };
  const compiled = sum();
  if (position !== tokens.length) throw badRequest(`invalid retry delay expression: ${expression}`);
  return (retried) => {
    const value = compiled(retried);
    return Number.isFinite(value) ? Math.min(Math.max(0, value), MAX_BACKOFF_MS) : 0;
  };
}
