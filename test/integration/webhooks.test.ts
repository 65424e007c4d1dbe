/**
 * The summary function against hostile webhooks and misplaced webhook URLs, over the sandbox: the
 * real bundle in its own process, the webhook and secret stand-ins over real HTTP.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../sandbox/lambda/container.js';
import type { WebhookAnswer } from '../../sandbox/services/webhooks.js';
import { TemplateError } from '../../sandbox/template/template-error.js';
import { redact } from '../../shared/redact.js';
import { sandboxPerFile, startSandbox } from './support.js';

const SUMMARY = 'PostSummaryFunction';
const MB = 1024 * 1024;

/** The function's JSON log lines of one invocation (init lines included on a cold start). */
const jsonLogs = (outcome: InvokeOutcome): Record<string, unknown>[] =>
  outcome.logs.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as unknown;
      return parsed !== null && typeof parsed === 'object' ? [parsed as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });

/**
 * The peak resident memory (KiB) of the function's execution environments: `VmHWM` of
 * /proc/<pid>/status (proc(5)), the high-water mark Lambda's "Max Memory Used" reports, read for
 * this process's children whose environment names the function. Linux, as Lambda and CI are.
 */
const peakResidentKiB = (functionName: string): number => {
  let peak = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let status: string;
    let environ: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue; // a process that ended while listed, or another user's
    }
    if (!status.includes(`\nPPid:\t${process.pid}\n`)) continue;
    if (!environ.split('\0').includes(`AWS_LAMBDA_FUNCTION_NAME=${functionName}`)) continue;
    peak = Math.max(peak, Number(/\nVmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0));
  }
  if (peak === 0) throw new Error(`no process of ${functionName} found under /proc`);
  return peak;
};

/** The `summary delivery failed` log line of a channel. */
const failureLogged = (outcome: InvokeOutcome, channel: string) =>
  jsonLogs(outcome).find((line) => line.message === 'summary delivery failed' && line.channel === channel);

/** What a direct invocation returned about its deliveries. */
const deliveriesOf = (outcome: InvokeOutcome) => {
  if (!outcome.ok) throw new Error(`the summary failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
  return (outcome.result as { deliveries: { channel: string; ok: boolean; error?: string }[] }).deliveries;
};

/**
 * The failed channels of an invocation that failed for them, `channel (error)` each: with take-once
 * (here under the request id: `{}` is a window that ends now) a failed channel fails the invocation,
 * so that Lambda's retry delivers it (run.ts).
 */
const failedChannelsOf = (outcome: InvokeOutcome) => {
  if (outcome.ok) throw new Error(`the summary succeeded: ${JSON.stringify(outcome.result)}`);
  expect(outcome.error.errorType).toBe('SummaryDeliveryError');
  const failed =
    /^summary delivery failed on (?:some channels|every channel): (.*?)(?: \(delivered, not sent again: ([a-z, ]+)\))?$/.exec(
      outcome.error.errorMessage,
    );
  if (!failed) throw new Error(`not a delivery failure: ${outcome.error.errorMessage}`);
  return { failed: failed[1]?.split('; ') ?? [], delivered: failed[2]?.split(', ') ?? [] };
};

describe('a webhook that answers with a redirect or a huge body', () => {
  const SECRET = 'backup-autopilot/slack-webhook';
  const PATH = '/slack/T0000/B0000/hostile';
  const STOLEN = '/other/stolen';
  const sandbox = sandboxPerFile(
    {
      parameterOverrides: { PostSummaryChannels: 'sns,slack', PostSummarySlackWebhookSecret: SECRET },
      // One retry: a redirect retried or followed would show as a second request.
      environmentOverrides: { [SUMMARY]: { SUMMARY_WEBHOOK_RETRIES: '1' } },
    },
    (s) => s.secrets.putSecret(SECRET, s.webhooks.url(PATH)),
  );
  const requestsTo = (path: string) =>
    sandbox()
      .webhooks.received()
      .filter((r) => r.path === path);

  it.each([302, 307] as const)(
    'a %i is a failed delivery naming the status; the target receives nothing',
    async (status) => {
      const before = requestsTo(PATH).length;
      sandbox().webhooks.script(PATH, {
        answer: { kind: 'redirect', status, location: sandbox().webhooks.url(STOLEN) },
      });
      const { outcome } = await sandbox().invoke(SUMMARY, {});
      expect(failedChannelsOf(outcome)).toEqual({
        failed: [`slack (HTTP ${status} redirect refused (not followed))`],
        delivered: ['sns'],
      });
      expect(failureLogged(outcome, 'slack')).toMatchObject({ status, attempts: 1, level: 'ERROR' });
      expect(requestsTo(PATH).length - before).toBe(1);
      expect(requestsTo(STOLEN)).toEqual([]);
    },
  );

  /**
   * Invokes the summary with the webhook answering `answer`, in a container that served one ordinary
   * summary first, and returns the outcome with the container process's peak resident memory before
   * and after (KiB).
   */
  const invokeAgainst = async (answer: WebhookAnswer) => {
    sandbox().webhooks.script(PATH, {});
    await sandbox().invoke(SUMMARY, {});
    const before = peakResidentKiB(sandbox().function(SUMMARY).functionName);
    const streamed = sandbox().webhooks.streamed().length;
    sandbox().webhooks.script(PATH, { answer });
    const { outcome } = await sandbox().invoke(SUMMARY, {});
    const after = peakResidentKiB(sandbox().function(SUMMARY).functionName);
    await expect.poll(() => sandbox().webhooks.streamed().length).toBeGreaterThan(streamed);
    return { outcome, before, after, bodies: () => sandbox().webhooks.streamed().slice(streamed) };
  };

  /** The process stayed well inside the function's MemorySize, which Lambda enforces by ending it. */
  const expectWithinMemory = (before: number, after: number) => {
    expect(after).toBeLessThan(sandbox().function(SUMMARY).memoryMb * 1024);
    // Measured: about 87 MiB either way. Reading the whole body (Response.text()) peaked at 1 GiB.
    expect(after - before).toBeLessThan(64 * 1024);
  };

  it('a 300 MB error body: the function completes within its memory, having read 1 KiB of each attempt', async () => {
    const { outcome, before, after, bodies } = await invokeAgainst({ kind: 'stream', status: 503, bytes: 300 * MB });
    expect(failedChannelsOf(outcome)).toEqual({ failed: [`slack (HTTP 503 ${'x'.repeat(200)})`], delivered: ['sns'] });
    expect(failureLogged(outcome, 'slack')).toMatchObject({ status: 503, attempts: 2 });
    expectWithinMemory(before, after);
    await expect.poll(() => bodies().length).toBe(2);
    for (const body of bodies()) {
      expect(body).toMatchObject({ path: PATH, closedEarly: true });
      // What the socket took before the function closed it: kernel buffers, far from 300 MB.
      expect(body.bytes).toBeLessThan(32 * MB);
    }
  });

  it('a 300 MB success body is not read at all: the summary is delivered within its memory', async () => {
    const { outcome, before, after, bodies } = await invokeAgainst({ kind: 'stream', status: 200, bytes: 300 * MB });
    expect(deliveriesOf(outcome)).toEqual([
      { channel: 'sns', ok: true },
      { channel: 'slack', ok: true },
    ]);
    expectWithinMemory(before, after);
    expect(bodies()).toEqual([{ path: PATH, bytes: expect.any(Number), closedEarly: true }]);
    expect(bodies()[0]?.bytes).toBeLessThan(32 * MB);
  });
});

describe('a webhook URL without its scheme where the secret name belongs', () => {
  const PASTED = 'hooks.slack.com/services/T0000/B0000/XYZsecretXYZ';
  const sandbox = sandboxPerFile({
    // Set on the function as a person editing its environment would: the template refuses it (below).
    environmentOverrides: { [SUMMARY]: { SLACK_WEBHOOK_SECRET: PASTED } },
  });

  it('fails the cold start naming the setting, with the value redacted in the error and the logs', async () => {
    const { outcome } = await sandbox().invoke(SUMMARY, {});
    expect(outcome).toMatchObject({ ok: false, kind: 'init', coldStart: true });
    if (outcome.ok) return;
    expect(outcome.error.errorType).toBe('ConfigError');
    expect(outcome.error.errorMessage).toContain(
      `SLACK_WEBHOOK_SECRET looks like a URL or a host (got ${redact(PASTED)})`,
    );
    for (const text of [outcome.error.errorMessage, ...(outcome.error.stackTrace ?? []), ...outcome.logs]) {
      expect(text).not.toContain('XYZsecretXYZ');
    }
    // Nothing was read or sent.
    expect(sandbox().calls.list({ operation: 'GetSecretValue' })).toEqual([]);
    expect(sandbox().webhooks.received()).toEqual([]);
  });

  it('is refused at deploy by the template, naming the parameter', async () => {
    const error = await startSandbox({ parameterOverrides: { PostSummarySlackWebhookSecret: PASTED } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).problems).toEqual([
      expect.stringMatching(
        /^Parameter 'PostSummarySlackWebhookSecret' failed to satisfy constraint: must be the name of a Secrets Manager secret/,
      ),
    ]);
  });
});

describe('a webhook secret that cannot be read', () => {
  const SLACK = 'backup-autopilot/missing-slack-webhook';
  const TEAMS = '/backup-autopilot/missing-teams-webhook';
  const sandbox = sandboxPerFile({
    parameterOverrides: {
      PostSummaryChannels: 'sns,slack,teams',
      PostSummarySlackWebhookSecret: SLACK,
      PostSummaryTeamsWebhookSecret: `ssm:${TEAMS}`,
    },
  });

  it('fails its channel naming the secret redacted; no log line holds either name in full', async () => {
    const { outcome } = await sandbox().invoke(SUMMARY, {});
    const { failed, delivered } = failedChannelsOf(outcome);
    expect(delivered).toEqual(['sns']);
    expect(failed).toHaveLength(2);
    expect(failed[0]).toMatch(
      new RegExp(
        `^slack \\(WebhookSecretError: webhook secret secretsmanager:backup-a… \\(${SLACK.length} characters\\) could not be read \\(ResourceNotFoundException, request [0-9a-f-]{36}\\)\\)$`,
      ),
    );
    expect(failed[1]).toMatch(
      new RegExp(
        `^teams \\(WebhookSecretError: webhook secret ssm:/backup-… \\(${TEAMS.length} characters\\) could not be read \\(ParameterNotFound, request [0-9a-f-]{36}\\)\\)$`,
      ),
    );
    // The reads were made, by the names configured (the SDK may repeat one: not counted here).
    const inputs = (operation: string) =>
      new Set(
        sandbox()
          .calls.list({ operation })
          .map((c) => JSON.stringify(c.input)),
      );
    expect(inputs('GetSecretValue')).toEqual(new Set([JSON.stringify({ SecretId: SLACK })]));
    expect(inputs('GetParameter')).toEqual(new Set([JSON.stringify({ Name: TEAMS, WithDecryption: true })]));
    expect(failureLogged(outcome, 'slack')).toBeDefined();
    expect(failureLogged(outcome, 'teams')).toBeDefined();
    for (const line of outcome.logs) {
      expect(line).not.toContain(SLACK);
      expect(line).not.toContain(TEAMS);
    }
  });
});
