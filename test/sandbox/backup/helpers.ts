import { type BackupStandInOptions, createBackupStandIn } from '../../../sandbox/backup/index.js';
import type { CallContext, SandboxServices } from '../../../sandbox/http/stand-in.js';
import { sandboxServices } from '../services/sandbox-services.js';

export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';
export const REGION = 'us-east-1';
export const START = Date.parse('2026-11-24T00:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const volume = (n: number, region = REGION, account = ACCOUNT) =>
  `arn:aws:ec2:${region}:${account}:volume/vol-${String(n).padStart(17, '0')}`;

/** A sandbox's shared services with a clock at START. */
export const services = (start = START): SandboxServices => sandboxServices(start).shared;

/** A Backup stand-in with one vault `main` in ACCOUNT/REGION, and a context maker for direct calls. */
export const sandbox = (options: BackupStandInOptions = {}) => {
  const shared = services();
  const backup = createBackupStandIn(shared, options);
  backup.store.addVault({ account: ACCOUNT, region: REGION, name: 'main' });
  const ctx = (account = ACCOUNT, region = REGION): CallContext => ({
    principal: { accessKeyId: `AKID${account}`, account, name: 'test' },
    region,
    now: shared.clock.ms(),
    requestId: 'req',
  });
  const call = <T = Record<string, unknown>>(op: string, input: object, context = ctx()): T => {
    const handle = backup.operations[op] as unknown as (i: object, c: CallContext) => T;
    return handle(input, { ...context, now: shared.clock.ms() });
  };
  return { shared, backup, store: backup.store, engine: backup.engine, ctx, call };
};
