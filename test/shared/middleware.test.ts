import { describe, expect, it, vi } from 'vitest';
import { logger } from '../../shared/logger.js';
import { metrics } from '../../shared/metrics.js';
import { MAX_CORRELATION_ID_LENGTH, withBaseStack } from '../../shared/middleware.js';
import { aContext } from '../fixtures/context.js';

describe('withBaseStack', () => {
  it('passes an abort signal, sets the correlation id from the event id and returns the body result', async () => {
    const setCorrelationId = vi.spyOn(logger, 'setCorrelationId');
    let seen: AbortSignal | undefined;
    const handler = withBaseStack(async (event: { id: string }, _context, { signal }) => {
      seen = signal;
      return { ok: event.id };
    });
    await expect(handler({ id: 'evt-1' }, aContext())).resolves.toEqual({ ok: 'evt-1' });
    expect(seen).toBeInstanceOf(AbortSignal);
    expect(setCorrelationId).toHaveBeenCalledWith('evt-1');
  });

  it('leaves out an id longer than MAX_CORRELATION_ID_LENGTH, which every log line would carry', async () => {
    const setCorrelationId = vi.spyOn(logger, 'setCorrelationId');
    const handler = withBaseStack(async () => 'ran');
    await expect(handler({ id: 'x'.repeat(MAX_CORRELATION_ID_LENGTH + 1) }, aContext())).resolves.toBe('ran');
    expect(setCorrelationId).not.toHaveBeenCalled();
    await handler({ id: 'x'.repeat(MAX_CORRELATION_ID_LENGTH) }, aContext());
    expect(setCorrelationId).toHaveBeenCalledWith('x'.repeat(MAX_CORRELATION_ID_LENGTH));
  });

  it('aborts the signal 1 s before the Lambda timeout and ends the invocation with a TimeoutError', async () => {
    const started = Date.now();
    let abortedAfterMs: number | undefined;
    const handler = withBaseStack(
      async (_event, _context, { signal }) =>
        new Promise<never>(() => {
          signal.addEventListener('abort', () => {
            abortedAfterMs = Date.now() - started;
          });
        }),
    );
    // 1.2 s left: the base stack keeps 1 s for in-flight calls to stop, so it aborts after about 200 ms.
    await expect(handler({}, aContext({ getRemainingTimeInMillis: () => 1200 }))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(abortedAfterMs).toBeGreaterThanOrEqual(150);
    expect(abortedAfterMs).toBeLessThan(1000);
  });

  it('lets errors through so Lambda retries and the OnFailure destination see them, and still writes the metrics', async () => {
    const publish = vi.spyOn(metrics, 'publish');
    const handler = withBaseStack(async () => {
      throw new Error('boom');
    });
    await expect(handler({}, aContext())).rejects.toThrow('boom');
    expect(publish).toHaveBeenCalledTimes(1);
    publish.mockRestore();
  });

  it('starts each invocation’s log lines with its context, asks for the cold-start metric and writes the metrics at the end', async () => {
    const addContext = vi.spyOn(logger, 'addContext');
    const coldStart = vi.spyOn(metrics, 'captureColdStart');
    const publish = vi.spyOn(metrics, 'publish');
    const order: string[] = [];
    addContext.mockImplementation(() => void order.push('context'));
    publish.mockImplementation(() => void order.push('publish'));
    const handler = withBaseStack(async () => void order.push('body'));
    await handler({}, aContext({ functionName: 'backup-autopilot-RetryFailedJob' }));
    expect(order).toEqual(['context', 'body', 'publish']);
    expect(coldStart).toHaveBeenCalledWith('backup-autopilot-RetryFailedJob');
    for (const spy of [addContext, coldStart, publish]) spy.mockRestore();
  });
});
