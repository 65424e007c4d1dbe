import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { isRecord } from '../../shared/objects.js';
import type { InvokeOutcome } from '../lambda/container.js';
import type { Credentials, FunctionSpec } from '../lambda/context.js';
import { FunctionPool } from '../lambda/pool.js';
import { repoRoot } from '../paths.js';
import { applyEnvVars } from '../template/env-vars.js';
import { functionsOf, type ResolvedFunction } from '../template/functions.js';
import { resolveTemplate } from '../template/resolve.js';
import { TemplateError } from '../template/template-error.js';

/** Where `npm run invoke` writes, and what it reads of the caller's environment. */
export interface InvokeIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative event and env-vars paths resolve from here (default the process's cwd). */
  readonly cwd?: string;
  /**
   * `--sandbox`: starts the embedded stand-ins for this invocation (the lead wires `Sandbox.start`
   * here). Absent, `--sandbox` is refused. The function's environment gets `environment` on top of the
   * template's (the `AWS_ENDPOINT_URL_<SERVICE>` variables, say), each execution environment the
   * `credentials` issued for it; `attach` hands over the pool (so a crash fault can kill the calling
   * container), `clock` runs the function on the sandbox's virtual clock, and after the invocation
   * `report()` is printed on stderr and `close()` stops everything.
   */
  readonly startSandbox?: (context: SandboxContext) => Promise<InvokeSandbox>;
  /** The bundle to run for a function (absolute path); default `<repo>/<fn.bundle>`. A seam for tests. */
  readonly bundleOf?: (fn: ResolvedFunction) => string;
}

/** What `startSandbox` is told. */
export interface SandboxContext {
  /** Every function of the template, resolved (the sandbox routes events and schedules to them). */
  readonly functions: readonly ResolvedFunction[];
  /** The one being invoked. */
  readonly target: ResolvedFunction;
  readonly account: string;
  readonly region: string;
  readonly stackName: string;
  readonly parameterOverrides: Readonly<Record<string, string>>;
  readonly event: unknown;
}

/** What `startSandbox` gives back. */
export interface InvokeSandbox {
  readonly environment: Readonly<Record<string, string>>;
  readonly credentials: (containerId: string) => Credentials;
  readonly clock?: () => number;
  readonly attach?: (pool: FunctionPool) => void;
  close(): Promise<void>;
  report(): string;
}

const USAGE = `Usage: npm run invoke -- <function> [events/<file>.json] [options]

Runs one function of template.yaml as \`sam local invoke\` does, without Docker: the built bundle
(dist/<folder>/handler.mjs) in a fresh Node.js process with Lambda's environment and context, the
function's timeout enforced. Logs go to stderr as they come, the result (or Lambda's error payload)
to stdout. Exit status: 0 on success, 1 on a function error (error, timeout, crash, init), 2 on a
usage, template or lookup error.

  <function>                      logical id (RetryFailedJobFunction) or folder (retry-failed-job)
  [event file]                    the event JSON; a bare name is looked up in events/. Without one the
                                  event is {} (sam local invoke would read stdin; this does not)
  -e, --event <file>              the event file, as sam local invoke spells it
  --dry-run                       sets the DryRun parameter to true (DRY_RUN=true): decide, log, change nothing
  --sandbox                       run against the embedded stand-ins instead of AWS
  --parameter-overrides K=V ...   template parameters (also ParameterKey=K,ParameterValue=V)
  --env-vars <file.json>          SAM's format: {"Parameters": {...}, "<LogicalId>": {"VAR": "value"}}
  -t, --template <file>           default template.yaml at the repository root
  --stack-name <name>             default backup-autopilot (names the functions, as sam deploy would)
  -h, --help                      this text

Without --sandbox the function calls your AWS account: AWS_PROFILE, AWS_ACCESS_KEY_ID (and the other
AWS_* variables, AWS_ENDPOINT_URL* included) and HOME pass through; the Region is AWS_REGION, else
AWS_DEFAULT_REGION, else the event's region, else us-east-1; the template's AWS::AccountId is
AWS_ACCOUNT_ID, else the event's account, else 123456789012. Build first (npm run build; the npm
script does it for you).
`;

/** A refusal to run, with its exit status 2 (usage, lookup or template problems). */
class InvokeUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvokeUsageError';
  }
}

/** The command line, read. */
export interface InvokeArgs {
  readonly functionName?: string;
  readonly eventFile?: string;
  readonly dryRun: boolean;
  readonly sandbox: boolean;
  readonly help: boolean;
  readonly parameterOverrides: Record<string, string>;
  readonly envVarsFile?: string;
  readonly templateFile?: string;
  readonly stackName: string;
}

// SAM's two spellings: `Key=Value` and `ParameterKey=Key,ParameterValue=Value` (sam deploy --help).
const LONG_FORM = /^ParameterKey=([^,]+),ParameterValue=(.*)$/;

const parseOverride = (token: string, into: Record<string, string>): void => {
  // One argument may hold several, separated by spaces ("A=1 B=2"), as SAM accepts.
  for (const part of token.trim().split(/\s+(?=ParameterKey=|[A-Za-z0-9]+=)/)) {
    const long = LONG_FORM.exec(part);
    const at = part.indexOf('=');
    if (long) into[long[1] as string] = long[2] as string;
    else if (at > 0) into[part.slice(0, at)] = part.slice(at + 1);
    else throw new InvokeUsageError(`--parameter-overrides: ${part} is not KEY=VALUE`);
  }
};

/** Reads the command line (exported for tests). */
export const parseInvokeArgs = (argv: readonly string[]): InvokeArgs => {
  const positional: string[] = [];
  const overrides: Record<string, string> = {};
  const flags = { dryRun: false, sandbox: false, help: false };
  let envVarsFile: string | undefined;
  let templateFile: string | undefined;
  let eventFile: string | undefined;
  let stackName = 'backup-autopilot';
  const value = (at: number, flag: string): string => {
    const next = argv[at + 1];
    if (next === undefined || next.startsWith('-')) throw new InvokeUsageError(`${flag} needs a value`);
    return next;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    switch (arg) {
      case '-h':
      case '--help':
        flags.help = true;
        break;
      case '--dry-run':
        flags.dryRun = true;
        break;
      case '--sandbox':
        flags.sandbox = true;
        break;
      case '--env-vars':
      case '-n':
        envVarsFile = value(i, arg);
        i += 1;
        break;
      case '--template':
      case '-t':
        templateFile = value(i, arg);
        i += 1;
        break;
      case '--event':
      case '-e':
        eventFile = value(i, arg);
        i += 1;
        break;
      case '--stack-name':
        stackName = value(i, arg);
        i += 1;
        break;
      case '--parameter-overrides': {
        const start = i;
        while (argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith('--')) {
          parseOverride(argv[i + 1] as string, overrides);
          i += 1;
        }
        if (i === start) throw new InvokeUsageError('--parameter-overrides needs KEY=VALUE pairs');
        break;
      }
      default:
        if (arg.startsWith('-')) throw new InvokeUsageError(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  if (positional.length > 2) throw new InvokeUsageError(`unexpected argument ${positional[2]}`);
  if (eventFile !== undefined && positional[1] !== undefined) throw new InvokeUsageError('two event files given');
  const [functionName, positionalEvent] = positional;
  eventFile ??= positionalEvent;
  return {
    ...flags,
    parameterOverrides: overrides,
    stackName,
    ...(functionName === undefined ? {} : { functionName }),
    ...(eventFile === undefined ? {} : { eventFile }),
    ...(envVarsFile === undefined ? {} : { envVarsFile }),
    ...(templateFile === undefined ? {} : { templateFile }),
  };
};

const readJson = (path: string, what: string): unknown => {
  if (!existsSync(path)) throw new InvokeUsageError(`${what} ${path} does not exist`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new InvokeUsageError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
};

const eventFiles = (): string[] => {
  const dir = join(repoRoot, 'events');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith('.json'))
        .sort()
    : [];
};

/** The event file: as given (from cwd), else from the repository root, else a name in events/. */
const findEventFile = (given: string, cwd: string): string => {
  const candidates = isAbsolute(given)
    ? [given]
    : [
        resolve(cwd, given),
        join(repoRoot, given),
        join(repoRoot, 'events', given),
        join(repoRoot, 'events', `${given}.json`),
      ];
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  throw new InvokeUsageError(
    `event file ${given} does not exist. The events folder has:\n  ${eventFiles()
      .map((file) => `events/${file}`)
      .join('\n  ')}`,
  );
};

const findFunction = (functions: readonly ResolvedFunction[], name: string): ResolvedFunction => {
  const found = functions.find((fn) => fn.logicalId === name || fn.folder === name);
  if (found) return found;
  throw new InvokeUsageError(
    `${name} is not a function of the template. Its functions are:\n  ${functions
      .map((fn) => `${fn.logicalId} (${fn.folder})`)
      .join('\n  ')}`,
  );
};

// Lambda sets these itself; the caller's values must not replace Lambda's (context.ts sets them).
const LAMBDA_OWNED =
  /^(AWS_REGION|AWS_DEFAULT_REGION|AWS_EXECUTION_ENV|AWS_LAMBDA_.*|AWS_ACCESS_KEY|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_ACCOUNT_ID)$/;

/** The caller's AWS configuration for a run against their real account (profile, endpoints, retries...). */
const passThrough = (env: InvokeIo['env']): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined &&
        ((entry[0].startsWith('AWS_') && !LAMBDA_OWNED.test(entry[0])) ||
          entry[0] === 'HOME' ||
          entry[0] === 'USERPROFILE'),
    ),
  );

/**
 * SAM CLI lets the shell override variables the template declares (samcli/local/lambdafn/env_vars.py,
 * `resolve`: template, then shell, then the --env-vars file); only declared ones.
 */
const withShellOverrides = (fn: ResolvedFunction, env: InvokeIo['env'], dryRun: boolean): ResolvedFunction => ({
  ...fn,
  environment: Object.fromEntries(
    Object.entries(fn.environment).map(([key, v]) => [
      key,
      // --dry-run is asked for on this very command line: a DRY_RUN left in the shell cannot undo it.
      dryRun && key === 'DRY_RUN' ? v : (env[key] ?? v),
    ]),
  ),
});

const errorPayload = (outcome: Extract<InvokeOutcome, { ok: false }>): Record<string, unknown> => ({
  errorType: outcome.error.errorType,
  errorMessage: outcome.error.errorMessage,
  // The Node.js runtime's payload calls the stack `trace`.
  ...(outcome.error.stackTrace && outcome.error.stackTrace.length > 0 ? { trace: outcome.error.stackTrace } : {}),
});

/**
 * `npm run invoke -- <function> [event] [options]`: runs one function as `sam local invoke` does,
 * without Docker (see USAGE). Resolves with the exit status; never calls process.exit.
 */
export const runInvoke = async (argv: string[], io: InvokeIo): Promise<number> => {
  const cwd = io.cwd ?? process.cwd();
  let sandbox: InvokeSandbox | undefined;
  let pool: FunctionPool | undefined;
  try {
    const args = parseInvokeArgs(argv);
    if (args.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (args.sandbox && !io.startSandbox) throw new InvokeUsageError('--sandbox is not available in this build');
    const eventPath = args.eventFile === undefined ? undefined : findEventFile(args.eventFile, cwd);
    const event = eventPath === undefined ? {} : readJson(eventPath, 'event file');
    const fromEvent = (key: string): string | undefined =>
      isRecord(event) && typeof event[key] === 'string' ? (event[key] as string) : undefined;
    const account = io.env.AWS_ACCOUNT_ID || fromEvent('account') || '123456789012';
    const region = io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || fromEvent('region') || 'us-east-1';
    // --dry-run goes through the template's DryRun parameter, so DRY_RUN reaches every function as deployed.
    const parameterOverrides = { ...args.parameterOverrides, ...(args.dryRun ? { DryRun: 'true' } : {}) };
    const templatePath = args.templateFile ? resolve(cwd, args.templateFile) : join(repoRoot, 'template.yaml');
    const resolved = resolveTemplate(readFileSync(templatePath, 'utf8'), {
      stackName: args.stackName,
      account,
      region,
      parameterOverrides,
    });
    let functions = functionsOf(resolved).map((fn) => withShellOverrides(fn, io.env, args.dryRun));
    if (args.envVarsFile)
      functions = applyEnvVars(functions, readJson(resolve(cwd, args.envVarsFile), '--env-vars file'));
    if (!args.functionName) throw new InvokeUsageError(`which function? See --help.\n\n${USAGE}`);
    const target = findFunction(functions, args.functionName);
    const bundle = io.bundleOf?.(target) ?? join(repoRoot, target.bundle);
    if (!existsSync(bundle)) {
      throw new InvokeUsageError(`${relative(repoRoot, bundle)} does not exist: run npm run build first`);
    }

    if (args.sandbox && io.startSandbox) {
      sandbox = await io.startSandbox({
        functions,
        target,
        account,
        region,
        stackName: args.stackName,
        parameterOverrides,
        event,
      });
    }
    const staticKeys =
      io.env.AWS_ACCESS_KEY_ID && io.env.AWS_SECRET_ACCESS_KEY
        ? {
            accessKeyId: io.env.AWS_ACCESS_KEY_ID,
            secretAccessKey: io.env.AWS_SECRET_ACCESS_KEY,
            ...(io.env.AWS_SESSION_TOKEN ? { sessionToken: io.env.AWS_SESSION_TOKEN } : {}),
          }
        : undefined;
    const spec: FunctionSpec = {
      logicalId: target.logicalId,
      functionName: target.functionName,
      arn: target.arn,
      region,
      bundle,
      handlerExport: target.handlerExport,
      timeoutMs: target.timeoutSeconds * 1000,
      memoryMb: target.memoryMb,
      environment: {
        ...(sandbox ? {} : passThrough(io.env)),
        ...target.lambdaEnvironment,
        ...target.environment,
        ...(sandbox?.environment ?? {}),
      },
    };
    const running = sandbox;
    pool = new FunctionPool(spec, {
      maxContainers: 1,
      credentials: running ? running.credentials : () => staticKeys,
      ...(running?.clock ? { clock: running.clock } : {}),
      onLog: ({ line }) => io.stderr.write(`${line}\n`),
    });
    running?.attach?.(pool);
    const outcome = await pool.invoke(event);
    if (outcome.ok) io.stdout.write(`${JSON.stringify(outcome.result)}\n`);
    else io.stdout.write(`${JSON.stringify(errorPayload(outcome))}\n`);
    const where = eventPath ? relative(cwd, eventPath) || eventPath : '{}';
    io.stderr.write(
      `${target.logicalId} (${where}): ${outcome.ok ? 'succeeded' : `failed (${outcome.kind})`} in ${Math.round(outcome.durationMs)} ms, request ${outcome.requestId}\n`,
    );
    if (sandbox) io.stderr.write(`${sandbox.report()}\n`);
    return outcome.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof InvokeUsageError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof TemplateError) {
      io.stderr.write(`template.yaml cannot be deployed as given:\n  ${error.problems.join('\n  ')}\n`);
      return 2;
    }
    throw error;
  } finally {
    await pool?.close();
    await sandbox?.close();
  }
};
