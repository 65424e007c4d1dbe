import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Container, type InvokeOutcome, type LogLine } from '../../../sandbox/lambda/container.js';
import { lambdaRuntime } from '../../../sandbox/paths.js';
import { aSpec, credentials, fixtureBundle, isRunning } from './fixtures/spec.js';

const started: Container[] = [];
const aContainer = (...args: ConstructorParameters<typeof Container>): Container => {
  const container = new Container(...args);
  started.push(container);
  return container;
};
afterEach(async () => {
  await Promise.all(started.splice(0).map((c) => c.kill()));
});

const failed = (outcome: InvokeOutcome) => {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.result)}`);
  return outcome;
};

describe('Container', () => {
  it('runs the handler with Lambda environment and context, answers its result, then reuses the process', async () => {
    // Prepare
    const lines: LogLine[] = [];
    const container = aContainer('FixtureFunction-1', aSpec(), { credentials, onLog: (line) => lines.push(line) });

    // Act
    const first = await container.invoke({ action: 'context' }, { requestId: 'req-1' });
    const second = await container.invoke({ action: 'throw', what: 'this' }, { requestId: 'req-2' });
    const third = await container.invoke({ action: 'log' }, { requestId: 'req-3' });

    // Assess: the result, as JSON went over the wire
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const result = first.result as Record<string, Record<string, unknown> & { [k: string]: unknown }>;
    expect(first).toMatchObject({ requestId: 'req-1', container: 'FixtureFunction-1', coldStart: true });
    expect(result.context).toEqual({
      awsRequestId: 'req-1',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:sandbox-fixture',
      functionName: 'sandbox-fixture',
      functionVersion: '$LATEST',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/sandbox-fixture',
      logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
      callbackWaitsForEmptyEventLoop: true,
    });
    // Remaining time counts down from the function's timeout, in real time.
    expect(result.first).toBeLessThanOrEqual(5_000);
    expect(result.first).toBeGreaterThan(4_000);
    expect(Number(result.second)).toBeLessThanOrEqual(Number(result.first) - 25);
    // Exactly the function's environment plus what Lambda defines: nothing of the test runner's.
    const env = result.env as Record<string, string>;
    expect(env).toMatchObject({
      VAULT_NAME: 'primary',
      NODE_OPTIONS: '--enable-source-maps',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'sandbox-fixture',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      LAMBDA_TASK_ROOT: fixtureBundle('.').replace(/\/\.$/, ''),
      _HANDLER: 'handler.handler',
      TZ: ':UTC',
    });
    expect(env.POWERTOOLS_DEV).toBeUndefined();
    expect(env.VITEST).toBeUndefined();
    expect(result.argv).toEqual([]);
    // Node is started as Lambda's bootstrap starts it for 256 MB, less --expose-gc (node-args.ts).
    expect(result.execArgv).toEqual([
      '--max-http-header-size=81920',
      '--max-semi-space-size=12',
      '--max-old-space-size=231',
    ]);
    expect(result.heapLimitMb).toBeGreaterThan(231);
    expect(result.heapLimitMb).toBeLessThan(300);
    // Init logs belong to the cold start's invocation.
    expect(first.logs).toEqual([expect.stringContaining('"message":"init"')]);

    // Assess: a thrown error is Lambda's error payload; the same warm process served it.
    const error = failed(second);
    expect(error).toMatchObject({ kind: 'error', coldStart: false, container: 'FixtureFunction-1' });
    expect(error.error).toMatchObject({ errorType: 'RefusedError', errorMessage: 'refused this' });
    expect(error.error.stackTrace?.[0]).toBe('RefusedError: refused this');

    // Assess: stdout and stderr lines of the invocation, an unterminated last line included.
    expect(third.ok && third.result).toEqual({ logged: true });
    expect(third.logs).toHaveLength(3);
    expect(third.logs).toEqual(
      expect.arrayContaining(['{"level":"INFO","message":"one"}', '{"level":"ERROR","message":"two"}', 'unterminated']),
    );
    expect(lines.filter((l) => l.requestId === 'req-3').map((l) => l.stream)).toEqual(
      expect.arrayContaining(['stdout', 'stderr', 'stdout']),
    );
    expect(lines.find((l) => l.line.includes('"init"'))).toMatchObject({
      stream: 'stdout',
      container: 'FixtureFunction-1',
    });
    expect(lines.find((l) => l.line.includes('"init"'))?.requestId).toBeUndefined();
    expect(container.state).toBe('idle');
  });

  it("kills a process that outlives the function's timeout, with Lambda's message", async () => {
    // Prepare
    const container = aContainer('FixtureFunction-2', aSpec({ timeoutMs: 300 }));

    // Act
    const outcome = failed(await container.invoke({ action: 'sleep', ms: 5_000 }, { requestId: 'req-t' }));

    // Assess
    expect(outcome.kind).toBe('timeout');
    expect(outcome.error).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: req-t Error: Task timed out after 0.30 seconds',
    });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(290);
    expect(outcome.durationMs).toBeLessThan(3_000);
    expect(container.state).toBe('dead');
  });

  it('ends the invocation in flight as a crash when killed, and serves nothing afterwards', async () => {
    // Prepare
    const container = aContainer('FixtureFunction-3', aSpec());
    await container.start();

    // Act
    const pending = container.invoke({ action: 'sleep', ms: 5_000 }, { requestId: 'req-k' });
    await new Promise((done) => setTimeout(done, 50));
    await container.kill();
    const outcome = failed(await pending);
    const after = failed(await container.invoke({}, { requestId: 'req-after' }));

    // Assess
    expect(outcome).toMatchObject({
      kind: 'crash',
      error: {
        errorType: 'Runtime.ExitError',
        errorMessage: 'RequestId: req-k Error: Runtime exited with error: signal: killed',
      },
    });
    expect(after.kind).toBe('crash');
  });

  it("sizes the heap from the function's memory: a function that outgrows it dies, as on Lambda", async () => {
    // Prepare
    const container = aContainer('FixtureFunction-20', aSpec({ memoryMb: 128 }));

    // Act
    const outcome = failed(await container.invoke({ action: 'allocate' }, { requestId: 'req-m' }));

    // Assess: V8 stops at the 116 MB old space Lambda's bootstrap gives 128 MB, and aborts the process.
    expect(outcome).toMatchObject({
      kind: 'crash',
      error: {
        errorType: 'Runtime.ExitError',
        errorMessage: 'RequestId: req-m Error: Runtime exited with error: signal: aborted',
      },
    });
    expect(outcome.logs).toContainEqual(expect.stringContaining('JavaScript heap out of memory'));
    expect(container.state).toBe('dead');
  });

  it('fails the invocation with an uncaught error and retires the environment (the runtime exits)', async () => {
    const container = aContainer('FixtureFunction-4', aSpec());

    const outcome = failed(await container.invoke({ action: 'unhandled' }, { requestId: 'req-u' }));

    expect(outcome.kind).toBe('error');
    expect(outcome.error).toMatchObject({ errorType: 'TypeError', errorMessage: 'nobody caught this' });
    expect(container.state).toBe('dead');
  });

  it.each([
    {
      case: 'module scope throws',
      spec: aSpec({ bundle: fixtureBundle('broken-init.mjs') }),
      error: { errorType: 'ConfigError', errorMessage: 'SETTING is required' },
      logs: ['loading'],
    },
    {
      case: 'export missing',
      spec: aSpec({ handlerExport: 'nothing' }),
      error: { errorType: 'Runtime.HandlerNotFound', errorMessage: 'handler.nothing is undefined or not exported' },
      logs: [expect.stringContaining('"init"')],
    },
    {
      case: 'bundle missing',
      spec: aSpec({ bundle: fixtureBundle('absent.mjs') }),
      error: { errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'absent'" },
      logs: [],
    },
  ])('reports an init failure like Lambda: $case', async ({ spec, error, logs }) => {
    const container = aContainer('FixtureFunction-5', spec);

    const outcome = failed(await container.invoke({}, { requestId: 'req-i' }));

    expect(outcome).toMatchObject({ kind: 'init', coldStart: true, error });
    expect(outcome.logs).toEqual(logs);
    expect(container.state).toBe('dead');
  });
});

describe('worker.mjs', () => {
  it('exits when its parent dies, even by SIGKILL (no orphan execution environments)', async () => {
    // Prepare: a parent that forks the worker, prints its pid once it is ready, then kills itself.
    const parent = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { fork } from 'node:child_process';
         const child = fork(${JSON.stringify(lambdaRuntime.worker)}, [], {
           execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
           env: { LAMBDA_TASK_ROOT: ${JSON.stringify(dirname(fixtureBundle()))}, _HANDLER: 'handler.handler' },
         });
         child.on('message', (m) => { if (m.type === 'ready') { console.log(child.pid); process.kill(process.pid, 'SIGKILL'); } });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    parent.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });

    // Act
    await once(parent, 'close');
    const pid = Number(out.trim());
    const deadline = Date.now() + 3_000;
    while (isRunning(pid) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
    const alive = isRunning(pid);

    // Assess
    expect(pid).toBeGreaterThan(0);
    expect(alive).toBe(false);
  });
});
