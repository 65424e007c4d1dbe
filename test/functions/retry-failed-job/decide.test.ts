import { afterAll, describe, expect, it } from 'vitest';
import { decide, MAX_WAITS, SKIP_REASONS } from '../../../functions/retry-failed-job/decide.js';
import { aConfig, aFailedJob, aRule, NOW, someFacts } from './builders.js';

const config = aConfig();

const seen = new Set<string>();

describe('decide: every outcome, one reason each', () => {
  afterAll(() => {
    // Every skip reason the decision can give is exercised by a row above.
    expect([...seen].sort()).toEqual([...SKIP_REASONS].sort());
  });

  it.each([
    ['state not configured', someFacts({ job: aFailedJob({ state: 'ABORTED' }) }), config, 'state-not-configured'],
    [
      'copy retries disabled',
      someFacts({ job: aFailedJob({ kind: 'copy', state: 'FAILED' }) }),
      aConfig({ RETRY_COPY_JOBS: 'false' }),
      'copy-retries-disabled',
    ],
    ['child of a composite job', someFacts({ job: aFailedJob({ parentJobId: 'parent-1' }) }), config, 'child-job'],
    ['resource type excluded', someFacts(), aConfig({ RETRY_EXCLUDE_RESOURCE_TYPES: 'EBS' }), 'excluded-resource-type'],
    [
      'resource type not included',
      someFacts(),
      aConfig({ RETRY_INCLUDE_RESOURCE_TYPES: 'RDS,EFS' }),
      'excluded-resource-type',
    ],
    ['vault excluded by glob', someFacts(), aConfig({ RETRY_EXCLUDE_VAULTS: 'prod-*' }), 'excluded-vault'],
    ['vault not included', someFacts(), aConfig({ RETRY_INCLUDE_VAULTS: 'aws/backup/*' }), 'excluded-vault'],
    [
      'deny wins over allow',
      someFacts(),
      aConfig({ RETRY_INCLUDE_VAULTS: 'prod-*', RETRY_EXCLUDE_VAULTS: 'prod-daily' }),
      'excluded-vault',
    ],
    ['account excluded', someFacts(), aConfig({ RETRY_EXCLUDE_ACCOUNTS: '111122223333' }), 'excluded-account'],
    ['account not included', someFacts(), aConfig({ RETRY_INCLUDE_ACCOUNTS: '999999999999' }), 'excluded-account'],
    [
      'not retryable (vault gone)',
      someFacts({
        job: aFailedJob({
          state: 'FAILED',
          statusMessage:
            '"Backup job failed because backup vault arn:aws:backup:us-east-1:111122223333:backup-vault:x does not exist."',
        }),
      }),
      config,
      'not-retryable',
    ],
    [
      'attempts exhausted',
      someFacts({ ledger: { attempts: 3, originalJobId: 'job-0', alerted: false } }),
      config,
      'attempts-exhausted',
    ],
    ['superseded by a newer backup', someFacts({ newerCompletedJobId: 'job-9' }), config, 'superseded'],
    [
      'the plan runs again within 6 h',
      someFacts({
        job: aFailedJob({ plan: { planId: 'p', ruleId: 'rule-1' } }),
        rule: aRule({ ScheduleExpression: 'cron(0 5 * * ? *)' }),
        nextPlanRun: new Date('2026-11-24T05:00:00Z'),
      }),
      config,
      'plan-runs-soon',
    ],
  ])('%s -> skip %s', (_name, facts, cfg, reason) => {
    seen.add(reason);
    const decision = decide(facts, cfg, NOW);
    expect(decision).toMatchObject({ outcome: 'skip', reason });
    if (decision.outcome === 'skip') expect(decision.detail.length).toBeGreaterThan(5);
  });

  it('retries a retryable failure, attempt 1, after the backoff', () => {
    const decision = decide(someFacts(), config, NOW);
    expect(decision).toMatchObject({ outcome: 'retry', attempt: 1, notBefore: new Date('2026-11-24T02:30:00Z') });
  });

  it.each([
    [0, 1, '2026-11-24T02:30:00Z'],
    [1, 2, '2026-11-24T03:00:00Z'],
    [2, 3, '2026-11-24T04:00:00Z'],
  ])('after %i attempts the next is %i, no earlier than %s (backoff x 2^(k-1))', (attempts, attempt, at) => {
    const decision = decide(someFacts({ ledger: { attempts, originalJobId: 'job-0', alerted: false } }), config, NOW);
    expect(decision).toMatchObject({ outcome: 'retry', attempt, notBefore: new Date(at) });
  });

  it('waits an hour, for the same attempt, while a job runs for the resource', () => {
    const decision = decide(
      someFacts({ activeJobId: 'job-8', ledger: { attempts: 1, originalJobId: 'job-0', alerted: false } }),
      config,
      NOW,
    );
    expect(decision).toMatchObject({
      outcome: 'wait',
      attempt: 2,
      wait: 1,
      until: new Date(NOW.getTime() + 3_600_000),
      activeJobId: 'job-8',
    });
    expect(decide(someFacts({ activeJobId: 'job-8', waited: 3 }), config, NOW)).toMatchObject({
      outcome: 'wait',
      attempt: 1,
      wait: 4,
    });
  });

  it(`starts the retry all the same after ${MAX_WAITS} looks (AWS queues it behind the running job)`, () => {
    const decision = decide(someFacts({ activeJobId: 'job-8', waited: MAX_WAITS }), config, NOW);
    expect(decision).toMatchObject({ outcome: 'retry', attempt: 1 });
  });

  it('leaves a job to its plan when the plan runs soon, even while another job runs', () => {
    const facts = someFacts({
      activeJobId: 'job-8',
      job: aFailedJob({ plan: { planId: 'p', ruleId: 'rule-1' } }),
      nextPlanRun: new Date('2026-11-24T05:00:00Z'),
    });
    expect(decide(facts, config, NOW)).toMatchObject({ outcome: 'skip', reason: 'plan-runs-soon' });
  });

  it('a newer completed job of the vault supersedes, whatever else runs', () => {
    const facts = someFacts({ activeJobId: 'job-8', newerCompletedJobId: 'job-9' });
    expect(decide(facts, config, NOW)).toMatchObject({ outcome: 'skip', reason: 'superseded' });
  });

  it('retries a plan job when the plan does not run again soon', () => {
    const facts = someFacts({
      job: aFailedJob({ plan: { planId: 'p', ruleId: 'rule-1' } }),
      rule: aRule({ ScheduleExpression: 'cron(0 1 * * ? *)' }),
      nextPlanRun: new Date('2026-11-25T01:00:00Z'),
    });
    expect(decide(facts, config, NOW).outcome).toBe('retry');
    expect(decide(facts, aConfig({ RETRY_SKIP_IF_NEXT_RUN_WITHIN_HOURS: '23' }), NOW)).toMatchObject({
      reason: 'plan-runs-soon',
    });
  });

  it('retries a FAILED copy job of a retryable cause', () => {
    const job = aFailedJob({
      kind: 'copy',
      state: 'FAILED',
      statusMessage: 'Too many copy jobs are in progress for this resource',
      copy: {
        sourceRecoveryPointArn: 'arn:aws:ec2:us-east-1::snapshot/snap-1',
        destinationVaultArn: 'arn:aws:backup:eu-west-1:222233334444:backup-vault:dr',
      },
    });
    expect(decide(someFacts({ job }), config, NOW)).toMatchObject({ outcome: 'retry', attempt: 1 });
  });

  it('is pure: same facts and clock, same decision', () => {
    const facts = someFacts();
    expect(decide(facts, config, NOW)).toEqual(decide(facts, config, NOW));
  });
});
