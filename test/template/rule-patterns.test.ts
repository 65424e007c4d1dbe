import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePattern } from '../../sandbox/template/event-pattern.js';
import { functionsOf } from '../../sandbox/template/functions.js';
import { readTemplate } from '../../sandbox/template/parse.js';
import { resolveTemplate, type TemplateContext } from '../../sandbox/template/resolve.js';
import { rulePatternProblems, type Sample } from './support/template-checks.js';

const root = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(root, 'template.yaml'), 'utf8');
const accounts = { stack: '111122223333', other: '444455556666' };
const ctx: TemplateContext = { stackName: 'autopilot', account: accounts.stack, region: 'us-west-2' };
const functionsFrom = (templateText: string, parameterOverrides?: Record<string, string>) =>
  functionsOf(resolveTemplate(templateText, { ...ctx, parameterOverrides }));

// AWS's published samples, verbatim (events/README.md gives each one's source), plus the scheduler
// inputs of events/ that no rule may match.
const samples: Sample[] = readdirSync(join(root, 'events'))
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ file, event: JSON.parse(readFileSync(join(root, 'events', file), 'utf8')) }));

/** Which samples each rule is for, with the template's defaults (RetryStates FAILED,EXPIRED). */
const FOR_DEFAULTS = {
  'RetryFailedJobFunction.BackupJobFailed': [
    'backup-job.expired.json',
    'backup-job.failed.child-job.json',
    'backup-job.failed.json',
    'backup-job.failed.throttled-start.json',
    'backup-job.failed.transient.json',
  ],
  'RetryFailedJobFunction.CopyJobFailed': ['copy-job.failed.json'],
  // Restore events say `status`, not `state` (events/restore-job.failed.json).
  'RetryFailedJobFunction.RestoreJobFailed': ['restore-job.failed.json'],
  // A scan that failed, or finished with THREATS_FOUND: AWS's COMPLETED sample found threats, its
  // COMPLETED_WITH_ISSUES sample found none (events/README.md).
  'RetryFailedJobFunction.ScanJobAlert': ['scan-job.completed.json', 'scan-job.failed.json'],
  'StartCopyJobFunction.BackupJobCompleted': ['backup-job.completed.json', 'backup-job.completed.prod-ebs.json'],
  'StartCopyJobFunction.CopyJobCompleted': [
    'copy-job.completed.hop-1-to-staging.json',
    'copy-job.completed.hop-2-to-staging-2.json',
    'copy-job.completed.json',
  ],
};

describe('every EventBridge rule of template.yaml against every sample event of events/', () => {
  it('has samples of every kind, from the stack account and from others', () => {
    expect(samples.length).toBeGreaterThan(20);
    // AWS's samples carry several accounts (one 13 digits long): the checks set the account themselves.
    expect(new Set(samples.map((sample) => sample.event.account)).size).toBeGreaterThan(1);
  });

  it('has only valid patterns (what PutRule accepts)', () => {
    for (const fn of functionsFrom(text)) {
      for (const rule of fn.rules)
        expect([`${fn.logicalId}.${rule.name}`, validatePattern(rule.pattern)]).toEqual([
          `${fn.logicalId}.${rule.name}`,
          [],
        ]);
    }
  });

  it('matches exactly the samples each rule is for, from the stack account only (defaults)', () => {
    expect(rulePatternProblems(functionsFrom(text), samples, FOR_DEFAULTS, accounts)).toEqual([]);
  });

  it('follows RetryStates: every problem state adds its samples to the retry rule, and nothing else', () => {
    const all = functionsFrom(text, { RetryStates: 'FAILED,EXPIRED,ABORTED,PARTIAL' });
    const expected = {
      ...FOR_DEFAULTS,
      'RetryFailedJobFunction.BackupJobFailed': [
        'backup-job.aborted.json',
        ...FOR_DEFAULTS['RetryFailedJobFunction.BackupJobFailed'],
        'backup-job.partial.derived.json',
      ],
    };
    expect(rulePatternProblems(all, samples, expected, accounts)).toEqual([]);
  });
});

describe('the rule check itself, on broken copies of template.yaml', () => {
  const raw = readTemplate(text) as { Resources: Record<string, { Properties: { Events: Record<string, unknown> } }> };
  /** template.yaml with one rule's pattern replaced. */
  const withPattern = (fn: string, event: string, edit: (pattern: Record<string, unknown>) => void) => {
    const broken = structuredClone(raw);
    const rule = broken.Resources[fn]?.Properties.Events[event] as { Properties: { Pattern: Record<string, unknown> } };
    edit(rule.Properties.Pattern);
    return functionsFrom(JSON.stringify(broken));
  };

  it('reports a rule that matches samples it is not for (detail-type dropped)', () => {
    const broken = withPattern('StartCopyJobFunction', 'BackupJobCompleted', (pattern) => {
      delete pattern['detail-type'];
    });
    expect(rulePatternProblems(broken, samples, FOR_DEFAULTS, accounts)).toEqual([
      'StartCopyJobFunction.BackupJobCompleted matches copy-job.completed.hop-1-to-staging.json',
      'StartCopyJobFunction.BackupJobCompleted matches copy-job.completed.hop-2-to-staging-2.json',
      'StartCopyJobFunction.BackupJobCompleted matches copy-job.completed.json',
    ]);
  });

  it('reports a rule that misses its samples (restore rule on `state`, as backup events say)', () => {
    const broken = withPattern('RetryFailedJobFunction', 'RestoreJobFailed', (pattern) => {
      pattern.detail = { state: ['FAILED'] };
    });
    expect(rulePatternProblems(broken, samples, FOR_DEFAULTS, accounts)).toEqual([
      'RetryFailedJobFunction.RestoreJobFailed misses restore-job.failed.json',
    ]);
  });

  it("reports a rule that takes other accounts' events (account filter dropped)", () => {
    const broken = withPattern('RetryFailedJobFunction', 'CopyJobFailed', (pattern) => {
      delete pattern.account;
    });
    expect(rulePatternProblems(broken, samples, FOR_DEFAULTS, accounts)).toEqual([
      'RetryFailedJobFunction.CopyJobFailed matches copy-job.failed.json from another account (444455556666)',
    ]);
  });

  it('reports a rule nobody said what it is for, and an expected rule that is gone', () => {
    const { 'StartCopyJobFunction.CopyJobCompleted': _, ...fewer } = FOR_DEFAULTS;
    expect(rulePatternProblems(functionsFrom(text), samples, { ...fewer, 'X.Y': [] }, accounts)).toEqual([
      'StartCopyJobFunction.CopyJobCompleted: a rule no expectation names (say which samples it is for)',
      'X.Y: expected a rule the template does not have',
    ]);
  });
});
