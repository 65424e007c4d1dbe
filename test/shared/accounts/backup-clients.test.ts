import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { backupClientsFor } from '../../../shared/accounts/backup-clients.js';
import { ACCOUNT_DEPLOYMENT, type Deployment } from '../../../shared/accounts/deployment.js';
import { backupClientFor } from '../../../shared/backup/client.js';
import { functionIdentity } from '../../../shared/function-identity.js';

const sts = mockClient(STSClient);
const identity = functionIdentity({
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:999900001111:function:backup-autopilot-RetryFailedJob',
});
const CENTRAL: Deployment = {
  mode: 'central',
  memberRoleName: 'backup-autopilot-member',
  organizationId: 'o-a1b2c3d4e5',
};

describe('backupClientsFor', () => {
  it("account mode: the function's own client of the Region, whatever account is asked", () => {
    const clientFor = backupClientsFor(ACCOUNT_DEPLOYMENT, identity);
    expect(clientFor('eu-west-1', '444455556666')).toBe(backupClientFor('eu-west-1'));
    expect(clientFor('eu-west-1')).toBe(backupClientFor('eu-west-1'));
  });

  it("central mode: the own account keeps the function's credentials; a member's client signs with its member role", async () => {
    sts.reset();
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAMEMBER',
        SecretAccessKey: 's',
        SessionToken: 't',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    const clientFor = backupClientsFor(CENTRAL, identity);
    expect(clientFor('eu-west-1', '999900001111')).toBe(backupClientFor('eu-west-1'));
    const member = clientFor('eu-west-1', '444455556666');
    expect(member).not.toBe(backupClientFor('eu-west-1'));
    expect(clientFor('eu-west-1', '444455556666')).toBe(member);
    expect(clientFor('us-east-1', '444455556666')).not.toBe(member);
    expect(await member.config.region()).toBe('eu-west-1');
    const credentials = await member.config.credentials();
    expect(credentials.accessKeyId).toBe('ASIAMEMBER');
    // The other Region's client of the same account reuses the account's credentials: no second call.
    await clientFor('us-east-1', '444455556666').config.credentials();
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::444455556666:role/backup-autopilot-member',
      RoleSessionName: 'backup-autopilot-RetryFailedJob',
    });
  });
});
