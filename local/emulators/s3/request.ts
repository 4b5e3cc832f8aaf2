import type http from 'node:http';
import { S3Error } from '#local/emulators/s3/errors';

/** A request as SigV4 signs it: the method, the path as sent and the decoded query pairs. */
export interface RequestLine {
  method: string;
  rawPath: string;
  query: [string, string][];
}

/** Raw query pairs, decoded; `+` stays a plus, as SigV4 clients encode a space as %20. */
export function parseQuery(raw: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([decode(name), decode(value)]);
  }
  return pairs;
}

export function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
}

export function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
