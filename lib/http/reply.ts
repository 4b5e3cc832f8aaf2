/** What a handler returns; the stack turns it into an API Gateway response. */
export interface Reply<S extends number = number, B = unknown> {
  status: S;
  body?: B;
  headers?: Record<string, string>;
  cookies?: string[];
}

export const ok = <B>(body: B, headers?: Record<string, string>): Reply<200, B> => ({
  status: 200,
  body,
  ...(headers ? { headers } : {}),
});
export const created = <B>(body: B): Reply<201, B> => ({ status: 201, body });
export const accepted = <B>(body: B): Reply<202, B> => ({ status: 202, body });
export const noContent = (): Reply<204, undefined> => ({ status: 204 });
