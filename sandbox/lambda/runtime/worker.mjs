// One Lambda execution environment's runtime, without Docker: the parent (sandbox/lambda/container.ts)
// forks this file with an IPC channel and exactly the environment Lambda would give the function.
// Like Lambda's Node.js runtime (aws-lambda-nodejs-runtime-interface-client), it finds the code from
// LAMBDA_TASK_ROOT and _HANDLER, imports it once (the Init phase), then serves one invocation at a
// time. Plain JavaScript on purpose: the function's process loads only this file and the bundle
// (plus virtual-clock.mjs on the sandbox clock), never a TS loader or sandbox code.
//
// Protocol (IPC, JSON): parent -> {type: 'invoke', requestId, event, invokedFunctionArn, remainingMs, now?};
// worker -> {type: 'ready'} | {type: 'init-error', error} | {type: 'result', requestId, payload} |
// {type: 'error', requestId, error}. After init and after each invocation the worker writes an end
// marker on stdout and stderr, so the parent knows every log line of that phase has arrived.

import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const MARK = '\u0000sandbox-lambda-end:';
const clock = globalThis[Symbol.for('backup-autopilot.sandbox.virtual-clock')];
// Real wall time even under the virtual clock (performance stays real): the deadline is real time.
const realNow = () => performance.timeOrigin + performance.now();

const marker = (phase) =>
  new Promise((done) => {
    process.stdout.write(`${MARK}${phase}\n`, () => process.stderr.write(`${MARK}${phase}\n`, () => done()));
  });

const send = (message) =>
  new Promise((done) => {
    if (!process.connected) return done();
    process.send(message, () => done());
  });

/** Lambda's error payload for an invocation or init error (runtime client, utils/error.ts formatError). */
const errorPayload = (error) => {
  if (error instanceof Error) {
    return {
      errorType: String(error.name),
      errorMessage: String(error.message),
      stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
    };
  }
  return { errorType: typeof error, errorMessage: String(error), stackTrace: [] };
};

/** The runtime client's named errors (utils/errors.ts): the name is the errorType Lambda reports. */
const runtimeError = (name, message, stack) => {
  const error = new Error(message);
  error.name = name;
  if (stack) error.stack = stack;
  return error;
};

const isFile = (path) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * `_HANDLER=<path/module>.<export>`, resolved under LAMBDA_TASK_ROOT trying the extensions the runtime
 * tries, in its order ('', .js, .mjs, .cjs; function/module-loader.ts), then the named export.
 */
const loadHandler = async () => {
  const handlerString = process.env._HANDLER ?? '';
  const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  if (handlerString.includes('..')) {
    throw runtimeError(
      'Runtime.MalformedHandlerName',
      `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const file = basename(handlerString);
  const match = /^([^.]*)\.(.*)$/.exec(file);
  if (!match) throw runtimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const [, moduleName, handlerName] = match;
  const base = resolve(taskRoot, dirname(handlerString), moduleName);
  const found = ['', '.js', '.mjs', '.cjs'].map((ext) => `${base}${ext}`).find(isFile);
  if (!found) {
    throw runtimeError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'`);
  }
  let module;
  try {
    module = await import(pathToFileURL(found).href);
  } catch (error) {
    if (error instanceof SyntaxError) throw runtimeError('Runtime.UserCodeSyntaxError', String(error), error.stack);
    if (error && (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND')) {
      throw runtimeError('Runtime.ImportModuleError', String(error), error.stack);
    }
    throw error;
  }
  const pick = (root) =>
    handlerName.split('.').reduce((at, key) => (at && typeof at === 'object' ? at[key] : undefined), root);
  const handler = pick(module) ?? pick(module.default);
  if (handler === undefined || handler === null) {
    throw runtimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  }
  if (typeof handler !== 'function')
    throw runtimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`);
  return handler;
};

/** The context object Lambda passes (runtime client, context/context-builder.ts). */
const contextFor = (message) => {
  const deadline = realNow() + message.remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    awsRequestId: message.requestId,
    invokedFunctionArn: message.invokedFunctionArn,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    // A string, as the runtime reads it from the environment.
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, Math.floor(deadline - realNow())),
  };
};

let handler;
let current; // the request id in flight
const queue = [];
let busy = false;

/** An error nobody awaited fails the invocation in flight, and the runtime exits (as Lambda's does). */
const fatal = async (error, type) => {
  const payload = type ? { ...errorPayload(error), errorType: type } : errorPayload(error);
  if (current !== undefined) {
    await marker(current);
    await send({ type: 'error', requestId: current, error: payload, fatal: true });
  } else {
    process.stderr.write(`${JSON.stringify(payload)}\n`);
  }
  process.exit(128);
};
process.on('uncaughtException', (error) => void fatal(error));
process.on('unhandledRejection', (reason) => void fatal(reason, 'Runtime.UnhandledPromiseRejection'));
// The parent is gone (exited, even by SIGKILL): an environment without its host must not linger.
process.on('disconnect', () => process.exit(0));

const serve = async (message) => {
  if (clock && typeof message.now === 'number') clock.set(message.now);
  current = message.requestId;
  let answer;
  try {
    const result = await handler(message.event, contextFor(message));
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch {
      throw runtimeError('Runtime.JSONStringifyError', 'Unable to stringify response body');
    }
    answer = { type: 'result', requestId: message.requestId, payload };
  } catch (error) {
    answer = { type: 'error', requestId: message.requestId, error: errorPayload(error) };
  }
  await marker(message.requestId);
  current = undefined;
  await send(answer);
};

const drain = async () => {
  if (busy) return;
  busy = true;
  while (queue.length > 0) await serve(queue.shift());
  busy = false;
};

process.on('message', (message) => {
  if (message?.type !== 'invoke') return;
  queue.push(message);
  void drain();
});

try {
  handler = await loadHandler();
  await marker('init');
  await send({ type: 'ready' });
} catch (error) {
  await marker('init');
  await send({ type: 'init-error', error: errorPayload(error) });
}
