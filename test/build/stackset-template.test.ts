import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTemplate } from '../../sandbox/template/resolve.js';
import { prefixProblems, readProcessed, stackSetTemplate } from '../../scripts/stackset-template.mjs';
import { tierDoesNotRun } from '../support/tier.js';
import { sendProblems } from '../template/support/queue-access.js';
import { cloudFormationSenders } from '../template/support/queue-senders.js';
import { samTransform } from '../template/support/sam-transform.js';

const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'scripts', 'stackset-template.mjs');
// What a StackSet names each stack instance: StackSet-<stack set name>-<UUID>.
const INSTANCE = 'StackSet-backup-autopilot-0f8e6bb5-3b0c-4d2e-9a8f-2f1b6c7d8e9a';
const ctx = { stackName: INSTANCE, account: '111122223333', region: 'eu-west-1' };
const prefixes = { bucketPrefix: 'example-backup-autopilot-artifacts', namePrefix: 'backup-autopilot' };

describe('prefixProblems', () => {
  it.each([
    { case: 'usable prefixes', bucket: 'my-artifacts', name: 'backup-autopilot', problems: 0 },
    { case: 'an upper-case bucket', bucket: 'My-Artifacts', name: 'backup-autopilot', problems: 1 },
    { case: 'a bucket prefix too long for -<region>', bucket: 'a'.repeat(49), name: 'backup-autopilot', problems: 1 },
    { case: 'a name too long for <name>-retry-failed-job', bucket: 'my-artifacts', name: 'a'.repeat(48), problems: 1 },
    { case: 'a name with an underscore', bucket: 'my-artifacts', name: 'backup_autopilot', problems: 1 },
  ])('$case', ({ bucket, name, problems }) => {
    expect(prefixProblems(bucket, name)).toHaveLength(problems);
  });
});

describe('stackSetTemplate refuses what a StackSet cannot deploy', () => {
  it('a template that still has its Transform', () => {
    expect(() => stackSetTemplate({ Transform: 'AWS::Serverless-2016-10-31', Resources: {} }, prefixes)).toThrow(
      'the template still has Transform "AWS::Serverless-2016-10-31"',
    );
  });

  it('a function whose code is not in S3 (not packaged)', () => {
    const template = { Resources: { F: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'x' } } } } };
    expect(() => stackSetTemplate(template, prefixes)).toThrow('functions without Code.S3Bucket and S3Key');
  });

  it('bad prefixes, every problem at once', () => {
    expect(() => stackSetTemplate({ Resources: {} }, { bucketPrefix: 'A', namePrefix: '1' })).toThrow(
      /bucket prefix "A" .*; name prefix "1"/,
    );
  });

  it('reads get-template output whether it printed the template or its JSON text', () => {
    const template = { Resources: {} };
    expect(readProcessed(JSON.stringify(template))).toEqual(template);
    expect(readProcessed(JSON.stringify(JSON.stringify(template)))).toEqual(template);
  });
});

const sam = samTransform(join(root, 'template.yaml'), 'eu-west-1');
if (!sam.available) tierDoesNotRun('stackset-template: the SAM tier', sam.reason);
describe.runIf(sam.available)('template.yaml, processed, made into the StackSet template', () => {
  const processed = sam.available ? (JSON.parse(sam.json) as Record<string, unknown>) : {};
  delete processed.Transform; // what CloudFormation's processed stage leaves (cfn-lint's transform keeps it)

  // describe.runIf still collects this body on a machine without the transform: build nothing then.
  const stackSet = sam.available ? stackSetTemplate(processed, prefixes) : { Resources: {} };
  const text = JSON.stringify(stackSet);

  it('as processed, it cannot deploy under a StackSet instance name: its function names pass 64 characters', () => {
    const names = functionsOfProcessed(JSON.stringify(processed)).map((name) => name.length);
    expect(Math.max(...names)).toBeGreaterThan(64);
  });

  it('names every function, rule and schedule group from the name prefix, within 64 characters', () => {
    const resolved = resolveTemplate(text, ctx);
    const names = Object.values(resolved.resources).flatMap((resource) => {
      const p = resource.properties;
      return [
        p.FunctionName,
        resource.type === 'AWS::Events::Rule' ? p.Name : undefined,
        resource.type === 'AWS::Scheduler::ScheduleGroup' ? p.Name : undefined,
      ].filter((name): name is string => typeof name === 'string');
    });
    expect(names.length).toBeGreaterThanOrEqual(9);
    for (const name of names) {
      expect(name.startsWith('backup-autopilot-')).toBe(true);
      expect(name.length).toBeLessThanOrEqual(64);
    }
  });

  it('keeps only the generated topic name on the stack name, where the key policy matches it', () => {
    const left = [...text.matchAll(/[^"]*\$\{AWS::StackName\}[^"]*/g)].map((match) => match[0]);
    expect(left).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JavaScript template
      'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${AWS::StackName}-NotifyTopic-*',
    ]);
    expect(text).not.toContain('"AWS::StackName"');
  });

  it("takes each function's code from the bucket of its Region", () => {
    const functions = Object.values(stackSet.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      expect((fn.Properties as { Code: unknown }).Code).toMatchObject({
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JavaScript template
        S3Bucket: { 'Fn::Sub': 'example-backup-autopilot-artifacts-${AWS::Region}' },
      });
    }
  });

  it('still lets every sender of the encrypted queues use the key (rule ARNs and names agree)', () => {
    const resolved = resolveTemplate(text, ctx);
    const problems = cloudFormationSenders(resolved).flatMap((sender) => sendProblems(resolved, sender));
    expect(cloudFormationSenders(resolved).length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('runs from the command line, printing the template', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stackset-')), 'processed.json');
    writeFileSync(file, JSON.stringify(processed));
    const run = spawnSync('node', [script, file, prefixes.bucketPrefix], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(stackSet);
    const bad = spawnSync('node', [script, file, 'Bad_Bucket'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('stackset-template: bucket prefix "Bad_Bucket"');
  });
});

/** Function names of a processed template resolved under the StackSet instance's stack name. */
function functionsOfProcessed(text: string): string[] {
  const resolved = resolveTemplate(text, ctx);
  return Object.values(resolved.resources)
    .filter((r) => r.type === 'AWS::Lambda::Function')
    .map((r) => String(r.properties.FunctionName));
}
