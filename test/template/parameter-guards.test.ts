import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../sandbox/template/parse.js';
import { parameterProblems as problemsFor, TEMPLATE_TEXT as text } from './support/parameters.js';

// Values the template used to accept and every cold start then refused: CloudFormation now refuses
// them at CreateStack, before anything is deployed. The functions' own refusals are tested in their
// config tests; here, the template says the same.

describe('list Parameters refuse an item listed twice, as the functions do', () => {
  it.each([
    [
      'RetryStates',
      'FAILED,EXPIRED,ABORTED,PARTIAL',
      ['FAILED,FAILED', 'FAILED,EXPIRED,FAILED', 'ABORTED,PARTIAL,PARTIAL'],
    ],
    [
      'PostSummaryRegions',
      'us-east-1,us-east-2,eu-west-1,ap-southeast-1',
      ['us-east-1,us-east-1', 'eu-west-1,us-east-1,eu-west-1', 'us-east-1,us-east-2,us-east-2'],
    ],
    ['PostSummaryChannels', 'sns,json', ['sns,sns', 'sns,json,sns', 'json,json']],
  ])('%s: accepts distinct items, refuses a repeat wherever it is', (name, distinct, repeats) => {
    expect(problemsFor({ [name]: distinct })).toEqual([]);
    for (const value of repeats) {
      const problems = problemsFor({ [name]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^Parameter '${name}' failed to satisfy constraint: .*each at most once`));
      expect(problems[0]).toContain(`(got ${JSON.stringify(value)})`);
    }
  });

  it("takes a Region code with one or two final digits, as the function's REGION does", () => {
    expect(problemsFor({ PostSummaryRegions: 'us-east-1,xx-south-12' })).toEqual([]);
    expect(problemsFor({ PostSummaryRegions: 'xx-south-123' })).toHaveLength(1);
  });

  it('tells an item from one it ends (bb-cc-1 and aa-bb-cc-1 are two Regions)', () => {
    expect(problemsFor({ PostSummaryRegions: 'aa-bb-cc-1,bb-cc-1' })).toEqual([]);
    expect(problemsFor({ PostSummaryRegions: 'bb-cc-1,aa-bb-cc-1' })).toEqual([]);
  });

  it('checks a value of the most CloudFormation takes without blowing up', () => {
    const declared = readTemplate(text) as { Parameters: Record<string, { AllowedPattern: string }> };
    const pattern = new RegExp(`^(?:${declared.Parameters.PostSummaryRegions?.AllowedPattern})$`, 'u');
    // 4,096 bytes of distinct Regions: the lookahead compares every pair once.
    const regions = Array.from(
      { length: 300 },
      (_, i) => `xx-region${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}-1`,
    );
    const value = regions
      .join(',')
      .slice(0, 4096)
      .replace(/,[^,]*$/, '');
    const started = performance.now();
    expect(pattern.test(value)).toBe(true);
    expect(pattern.test(`${value},${regions[0]}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('webhook secret Parameters refuse a webhook host in any case', () => {
  it.each(['PostSummarySlackWebhookSecret', 'PostSummaryTeamsWebhookSecret'])('%s', (name) => {
    for (const value of [
      'team/HOOKS.SLACK.COM',
      'Hooks.Slack.Com-services-T000',
      'x-Webhook.Office.com',
      'prod-LOGIC.AZURE.COM',
      'PowerPlatform.com',
      'a-hooks.SLACK-gov.com',
    ]) {
      const problems = problemsFor({ [name]: value });
      expect(problems, value).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^Parameter '${name}' failed to satisfy constraint: must be the name`));
    }
    expect(problemsFor({ [name]: 'backup-autopilot/slack-webhook' })).toEqual([]);
  });
});

describe('the Rules CloudFormation checks before it deploys', () => {
  it('refuses empty copy rules, naming the way to say none', () => {
    expect(problemsFor({ StartCopyJobCopyRules: '' })).toEqual([
      'Rule CopyRulesNeedAValue: StartCopyJobCopyRules may not be empty. Write [] for no copy rules, or name the SSM parameter that holds them in StartCopyJobCopyRulesParameterName.',
    ]);
    expect(problemsFor({ StartCopyJobCopyRules: '[]' })).toEqual([]);
    expect(
      problemsFor({ StartCopyJobCopyRules: '', StartCopyJobCopyRulesParameterName: '/backup-autopilot/copy-rules' }),
    ).toEqual([]);
  });

  it('refuses central mode without an organization, and the organization sweep without central mode', () => {
    expect(problemsFor({ DeploymentMode: 'central' })).toEqual([
      expect.stringMatching(/^Rule CentralModeNeedsOrganization: DeploymentMode central needs OrganizationId/),
    ]);
    expect(problemsFor({ RetrySweepOrganization: 'true' })).toEqual([
      expect.stringMatching(
        /^Rule OrganizationSweepNeedsCentralMode: RetrySweepOrganization true needs DeploymentMode central/,
      ),
    ]);
    expect(
      problemsFor({ DeploymentMode: 'central', OrganizationId: 'o-a1b2c3d4e5', RetrySweepOrganization: 'true' }),
    ).toEqual([]);
  });
});
