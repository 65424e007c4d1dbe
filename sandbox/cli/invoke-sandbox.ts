import { isRecord } from '../../shared/objects.js';
import type { FunctionPool } from '../lambda/pool.js';
import { Sandbox } from '../sandbox.js';
import { seedFromEvent } from '../seed-from-event.js';
import type { InvokeSandbox, SandboxContext } from './invoke.js';

const timeOf = (value: unknown): number | undefined => {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : at;
};

const eventTime = (event: unknown): number | undefined =>
  isRecord(event) ? (timeOf(event.time) ?? timeOf(event.scheduledTime)) : undefined;

const creationTime = (event: unknown): number | undefined =>
  isRecord(event) && isRecord(event.detail) ? timeOf(event.detail.creationDate) : undefined;

/**
 * `npm run invoke -- <function> <event> --sandbox`: the stand-ins in the event's account and Region,
 * seeded with the job the event is about, on a clock one minute after the event, so one of AWS's
 * sample events runs the function the way AWS would. The report lists every AWS call the function
 * made and everything it changed.
 */
export const startInvokeSandbox = async (ctx: SandboxContext): Promise<InvokeSandbox> => {
  const now = (eventTime(ctx.event) ?? Date.parse('2026-12-01T08:00:00Z')) + 60_000;
  // The stand-in starts when the job was created and plays it to the state the event reports.
  const start = Math.min(now, creationTime(ctx.event) ?? now);
  const sandbox = await Sandbox.start({
    start,
    account: ctx.account,
    region: ctx.region,
    stackName: ctx.stackName,
    parameterOverrides: ctx.parameterOverrides,
  });
  // Only the invoked event reaches a function: the jobs seeded from it change state silently.
  sandbox.bus.lose(() => true, 'npm run invoke delivers only the event it was given');
  const seeded = seedFromEvent(sandbox.backup.store, ctx.event);
  sandbox.backup.engine.advanceTo(now);
  return {
    environment: sandbox.endpointEnvironment(),
    credentials: (container) => sandbox.credentialsFor(ctx.target.logicalId, container),
    clock: () => sandbox.clock.ms(),
    attach: (pool: FunctionPool) => sandbox.attachPool(ctx.target.logicalId, pool),
    close: () => sandbox.close(),
    report: () => {
      const calls = sandbox.calls.list({ caller: ctx.target.logicalId });
      const lines = [
        `sandbox: account ${ctx.account}, ${ctx.region}, clock ${sandbox.clock.now().toISOString()}`,
        `  seeded from the event: ${seeded.length > 0 ? seeded.join(', ') : 'nothing'}`,
        `  AWS calls (${calls.length}):`,
        ...calls.map(
          (c) =>
            `    ${c.service}.${c.operation} ${c.region} -> ${c.status}${c.error ? ` ${c.error}` : ''}${c.fault ? ` (fault ${c.fault})` : ''}`,
        ),
      ];
      for (const message of sandbox.sns.published()) {
        lines.push(`  published to ${message.topicArn}: ${message.subject ?? '(no subject)'}`);
      }
      for (const schedule of sandbox.scheduler.schedules()) lines.push(`  schedule created: ${schedule.name}`);
      return lines.join('\n');
    },
  };
};
