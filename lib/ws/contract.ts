import * as z from 'zod/mini';
import type { Use } from '#lib/http/contract';

/**
 * One route of the WebSocket API, as API Gateway selects it: `$connect`, `$disconnect`,
 * `$default`, or the value of `$request.body.action`. Like an HTTP contract it names its
 * function file and what it may touch; `body` is the frame's JSON (its `action` included).
 */
export interface WsContract {
  readonly routeKey: string;
  /** The function file under `functions/`, without extension. */
  readonly fn: string;
  readonly description: string;
  /**
   * `token`: `$connect` only, the access token in `?token=` (browsers cannot set headers on
   * a WebSocket). `connection`: every other route, the caller is the stored connection's.
   */
  readonly auth: 'token' | 'connection';
  readonly memory?: number;
  readonly timeout?: number;
  readonly uses?: readonly Use[];
  readonly body?: z.core.$ZodType;
}

/** Declares a WebSocket route, keeping its literal types for the handler it types. */
export const wsContract = <const C extends WsContract>(c: C): C => c;

/** API Gateway's route selection expression for this API. */
export const ROUTE_SELECTION = '$request.body.action';

/**
 * What every route sends its sender when it refuses a frame or fails (lib/ws/route.ts); the
 * frame that caused it gets no other answer.
 */
export const errorFrame = z
  .strictObject({
    type: z.literal('error'),
    code: z
      .string()
      .check(
        z.describe(
          'Stable: unauthorized (connect again), invalid_json, validation_failed, not_found, unknown_action, internal_error',
        ),
      ),
    message: z.string().check(z.describe('For people; validation_failed names the failing fields')),
  })
  .check(z.describe('To the sender only: its frame was refused or failed'));
export type ErrorFrame = z.output<typeof errorFrame>;
