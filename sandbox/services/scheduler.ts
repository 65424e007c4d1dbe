import type { IncomingMessage } from 'node:http';
import {
  type CallContext,
  type Protocol,
  type RunningStandIn,
  type SandboxServices,
  ServiceError,
  startStandIn,
  type WireResponse,
} from '../http/stand-in.js';
import type { HomeScope } from './scope.js';

/** A schedule's target as CreateSchedule takes it (API_Target), the members the sandbox uses. */
export interface ScheduleTarget {
  readonly Arn: string;
  readonly RoleArn: string;
  readonly Input?: string;
  readonly RetryPolicy?: { readonly MaximumEventAgeInSeconds?: number; readonly MaximumRetryAttempts?: number };
  readonly DeadLetterConfig?: { readonly Arn?: string };
}

/** A schedule the stand-in holds. */
export interface StoredSchedule {
  readonly arn: string;
  readonly name: string;
  readonly group: string;
  readonly account: string;
  readonly region: string;
  readonly expression: string;
  readonly timezone: string;
  /** For a one-time `at(...)` schedule: when it is due, epoch milliseconds (UTC). */
  readonly dueAt?: number;
  readonly target: ScheduleTarget;
  readonly actionAfterCompletion: 'NONE' | 'DELETE';
  readonly state: 'ENABLED' | 'DISABLED';
  readonly clientToken?: string;
  /** Sandbox time it was created. */
  readonly createdAt: number;
  /** A one-time schedule that already fired (kept when ActionAfterCompletion is NONE). */
  fired: boolean;
}

/** A one-time schedule that came due: what the sandbox invokes, and with what. */
export interface DueSchedule {
  readonly arn: string;
  readonly name: string;
  readonly group: string;
  readonly account: string;
  readonly region: string;
  readonly dueAt: number;
  /** The target's ARN (the function to invoke). */
  readonly targetArn: string;
  /** The target's Input, verbatim (Scheduler passes it as the event). */
  readonly input?: string;
  readonly target: ScheduleTarget;
}

export interface RunningScheduler extends RunningStandIn {
  /** Seeds a schedule group (as template.yaml's AWS::Scheduler::ScheduleGroup); `default` always exists. */
  createGroup(name: string, where?: HomeScope): void;
  /**
   * The enabled one-time schedules due at or before `ms` that have not fired, in time then name order.
   * They count as fired: those with `ActionAfterCompletion: DELETE` are removed, the others kept.
   */
  dueBy(ms: number): DueSchedule[];
  /** Every schedule held now. */
  schedules(): readonly StoredSchedule[];
}

// --- the wire: restJson1 (Smithy "AWS restJson1 protocol"), only CreateSchedule routed to a handler ---

const ROUTES: readonly { method: string; path: RegExp; operation: string }[] = [
  { method: 'POST', path: /^\/schedules\/([^/]+)$/, operation: 'CreateSchedule' },
  { method: 'GET', path: /^\/schedules\/([^/]+)$/, operation: 'GetSchedule' },
  { method: 'PUT', path: /^\/schedules\/([^/]+)$/, operation: 'UpdateSchedule' },
  { method: 'DELETE', path: /^\/schedules\/([^/]+)$/, operation: 'DeleteSchedule' },
  { method: 'GET', path: /^\/schedules$/, operation: 'ListSchedules' },
];

const restJson: Protocol = {
  decode(req: IncomingMessage, url: URL, body: string) {
    const route = ROUTES.find((r) => r.method === req.method && r.path.test(url.pathname));
    if (!route)
      throw new ServiceError('UnknownOperationException', `no operation at ${req.method} ${url.pathname}`, 404);
    const name = decodeURIComponent(route.path.exec(url.pathname)?.[1] ?? '');
    let payload: Record<string, unknown> = {};
    try {
      payload = body.trim() === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    } catch {
      throw new ServiceError('ValidationException', 'the request body is not valid JSON', 400);
    }
    return { operation: route.operation, input: name ? { ...payload, Name: name } : payload };
  },
  encode(_operation: string, output: unknown): WireResponse {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(output ?? {}) };
  },
  encodeError(error: ServiceError): WireResponse {
    // restJson1 errors: the code in `x-amzn-ErrorType`, the members in the body (Scheduler's are `Message`).
    return {
      status: error.status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.code },
      body: JSON.stringify({ Message: error.message }),
    };
  },
};

// --- validation, as the Scheduler API reference gives each member's constraints ---

const NAME = /^[0-9a-zA-Z-_.]+$/;
// 12 digits, or 13 as in AWS's own published sample events (1112233445566): the sandbox runs those too.
const ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12,13}:role\/[\w+=,.@/-]+$/;
const SQS_ARN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12,13}:[a-zA-Z0-9\-_]+$/;
const CLIENT_TOKEN = /^[a-zA-Z0-9-_]+$/;

type Check = (problems: string[]) => void;

const described = (value: unknown) => (value === undefined ? 'null' : `'${String(value)}'`);

const text =
  (at: string, value: unknown, min: number, max: number, pattern?: RegExp, required = false): Check =>
  (problems) => {
    if (value === undefined) {
      if (required) problems.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
      return;
    }
    if (typeof value !== 'string' || value.length < min || value.length > max) {
      problems.push(
        `Value ${described(value)} at '${at}' failed to satisfy constraint: Member must have length between ${min} and ${max}`,
      );
      return;
    }
    if (pattern && !pattern.test(value)) {
      problems.push(
        `Value ${described(value)} at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`,
      );
    }
  };

const oneOf =
  (at: string, value: unknown, allowed: readonly string[], required = false): Check =>
  (problems) => {
    if (value === undefined) {
      if (required) problems.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
      return;
    }
    if (typeof value !== 'string' || !allowed.includes(value)) {
      problems.push(
        `Value ${described(value)} at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
      );
    }
  };

const range =
  (at: string, value: unknown, min: number, max: number): Check =>
  (problems) => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(
        `Value ${described(value)} at '${at}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
      );
    }
  };

interface CreateScheduleInput {
  Name?: unknown;
  GroupName?: unknown;
  ScheduleExpression?: unknown;
  ScheduleExpressionTimezone?: unknown;
  Description?: unknown;
  FlexibleTimeWindow?: { Mode?: unknown; MaximumWindowInMinutes?: unknown };
  Target?: {
    Arn?: unknown;
    RoleArn?: unknown;
    Input?: unknown;
    RetryPolicy?: { MaximumEventAgeInSeconds?: unknown; MaximumRetryAttempts?: unknown };
    DeadLetterConfig?: { Arn?: unknown };
  };
  ActionAfterCompletion?: unknown;
  State?: unknown;
  ClientToken?: unknown;
  KmsKeyArn?: unknown;
}

/** API_CreateSchedule, API_FlexibleTimeWindow, API_Target, API_RetryPolicy, API_DeadLetterConfig. */
const validate = (input: CreateScheduleInput): void => {
  const window = input.FlexibleTimeWindow;
  const target = input.Target;
  const checks: Check[] = [
    text('name', input.Name, 1, 64, NAME, true),
    text('groupName', input.GroupName, 1, 64, NAME),
    text('scheduleExpression', input.ScheduleExpression, 1, 256, undefined, true),
    text('scheduleExpressionTimezone', input.ScheduleExpressionTimezone, 1, 50),
    text('description', input.Description, 0, 512),
    text('clientToken', input.ClientToken, 1, 64, CLIENT_TOKEN),
    text('kmsKeyArn', input.KmsKeyArn, 1, 2048),
    oneOf('actionAfterCompletion', input.ActionAfterCompletion, ['NONE', 'DELETE']),
    oneOf('state', input.State, ['ENABLED', 'DISABLED']),
    (problems) => {
      if (window === undefined)
        problems.push("Value null at 'flexibleTimeWindow' failed to satisfy constraint: Member must not be null");
    },
    oneOf('flexibleTimeWindow.mode', window?.Mode, ['OFF', 'FLEXIBLE'], window !== undefined),
    range('flexibleTimeWindow.maximumWindowInMinutes', window?.MaximumWindowInMinutes, 1, 1440),
    (problems) => {
      if (target === undefined)
        problems.push("Value null at 'target' failed to satisfy constraint: Member must not be null");
    },
    text('target.arn', target?.Arn, 1, 1600, undefined, target !== undefined),
    text('target.roleArn', target?.RoleArn, 1, 1600, ROLE_ARN, target !== undefined),
    text('target.input', target?.Input, 1, Number.MAX_SAFE_INTEGER),
    range('target.retryPolicy.maximumEventAgeInSeconds', target?.RetryPolicy?.MaximumEventAgeInSeconds, 60, 86_400),
    range('target.retryPolicy.maximumRetryAttempts', target?.RetryPolicy?.MaximumRetryAttempts, 0, 185),
    text('target.deadLetterConfig.arn', target?.DeadLetterConfig?.Arn, 1, 1600, SQS_ARN),
  ];
  const problems: string[] = [];
  for (const check of checks) check(problems);
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 validation error' : `${problems.length} validation errors`;
    throw new ServiceError('ValidationException', `${count} detected: ${problems.join('; ')}`, 400);
  }
  if (window?.Mode === 'FLEXIBLE' && window.MaximumWindowInMinutes === undefined) {
    throw new ServiceError('ValidationException', 'MaximumWindowInMinutes is required when Mode is FLEXIBLE.', 400);
  }
};

// --- schedule expressions (Scheduler User Guide, "Schedule types on EventBridge Scheduler") ---

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** How far the wall clock of `zone` is ahead of UTC at the instant `ms`. */
const offsetAt = (ms: number, zone: string): number => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(ms / 1000) * 1000;
};

/**
 * The UTC instant of an `at(yyyy-mm-ddThh:mm:ss)` expression: "EventBridge Scheduler ... uses the time
 * zone you specify" (ScheduleExpressionTimezone; UTC when absent). Returns undefined for rate/cron.
 */
export const dueAtOf = (expression: string, timezone = 'UTC'): number | undefined => {
  const at = AT.exec(expression);
  if (!at) return undefined;
  const [y, mo, d, h, mi, s] = at.slice(1).map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // Two passes settle the offset across a daylight-saving change.
  let utc = wall - offsetAt(wall, timezone);
  utc = wall - offsetAt(utc, timezone);
  return utc;
};

/**
 * Starts the EventBridge Scheduler stand-in: `CreateSchedule` (API_CreateSchedule) over restJson1
 * (`POST /schedules/{Name}`). A (group, name) that exists is a 409 ConflictException; a group that does
 * not is a 404 ResourceNotFoundException. The stand-in never fires anything itself: the sandbox asks
 * `dueBy(ms)` on its clock and invokes the targets (FLEXIBLE windows fire at their start, deterministically).
 */
export const startScheduler = async (
  shared: SandboxServices,
  options: { readonly home: HomeScope },
): Promise<RunningScheduler> => {
  const groups = new Set<string>();
  const held = new Map<string, StoredSchedule>();
  const groupKey = (account: string, region: string, group: string) => `${account}/${region}/${group}`;
  const scheduleKey = (account: string, region: string, group: string, name: string) =>
    `${account}/${region}/${group}/${name}`;

  const createSchedule = (input: CreateScheduleInput, ctx: CallContext) => {
    validate(input);
    const name = input.Name as string;
    const group = (input.GroupName as string | undefined) ?? 'default';
    const expression = input.ScheduleExpression as string;
    const timezone = (input.ScheduleExpressionTimezone as string | undefined) ?? 'UTC';
    const { account } = ctx.principal;
    const { region } = ctx;
    if (!isTimeZone(timezone)) {
      throw new ServiceError('ValidationException', `Invalid time zone: ${timezone}.`, 400);
    }
    if (!AT.test(expression) && !RATE.test(expression) && !CRON.test(expression)) {
      throw new ServiceError('ValidationException', `Invalid Schedule Expression ${expression}.`, 400);
    }
    // Every account and Region has a `default` group (API_CreateSchedule, GroupName: "If you omit this,
    // it uses the default group.").
    if (group !== 'default' && !groups.has(groupKey(account, region, group))) {
      throw new ServiceError('ResourceNotFoundException', `Schedule group ${group} does not exist.`, 404);
    }
    const key = scheduleKey(account, region, group, name);
    const existing = held.get(key);
    if (existing) {
      // ClientToken: "ensure the idempotency of the request": the same token again is the same request
      // (an SDK retry after a lost answer), not a second schedule.
      if (input.ClientToken !== undefined && existing.clientToken === input.ClientToken) {
        return { ScheduleArn: existing.arn };
      }
      // The message AWS answers (as moto reproduces it).
      throw new ServiceError('ConflictException', `Schedule ${name} already exists.`, 409);
    }
    const dueAt = dueAtOf(expression, timezone);
    const target = input.Target as ScheduleTarget;
    const schedule: StoredSchedule = {
      arn: `arn:aws:scheduler:${region}:${account}:schedule/${group}/${name}`,
      name,
      group,
      account,
      region,
      expression,
      timezone,
      ...(dueAt !== undefined ? { dueAt } : {}),
      target: structuredClone(target),
      actionAfterCompletion: (input.ActionAfterCompletion as 'NONE' | 'DELETE' | undefined) ?? 'NONE',
      state: (input.State as 'ENABLED' | 'DISABLED' | undefined) ?? 'ENABLED',
      ...(typeof input.ClientToken === 'string' ? { clientToken: input.ClientToken } : {}),
      createdAt: ctx.now,
      fired: false,
    };
    held.set(key, schedule);
    return { ScheduleArn: schedule.arn };
  };

  const running = await startStandIn({
    service: 'scheduler',
    protocol: restJson,
    operations: { CreateSchedule: createSchedule as (input: never, ctx: CallContext) => unknown },
    shared,
  });
  return {
    ...running,
    createGroup(name, where = options.home) {
      if (!NAME.test(name) || name.length > 64) throw new TypeError(`not a schedule group name: ${name}`);
      groups.add(groupKey(where.account, where.region, name));
    },
    dueBy(ms) {
      const due = [...held.entries()]
        .filter(([, s]) => s.dueAt !== undefined && s.dueAt <= ms && s.state === 'ENABLED' && !s.fired)
        .sort(
          ([, a], [, b]) =>
            (a.dueAt as number) - (b.dueAt as number) ||
            (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
            (a.group < b.group ? -1 : a.group > b.group ? 1 : 0),
        );
      return due.map(([key, s]) => {
        // ActionAfterCompletion DELETE: "EventBridge Scheduler deletes the schedule after it completes
        // its last invocation" (API_CreateSchedule); NONE keeps it, never to fire again.
        if (s.actionAfterCompletion === 'DELETE') held.delete(key);
        else s.fired = true;
        return {
          arn: s.arn,
          name: s.name,
          group: s.group,
          account: s.account,
          region: s.region,
          dueAt: s.dueAt as number,
          targetArn: s.target.Arn,
          ...(s.target.Input !== undefined ? { input: s.target.Input } : {}),
          target: s.target,
        };
      });
    },
    schedules: () => [...held.values()],
  };
};
