import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { idempotencyMembers, loadBackupModel, operationNames, wireName } from '../../../sandbox/backup/model.js';

const vendored = fileURLToPath(new URL('../../../sandbox/backup/model/service-2.json', import.meta.url));
const reference = fileURLToPath(new URL('../../../../shared/reference/aws-backup/service-2.json', import.meta.url));

describe('the vendored Backup model', () => {
  it('is the reference model, member for member, when the reference is beside the repository', () => {
    // The copy is formatted differently (whitespace), so the JSON is compared, not the bytes.
    const copy: unknown = JSON.parse(readFileSync(vendored, 'utf8'));
    if (existsSync(reference)) expect(copy).toEqual(JSON.parse(readFileSync(reference, 'utf8')));
    expect(copy).toMatchObject({ metadata: { uid: 'backup-2018-11-15', protocol: 'rest-json' } });
  });

  it('is loaded once, with its 108 operations', () => {
    expect(loadBackupModel()).toBe(loadBackupModel());
    expect(operationNames()).toHaveLength(108);
    expect(operationNames()).toEqual(expect.arrayContaining(['ListBackupJobs', 'StartCopyJob', 'GetBackupPlan']));
  });

  it('refuses names it does not have, instead of answering undefined', () => {
    expect(() => loadBackupModel().operation('StartBackupJobs')).toThrow('no operation StartBackupJobs');
    expect(() => loadBackupModel().shape('toString')).toThrow('no shape toString');
  });
});

describe('idempotencyMembers', () => {
  it.each([
    { operation: 'StartBackupJob', members: ['IdempotencyToken'] },
    { operation: 'StartCopyJob', members: ['IdempotencyToken'] },
    { operation: 'CreateBackupPlan', members: ['CreatorRequestId'] },
    { operation: 'ListBackupJobs', members: [] },
    { operation: 'GetSupportedResourceTypes', members: [] },
  ])('$operation: $members', ({ operation, members }) => {
    expect(idempotencyMembers(operation)).toEqual(members);
  });
});

describe('wireName', () => {
  it('is the locationName when there is one, else the member name lower-camel-cased', () => {
    expect(wireName('MaxResults', { shape: 'MaxResults', location: 'querystring', locationName: 'maxResults' })).toBe(
      'maxResults',
    );
    expect(wireName('IdempotencyToken', { shape: 'string' })).toBe('idempotencyToken');
  });
});
