import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type InvokeIo, parseInvokeArgs, runInvoke } from '../../../sandbox/cli/invoke.js';
import { fixtureBundle } from '../lambda/fixtures/spec.js';

const dir = mkdtempSync(join(tmpdir(), 'invoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, json: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
};

/** Runs the command with captured output; the function bundle is the fixture unless told otherwise. */
const run = async (argv: string[], io: Partial<InvokeIo> = {}) => {
  let stdout = '';
  let stderr = '';
  const code = await runInvoke(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { PATH: process.env.PATH },
    cwd: dir,
    bundleOf: () => fixtureBundle(),
    ...io,
  });
  return { code, stdout, stderr };
};

describe('parseInvokeArgs', () => {
  it.each([
    { case: 'short form', argv: ['f', '--parameter-overrides', 'A=1', 'B=x=y'], expected: { A: '1', B: 'x=y' } },
    { case: 'one quoted string', argv: ['f', '--parameter-overrides', 'A=1 B=2'], expected: { A: '1', B: '2' } },
    {
      case: 'long form',
      argv: ['f', '--parameter-overrides', 'ParameterKey=LogLevel,ParameterValue=DEBUG', '--dry-run'],
      expected: { LogLevel: 'DEBUG' },
    },
  ])('reads --parameter-overrides: $case', ({ argv, expected }) => {
    expect(parseInvokeArgs(argv).parameterOverrides).toEqual(expected);
  });

  it('reads the function, the event (positional or -e) and the flags', () => {
    expect(parseInvokeArgs(['retry-failed-job', 'events/x.json', '--sandbox', '--dry-run'])).toMatchObject({
      functionName: 'retry-failed-job',
      eventFile: 'events/x.json',
      sandbox: true,
      dryRun: true,
      stackName: 'backup-autopilot',
    });
    expect(parseInvokeArgs(['f', '-e', 'e.json', '--stack-name', 's'])).toMatchObject({
      eventFile: 'e.json',
      stackName: 's',
    });
  });
});

describe('runInvoke', () => {
  it('prints the usage on --help', async () => {
    const { code, stdout } = await run(['--help']);

    expect(code).toBe(0);
    expect(stdout).toContain('Usage: npm run invoke -- <function>');
    expect(stdout).toContain('event is {}');
  });

  it('lists the functions of the template when the function does not exist', async () => {
    const { code, stderr } = await run(['NoSuchFunction']);

    expect(code).toBe(2);
    expect(stderr).toContain('NoSuchFunction is not a function of the template');
    expect(stderr).toContain('RetryFailedJobFunction (retry-failed-job)');
    expect(stderr).toContain('PostSummaryFunction (post-summary)');
  });

  it('lists the events when the event file does not exist', async () => {
    const { code, stderr } = await run(['retry-failed-job', 'events/backup-job.nope.json']);

    expect(code).toBe(2);
    expect(stderr).toContain('event file events/backup-job.nope.json does not exist');
    expect(stderr).toContain('events/backup-job.failed.json');
  });

  it.each([
    { case: 'unknown option', argv: ['retry-failed-job', '--sam'], message: 'unknown option --sam' },
    {
      case: '--sandbox without a sandbox',
      argv: ['retry-failed-job', '--sandbox'],
      message: '--sandbox is not available',
    },
    {
      case: 'a bad parameter value',
      argv: ['retry-failed-job', '--parameter-overrides', 'DryRun=maybe'],
      message: 'DryRun',
    },
  ])('refuses $case with status 2', async ({ argv, message }) => {
    const { code, stderr } = await run(argv);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('asks for a build when the bundle is missing', async () => {
    const { code, stderr } = await run(['post-summary'], { bundleOf: () => join(dir, 'dist', 'handler.mjs') });

    expect(code).toBe(2);
    expect(stderr).toContain('does not exist: run npm run build first');
  });

  it("runs the template's function with its environment, context and overrides, result on stdout, logs on stderr", async () => {
    // Prepare
    const event = file('context.json', { action: 'context', account: '444455556666' });
    const envVars = file('env.json', { PostSummaryFunction: { SUMMARY_WINDOW_HOURS: '48', NOT_DECLARED: 'x' } });

    // Act
    const { code, stdout, stderr } = await run(
      ['PostSummaryFunction', event, '--dry-run', '--env-vars', 'env.json', '--parameter-overrides', 'LogLevel=DEBUG'],
      { env: { PATH: process.env.PATH, AWS_PROFILE: 'ops', AWS_REGION: 'eu-central-1', DRY_RUN: 'false' } },
    );

    // Assess
    expect(envVars).toContain('env.json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { env: Record<string, string>; context: Record<string, string> };
    expect(result.context.invokedFunctionArn).toBe(
      'arn:aws:lambda:eu-central-1:444455556666:function:backup-autopilot-post-summary',
    );
    expect(result.context.functionName).toBe('backup-autopilot-post-summary');
    expect(result.context.memoryLimitInMB).toBe('512');
    expect(result.env).toMatchObject({
      DRY_RUN: 'true',
      SUMMARY_WINDOW_HOURS: '48',
      AWS_LAMBDA_LOG_LEVEL: 'DEBUG',
      AWS_PROFILE: 'ops',
      AWS_REGION: 'eu-central-1',
    });
    expect(result.env.NODE_OPTIONS).toBeUndefined();
    expect(result.env.NOT_DECLARED).toBeUndefined();
    expect(result.env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(stderr).toContain('"message":"init"');
    expect(stderr).toContain('PostSummaryFunction (context.json): succeeded');
  });

  it("exits 1 with Lambda's error payload on a handler error", async () => {
    const event = file('throw.json', { action: 'throw', what: 'that' });

    const { code, stdout } = await run(['retry-failed-job', 'throw.json'], {
      env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 's' },
    });

    expect(event).toContain('throw.json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      errorType: 'RefusedError',
      errorMessage: 'refused that',
      trace: expect.arrayContaining(['RefusedError: refused that']),
    });
  });

  it('runs against the sandbox the hook starts: its environment, its credentials, its report', async () => {
    // Prepare
    const event = file('sandbox.json', { action: 'context' });
    const closed: string[] = [];
    let attached = false;

    // Act
    const { code, stdout, stderr } = await run(['StartCopyJobFunction', event, '--sandbox'], {
      env: { PATH: process.env.PATH, AWS_PROFILE: 'must-not-leak' },
      startSandbox: async (context) => {
        expect(context.target.logicalId).toBe('StartCopyJobFunction');
        expect(context.functions.length).toBeGreaterThan(1);
        return {
          environment: { AWS_ENDPOINT_URL_BACKUP: 'http://127.0.0.1:1' },
          credentials: (id) => ({ accessKeyId: `KEY-${id}`, secretAccessKey: 's' }),
          attach: () => {
            attached = true;
          },
          close: async () => {
            closed.push('closed');
          },
          report: () => 'sandbox report',
        };
      },
    });

    // Assess
    expect(code).toBe(0);
    const { env } = JSON.parse(stdout) as { env: Record<string, string> };
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL_BACKUP: 'http://127.0.0.1:1',
      AWS_ACCESS_KEY_ID: 'KEY-StartCopyJobFunction-1',
    });
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(attached).toBe(true);
    expect(closed).toEqual(['closed']);
    expect(stderr).toContain('sandbox report');
  });
});
