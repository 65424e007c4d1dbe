import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outOfScope, parseBackupEvent } from '../../../shared/events/index.js';

const SAMPLE_ACCOUNT = '1112233445566';
const load = (file: string, edit: (text: string) => string = (t) => t) =>
  parseBackupEvent(JSON.parse(edit(readFileSync(join(import.meta.dirname, '..', '..', '..', 'events', file), 'utf8'))));
const own = { accountId: SAMPLE_ACCOUNT, partition: 'aws' };

describe('outOfScope', () => {
  it.each(['backup-job.failed.json', 'copy-job.completed.json', 'copy-job.failed.json', 'restore-job.failed.json'])(
    "AWS's published %s is in scope for a function of its account and partition",
    (file) => {
      expect(outOfScope(load(file), own)).toBeUndefined();
    },
  );

  it('an event of another account is out of scope, unless the configuration names that account', () => {
    const event = load('backup-job.failed.json');
    expect(outOfScope(event, { accountId: '111122223333', partition: 'aws' })).toEqual({
      reason: 'foreign-account',
      detail: `event of account ${SAMPLE_ACCOUNT}; this function acts for 111122223333`,
    });
    expect(outOfScope(event, { accountId: '111122223333', partition: 'aws' }, [SAMPLE_ACCOUNT])).toBeUndefined();
  });

  it("in central mode another account's event is in scope; another partition and a vault of another account still are not", () => {
    const central = { accountId: '111122223333', partition: 'aws' };
    expect(outOfScope(load('backup-job.failed.json'), central, [], 'central')).toBeUndefined();
    expect(outOfScope(load('backup-job.failed.json'), central, [], 'account')).toMatchObject({
      reason: 'foreign-account',
    });
    const otherPartition = load('backup-job.failed.json', (t) => t.replace('arn:aws:backup:', 'arn:aws-cn:backup:'));
    expect(outOfScope(otherPartition, central, [], 'central')).toMatchObject({ reason: 'foreign-partition' });
    const foreignVault = load('copy-job.completed.json', (t) =>
      t.replace(
        /"sourceBackupVaultArn": "arn:aws:backup:([a-z0-9-]+):1112233445566:/,
        '"sourceBackupVaultArn": "arn:aws:backup:$1:999988887777:',
      ),
    );
    expect(outOfScope(foreignVault, central, [], 'central')).toMatchObject({ reason: 'vault-of-another-account' });
  });

  it('an ARN of another partition than the function is out of scope', () => {
    const event = load('backup-job.failed.json', (t) => t.replace('arn:aws:backup:', 'arn:aws-cn:backup:'));
    expect(outOfScope(event, own)).toMatchObject({ reason: 'foreign-partition' });
    expect(outOfScope(load('backup-job.failed.json'), { ...own, partition: 'aws-us-gov' })).toMatchObject({
      reason: 'foreign-partition',
    });
  });

  it("a vault of another account than the event's is out of scope", () => {
    const event = load('copy-job.completed.json', (t) =>
      t.replace(
        /"sourceBackupVaultArn": "arn:aws:backup:([a-z0-9-]+):1112233445566:/,
        '"sourceBackupVaultArn": "arn:aws:backup:$1:999988887777:',
      ),
    );
    expect(outOfScope(event, own)).toMatchObject({ reason: 'vault-of-another-account' });
  });
});
