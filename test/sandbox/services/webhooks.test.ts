import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretReader } from '../../../functions/post-summary/secrets.js';
import { postWebhook } from '../../../functions/post-summary/webhook.js';
import { type RunningSecretsManager, startSecretsManager } from '../../../sandbox/services/secrets-manager.js';
import { type RunningSsm, startSsm } from '../../../sandbox/services/ssm.js';
import { type RunningWebhooks, startWebhooks } from '../../../sandbox/services/webhooks.js';
import { clientConfig, HOME, sandboxServices } from './sandbox-services.js';

describe('webhook capture server', () => {
  const { shared } = sandboxServices(Date.UTC(2025, 5, 1, 12));
  let hooks: RunningWebhooks;

  beforeAll(async () => {
    hooks = await startWebhooks(shared);
  });
  afterAll(async () => {
    await hooks.close();
  });

  it('answers a scripted status sequence with Retry-After, then the channel normal answer', async () => {
    hooks.script('/slack/flaky', { statuses: [503, 429], retryAfterSeconds: 0 });
    const result = await postWebhook(
      hooks.url('/slack/flaky'),
      { text: 'hello' },
      { timeoutMs: 2000, retries: 3, baseDelayMs: 1 },
    );
    expect(result).toEqual({ ok: true, status: 200, attempts: 3 });
    const received = hooks.received().filter((r) => r.path === '/slack/flaky');
    expect(received.map((r) => r.status)).toEqual([503, 429, 200]);
    expect(received[0]).toMatchObject({
      channel: 'slack',
      method: 'POST',
      body: { text: 'hello' },
      at: shared.clock.ms(),
    });
    expect(received[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('sends the Retry-After header it was told to', async () => {
    hooks.script('/teams/busy', { statuses: [429], retryAfterSeconds: 7 });
    const first = await fetch(hooks.url('/teams/busy'), { method: 'POST', body: '{}' });
    const second = await fetch(hooks.url('/teams/busy'), { method: 'POST', body: 'not json' });
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '7']);
    // A Teams Workflows trigger accepts with 202.
    expect([second.status, second.headers.get('retry-after')]).toEqual([202, null]);
    expect(hooks.received().at(-1)).toMatchObject({ channel: 'teams', body: 'not json' });
  });

  it('answers a redirect with its Location, the target receiving nothing of it', async () => {
    hooks.script('/slack/moved', { answer: { kind: 'redirect', status: 307, location: hooks.url('/other/target') } });
    const response = await fetch(hooks.url('/slack/moved'), { method: 'POST', body: '{}', redirect: 'manual' });
    expect([response.status, response.headers.get('location')]).toEqual([307, hooks.url('/other/target')]);
    expect(hooks.received().filter((r) => r.path === '/other/target')).toEqual([]);
    expect(hooks.received().at(-1)).toMatchObject({ path: '/slack/moved', status: 307 });
  });

  it('streams a body of the size asked for, after the scripted statuses', async () => {
    hooks.script('/teams/chatty', { statuses: [503], answer: { kind: 'stream', status: 200, bytes: 200_000 } });
    const first = await fetch(hooks.url('/teams/chatty'), { method: 'POST', body: '{}' });
    expect([first.status, await first.text()]).toEqual([503, 'error']);
    const second = await fetch(hooks.url('/teams/chatty'), { method: 'POST', body: '{}' });
    expect(second.status).toBe(200);
    expect((await second.arrayBuffer()).byteLength).toBe(200_000);
    await expect
      .poll(() => hooks.streamed().filter((s) => s.path === '/teams/chatty'))
      .toEqual([{ path: '/teams/chatty', bytes: 200_000, closedEarly: false }]);
  });

  it('says when a client closed a streamed body early, having written only what the socket took', async () => {
    hooks.script('/slack/huge', { answer: { kind: 'stream', status: 500, bytes: 300 * 1024 * 1024 } });
    const response = await fetch(hooks.url('/slack/huge'), { method: 'POST', body: '{}' });
    await response.body?.cancel();
    await expect.poll(() => hooks.streamed().find((s) => s.path === '/slack/huge')?.closedEarly).toBe(true);
    expect(hooks.streamed().find((s) => s.path === '/slack/huge')?.bytes).toBeLessThan(32 * 1024 * 1024);
  });

  it('delays an answer past a sender timeout', async () => {
    hooks.script('/slack/slow', { delayMs: 300 });
    const result = await postWebhook(hooks.url('/slack/slow'), { text: 'x' }, { timeoutMs: 50, retries: 0 });
    expect(result).toMatchObject({ ok: false, error: 'timed out' });
  });
});

describe('webhook URLs read from the secret stand-ins by the toolkit', () => {
  const { shared } = sandboxServices();
  let secrets: RunningSecretsManager;
  let ssm: RunningSsm;

  beforeAll(async () => {
    secrets = await startSecretsManager(shared, { home: HOME });
    ssm = await startSsm(shared, { home: HOME });
  });
  afterAll(async () => {
    await secrets.close();
    await ssm.close();
  });

  it('reads a Secrets Manager JSON secret and an SSM SecureString', async () => {
    secrets.putSecret('slack-url', JSON.stringify({ url: 'http://127.0.0.1:9/slack/main' }));
    ssm.putParameter('/teams-url', 'http://127.0.0.1:9/teams/main', 'SecureString');
    const read = createSecretReader({
      secrets: new SecretsManagerClient(clientConfig(shared, secrets.url, 'PostSummaryFunction')),
      ssm: new SSMClient(clientConfig(shared, ssm.url, 'PostSummaryFunction')),
    });
    await expect(read({ store: 'secretsmanager', name: 'slack-url' })).resolves.toBe('http://127.0.0.1:9/slack/main');
    await expect(read({ store: 'ssm', name: '/teams-url' })).resolves.toBe('http://127.0.0.1:9/teams/main');
    await expect(read({ store: 'ssm', name: '/nope' })).rejects.toThrow(
      /^webhook secret ssm:\/n… \(5 characters\) could not be read \(ParameterNotFound, request [0-9a-f-]{36}\)$/,
    );
  });
});
