import { basename, dirname, extname } from 'node:path';
import { hexFrom } from '../ids.js';

/** One function as the sandbox runs it: what Lambda's configuration of it says. */
export interface FunctionSpec {
  /** The template's logical id (RetryFailedJobFunction); container ids derive from it. */
  readonly logicalId: string;
  readonly functionName: string;
  readonly arn: string;
  readonly region: string;
  /** Absolute path of the built bundle (dist/<folder>/handler.mjs). */
  readonly bundle: string;
  /** The export the template's Handler names (`handler.handler` -> `handler`). */
  readonly handlerExport: string;
  /** The function's Timeout, enforced in real time. */
  readonly timeoutMs: number;
  readonly memoryMb: number;
  /** The template's variables (and anything the caller adds, e.g. AWS_ENDPOINT_URL_BACKUP). */
  readonly environment: Readonly<Record<string, string>>;
}

/** The execution role's temporary credentials Lambda puts in the environment. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface EnvironmentOptions {
  readonly containerId: string;
  /** Undefined: no credentials variables (the caller passes e.g. AWS_PROFILE in the spec's environment). */
  readonly credentials?: Credentials;
  /** When the environment starts (epoch ms): the log stream name's date. */
  readonly startedAt: number;
}

/**
 * The log stream of an execution environment, `yyyy/mm/dd/[$LATEST]<32 hex>` as Lambda names it
 * ("Sending Lambda function logs to CloudWatch Logs"), the hex derived from the container id so a
 * seeded run names its streams the same way every time.
 */
export const logStreamName = (spec: FunctionSpec, containerId: string, startedAt: number): string => {
  const day = new Date(startedAt).toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${hexFrom(32, 'log-stream', spec.arn, containerId)}`;
};

/**
 * The process environment of one execution environment: the function's variables, then what Lambda
 * itself defines, which the function cannot override (Lambda Developer Guide, "Defined runtime
 * environment variables": reserved keys AWS_REGION, AWS_LAMBDA_*, _HANDLER, LAMBDA_TASK_ROOT, the
 * credentials; unreserved TZ=:UTC, LANG). Nothing of the parent's environment leaks in but PATH (so a
 * function that spawns a program still finds one; Lambda's own PATH is /usr/local/bin:/usr/bin/:/bin:/opt/bin).
 */
export const executionEnvironment = (spec: FunctionSpec, options: EnvironmentOptions): Record<string, string> => {
  const module = basename(spec.bundle, extname(spec.bundle));
  const defined: Record<string, string> = {
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: spec.environment.AWS_LAMBDA_LOG_GROUP_NAME ?? `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(spec, options.containerId, options.startedAt),
    LAMBDA_TASK_ROOT: dirname(spec.bundle),
    _HANDLER: `${module}.${spec.handlerExport}`,
    TZ: ':UTC',
    ...(options.credentials
      ? {
          // Lambda sets both spellings of the key id.
          AWS_ACCESS_KEY: options.credentials.accessKeyId,
          AWS_ACCESS_KEY_ID: options.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
          ...(options.credentials.sessionToken ? { AWS_SESSION_TOKEN: options.credentials.sessionToken } : {}),
        }
      : {}),
  };
  return {
    LANG: 'en_US.UTF-8',
    ...(process.env.PATH ? { PATH: process.env.PATH } : {}),
    ...spec.environment,
    ...defined,
  };
};
