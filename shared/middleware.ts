import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger.js';
import { metrics } from './metrics.js';

/** What middy hands a handler beside the event and context. */
export interface InvocationOptions {
  /** Aborted shortly before Lambda's timeout: pass it to every SDK call as `abortSignal`. */
  readonly signal: AbortSignal;
}

/** A handler body before the base stack wraps it. */
export type HandlerBody<TEvent, TResult> = (
  event: TEvent,
  context: Context,
  options: InvocationOptions,
) => Promise<TResult>;

/** Sets the log correlation id to the EventBridge event id (or a direct invocation's `id`). */
const correlationId = (): middy.MiddlewareObj<unknown> => ({
  before: (request) => {
    const event = request.event as { id?: unknown } | null;
    if (event && typeof event === 'object' && typeof event.id === 'string') logger.setCorrelationId(event.id);
  },
});

/**
 * The base middy stack every handler uses: Lambda context in logs (keys reset per invocation),
 * correlation id = the event id, EMF metrics flushed with a cold-start metric, and an abort signal
 * armed 1 s before the Lambda timeout so in-flight SDK calls stop cleanly.
 *
 * @example export const handler = withBaseStack(async (event, _ctx, { signal }) => decide(event, signal));
 */
export const withBaseStack = <TEvent, TResult>(body: HandlerBody<TEvent, TResult>): MiddyfiedHandler<TEvent, TResult> =>
  middy<TEvent, TResult>(body as never, { timeoutEarlyInMillis: 1000 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlationId() as middy.MiddlewareObj<TEvent, TResult>)
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
