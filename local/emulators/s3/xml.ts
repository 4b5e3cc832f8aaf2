import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { send } from '#local/emulators/http';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export const xmlEscape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

export const xmlUnescape = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()] ?? '';
    const code = entity[1] === 'x' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return String.fromCodePoint(code);
  });

export const el = (name: string, value: string | number | boolean) =>
  `<${name}>${xmlEscape(String(value))}</${name}>`;

export const xmlDocument = (root: string, inner: string, namespaced = true) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${namespaced ? ` xmlns="${XMLNS}"` : ''}>${inner}</${root}>`;

export function sendXml(
  res: ServerResponse,
  status: number,
  body: string,
  headers: OutgoingHttpHeaders = {},
): void {
  send(res, status, body, { ...headers, 'content-type': 'application/xml' });
}
