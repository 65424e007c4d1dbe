import { describe, expect, it, vi } from 'vitest';
import { type FaultErrors, underFault } from '../../../sandbox/http/play-fault.js';
import { ServiceError } from '../../../sandbox/http/stand-in.js';

const errors: FaultErrors = {
  throttle: (operation) => new ServiceError('Slow', `slow down on ${operation}`, 400),
  serverError: (status) => new ServiceError(`Down${status}`, 'down', status),
};

describe('underFault', () => {
  it('without a fault runs the effect and answers its output', async () => {
    const effect = vi.fn(async () => 'done');
    await expect(underFault(undefined, errors, 'Op', effect)).resolves.toEqual({ output: 'done' });
    expect(effect).toHaveBeenCalledTimes(1);
  });

  it("throttle and server-error throw the service's error before any effect (503 unless 500 is asked)", async () => {
    const effect = vi.fn(() => 'done');
    await expect(underFault({ kind: 'throttle' }, errors, 'Op', effect)).rejects.toMatchObject({
      code: 'Slow',
      message: 'slow down on Op',
    });
    await expect(underFault({ kind: 'server-error' }, errors, 'Op', effect)).rejects.toMatchObject({ status: 503 });
    await expect(underFault({ kind: 'server-error', status: 500 }, errors, 'Op', effect)).rejects.toMatchObject({
      code: 'Down500',
    });
    expect(effect).not.toHaveBeenCalled();
  });

  it('crash-caller skips the effect; drop-after-effect runs it and loses the answer', async () => {
    const effect = vi.fn(() => 'done');
    await expect(underFault({ kind: 'crash-caller' }, errors, 'Op', effect)).resolves.toEqual({ lost: 'crashed' });
    expect(effect).not.toHaveBeenCalled();
    await expect(underFault({ kind: 'drop-after-effect' }, errors, 'Op', effect)).resolves.toEqual({
      lost: 'connection dropped',
    });
    expect(effect).toHaveBeenCalledTimes(1);
  });

  it('latency waits, then runs the effect', async () => {
    const started = Date.now();
    await expect(underFault({ kind: 'latency', ms: 30 }, errors, 'Op', () => 1)).resolves.toEqual({ output: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
