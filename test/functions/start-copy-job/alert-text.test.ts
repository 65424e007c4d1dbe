import { describe, expect, it } from 'vitest';
import { copyRefusedAlert } from '../../../functions/start-copy-job/alert-text.js';
import { BackupApiError } from '../../../shared/backup/index.js';
import { diagnoseApiError } from '../../../shared/diagnosis/index.js';
import { aPlannedCopy, DR_EU, STAGING } from './builders.js';

const denied = diagnoseApiError(
  new BackupApiError(
    'StartCopyJob',
    'AccessDeniedException',
    false,
    403,
    new Error('User is not authorized to perform: backup:CopyIntoBackupVault'),
  ),
);

describe('copyRefusedAlert', () => {
  it('says which copy AWS refused, why, and what to do', () => {
    const alert = copyRefusedAlert(aPlannedCopy(), denied);
    expect(alert.subject).toBe('Backup copy not started: prod-ebs -> local-dr (access-denied)');
    expect(alert.body).toMatchInlineSnapshot(`
      "AWS Backup refused to start a copy (rule "prod-ebs", hop 1 of 1).

      Destination: arn:aws:backup:us-west-2:111122223333:backup-vault:local-dr
      Recovery point: arn:aws:backup:us-east-1:111122223333:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45 (vault prod-daily, us-east-1)
      Role: arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole

      Cause: This toolkit's role is not allowed to make the call (IAM policy, SCP, vault access policy or key policy).
      AWS said: User is not authorized to perform: backup:CopyIntoBackupVault
      Remedy: Grant the function's role the action on the resource named in the error (its policy in template.yaml); check SCPs, the vault access policy and the KMS key policy; redeploy.

      This copy will not be tried again for this recovery point; later backups are copied as they complete."
    `);
    expect(alert.attributes).toEqual({
      kind: 'copy-failed-to-start',
      category: 'access-denied',
      account: '111122223333',
      rule: 'prod-ebs',
    });
  });

  it('names the hop and the vault this hop copies into on a route of several hops', () => {
    const copy = aPlannedCopy({ destinationVaultArn: DR_EU, hops: 2 }, { DestinationBackupVaultArn: STAGING });
    const alert = copyRefusedAlert(copy, denied);
    expect(alert.subject).toBe('Backup copy not started: prod-ebs -> dr (access-denied)');
    expect(alert.body).toContain('(rule "prod-ebs", hop 1 of 2)');
    expect(alert.body).toContain(`Destination: ${DR_EU}\nThis hop copies into: ${STAGING}`);
  });

  it('names the AWS Backup plan rule that made the source backup, when known', () => {
    const named = aPlannedCopy({ origin: { planId: 'plan-1', planName: 'daily-prod', ruleName: 'nightly' } });
    expect(copyRefusedAlert(named, denied).body).toContain(
      'Source backup made by AWS Backup plan daily-prod, rule nightly',
    );
    expect(copyRefusedAlert(aPlannedCopy(), denied).body).not.toContain('Source backup made by');
  });

  it('names every other route the refused copy would have served: they are blocked too', () => {
    const shared = aPlannedCopy({
      alsoFor: [
        { ruleName: 'prod-ebs', destinationVaultArn: DR_EU },
        { ruleName: 'audit', destinationVaultArn: STAGING },
      ],
    });
    expect(copyRefusedAlert(shared, denied).body).toContain(
      `Also blocked (routes sharing this copy): rule "prod-ebs" to ${DR_EU}; rule "audit" to ${STAGING}`,
    );
    expect(copyRefusedAlert(aPlannedCopy(), denied).body).not.toContain('Also blocked');
  });

  it('leaves out what AWS did not say', () => {
    const { statusMessage: _, ...silent } = denied;
    expect(copyRefusedAlert(aPlannedCopy(), silent).body).not.toContain('AWS said:');
  });
});
