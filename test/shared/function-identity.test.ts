import { describe, expect, it } from 'vitest';
import { functionIdentity } from '../../shared/function-identity.js';

describe('functionIdentity', () => {
  it.each([
    {
      case: 'an unqualified ARN',
      arn: 'arn:aws:lambda:eu-west-1:111122223333:function:backup-autopilot-retry-failed-job',
      accountId: '111122223333',
      region: 'eu-west-1',
      partition: 'aws',
    },
    {
      case: 'an alias ARN in another partition',
      arn: 'arn:aws-us-gov:lambda:us-gov-west-1:444455556666:function:f:live',
      accountId: '444455556666',
      region: 'us-gov-west-1',
      partition: 'aws-us-gov',
    },
  ])('reads the account, Region and partition of $case', ({ arn, accountId, region, partition }) => {
    expect(functionIdentity({ invokedFunctionArn: arn })).toEqual({ functionArn: arn, accountId, region, partition });
  });
});
