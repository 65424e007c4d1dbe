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

/**
 * Longest `id` taken as the correlation id. EventBridge's are UUIDs (36 characters); a direct
 * invocation's is whatever its caller sent, and it is copied into every log line the invocation
 * writes, before the handler has parsed anything: a megabyte of it made each line a megabyte.
 */
export const MAX_CORRELATION_ID_LENGTH = 256;

/**
 * Starts each invocation's log lines with its Lambda context (cold_start, function_*,
 * function_request_id) and no correlation id left from the one before.
 */
function lambdaContext(): middy.MiddlewareObj<unknown> {
  return {
    before: (request) => {
      logger.addContext(request.context);
    },
  };
}

/**
 * A ColdStart metric on the container's first invocation; the invocation's metrics written when it
 * ends, whether it returned or threw (a timeout included: middy runs onError for it).
 */
function publishMetrics(): middy.MiddlewareObj<unknown> {
  return {
    before: (request) => {
      metrics.captureColdStart(request.context.functionName);
    },
    after: () => {
      metrics.publish();
    },
    onError: () => {
      metrics.publish();
    },
  };
}

/**
 * Sets the log correlation id to the EventBridge event id (or a direct invocation's `id`), when it
 * is a string of at most {@link MAX_CORRELATION_ID_LENGTH} characters; a longer one is left out
 * (the handler's own parse refuses such an event id, naming it).
 */
function correlationId(): middy.MiddlewareObj<unknown> {
  return {
    before: (request) => {
      const event = request.event as { id?: unknown } | null;
      if (
        event &&
        typeof event === 'object' &&
        typeof event.id === 'string' &&
        event.id.length <= MAX_CORRELATION_ID_LENGTH
      ) {
        logger.setCorrelationId(event.id);
      }
    },
  };
}

/**
 * The base middy stack every handler uses: Lambda context in logs (keys reset per invocation),
 * correlation id = the event id, EMF metrics flushed with a cold-start metric, and an abort signal
 * armed 1 s before the Lambda timeout so in-flight SDK calls stop cleanly.
 *
 * @example export const handler = withBaseStack(async (event, _ctx, { signal }) => decide(event, signal));
 */
export function withBaseStack<TEvent, TResult>(body: HandlerBody<TEvent, TResult>): MiddyfiedHandler<TEvent, TResult> {
  return middy<TEvent, TResult>(body as never, { timeoutEarlyInMillis: 1000 })
    .use(lambdaContext() as middy.MiddlewareObj<TEvent, TResult>)
    .use(correlationId() as middy.MiddlewareObj<TEvent, TResult>)
    .use(publishMetrics() as middy.MiddlewareObj<TEvent, TResult>);
}
