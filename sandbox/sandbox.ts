import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackupStandIn } from './backup/index.js';
import { createBackupProtocol } from './backup/rest-json.js';
import { type BusRule, EventBus } from './bus.js';
import { VirtualClock } from './clock.js';
import { CallLog } from './http/calls.js';
import { Faults } from './http/faults.js';
import { type Principal, Principals } from './http/principals.js';
import { type RunningStandIn, type SandboxServices, startStandIn } from './http/stand-in.js';
import { uuidFrom } from './ids.js';
import type { InvokeOutcome } from './lambda/container.js';
import { FunctionPool } from './lambda/pool.js';
import { repoRoot } from './paths.js';
import { startDynamo, type TableProperties } from './services/dynamodb.js';
import { type OrganizationMember, startOrganizations } from './services/organizations.js';
import { startScheduler } from './services/scheduler.js';
import { startSecretsManager } from './services/secrets-manager.js';
import { startSns } from './services/sns.js';
import { startSsm } from './services/ssm.js';
import { startSts } from './services/sts.js';
import { startWebhooks } from './services/webhooks.js';
import { functionsOf, type ResolvedFunction } from './template/functions.js';
import { type ResolvedTemplate, resolveTemplate } from './template/resolve.js';
import { nextFireAfter } from './template/schedule-expression.js';

/** How a sandbox is set up. */
export interface SandboxOptions {
  /** Sandbox time at start. */
  readonly start: Date | number;
  /** Seeds every id the stand-ins make (same seed, same ids). */
  readonly seed?: string;
  /** The account the stack is deployed in (default 111122223333). */
  readonly account?: string;
  /** The stack's Region (default us-east-1). */
  readonly region?: string;
  readonly stackName?: string;
  /** `sam deploy --parameter-overrides`. */
  readonly parameterOverrides?: Readonly<Record<string, string>>;
  /** Variables to set on top of the template's, per function logical id (like `--env-vars`). */
  readonly environmentOverrides?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Timeouts in seconds to use instead of the template's, per function logical id: to play a
   * function that runs out of time (a sweep with a backlog) without waiting minutes.
   */
  readonly timeoutOverrides?: Readonly<Record<string, number>>;
  /** Execution environments per function at most (default 10). */
  readonly maxContainers?: number;
  /** Run the functions on the sandbox's virtual clock (default true). */
  readonly virtualClock?: boolean;
  /** Where the built bundles are (default `<repo>/dist`). */
  readonly distDir?: string;
  /**
   * The accounts Organizations ListAccounts answers with, the stack's account being the management
   * account (list it too). Without `organization` the stack stays in account mode and ListBackupJobs
   * ByAccountId `*` from the stack's account sees these accounts (the organization-wide summary); with
   * it, the default is the central account and the members, ACTIVE and unnamed.
   */
  readonly organizationAccounts?: readonly OrganizationMember[];
  /**
   * Deploys the stack in central mode for an organization: the sandbox's account is the central one
   * (and the organization's management account, for ListBackupJobs ByAccountId `*`), each member has
   * the member role (org/member.yaml: trusted by the central functions' roles only) and a rule that
   * forwards its AWS Backup events to the central bus in the same Region.
   */
  readonly organization?: SandboxOrganization;
}

/** The organization of a central deployment. */
export interface SandboxOrganization {
  /** `o-...` (ORGANIZATION_ID). */
  readonly id: string;
  /** Member accounts: each gets the member role and the forwarding rule. */
  readonly members: readonly string[];
  /** MEMBER_ROLE_NAME (default backup-autopilot-member). */
  readonly memberRoleName?: string;
}

/** One invocation of a function, as the sandbox records it. */
export interface InvocationRecord {
  readonly at: number;
  readonly function: string;
  /** What invoked it: `rule:<name>`, `schedule:<name>`, `scheduler:<schedule name>`, `direct`. */
  readonly trigger: string;
  /** 0 for the first delivery, then Lambda's async retries. */
  readonly attempt: number;
  readonly event: unknown;
  readonly outcome: InvokeOutcome;
}

const ENDPOINT_VARIABLES = {
  backup: 'AWS_ENDPOINT_URL_BACKUP',
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
  sns: 'AWS_ENDPOINT_URL_SNS',
  scheduler: 'AWS_ENDPOINT_URL_SCHEDULER',
  secretsmanager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  ssm: 'AWS_ENDPOINT_URL_SSM',
  organizations: 'AWS_ENDPOINT_URL_ORGANIZATIONS',
  sts: 'AWS_ENDPOINT_URL_STS',
} as const;

// Lambda's asynchronous invocation: after a function error, "Lambda waits one minute before the
// second attempt and two minutes between the second and third" (Lambda Developer Guide,
// "How Lambda handles errors and retries with asynchronous invocation").
const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000];

const MINUTE_MS = 60_000;

/**
 * A whole deployment of backup-autopilot on one machine: every AWS API the toolkit calls served by
 * an embedded stand-in over real HTTP, the functions run from their real bundles in their own Node
 * processes with the environment template.yaml gives them, events routed by the template's rules,
 * schedules fired on a virtual clock. Nothing here is ever bundled into a function.
 */
export class Sandbox {
  readonly clock: VirtualClock;
  readonly principals = new Principals();
  readonly faults = new Faults();
  readonly calls = new CallLog();
  readonly invocations: InvocationRecord[] = [];
  /** Invocations that failed after Lambda's async retries (the template's OnFailure queue). */
  readonly failed: InvocationRecord[] = [];
  /** Events AWS Backup sent to other accounts' or Regions' buses, where this stack has no rules. */
  readonly elsewhere: Record<string, unknown>[] = [];
  readonly account: string;
  readonly region: string;
  readonly seed: string;

  // Set by start(); declared here so the class reads top-down.
  backup!: ReturnType<typeof createBackupStandIn>;
  dynamo!: Awaited<ReturnType<typeof startDynamo>>;
  sns!: Awaited<ReturnType<typeof startSns>>;
  scheduler!: Awaited<ReturnType<typeof startScheduler>>;
  secrets!: Awaited<ReturnType<typeof startSecretsManager>>;
  ssm!: Awaited<ReturnType<typeof startSsm>>;
  sts!: Awaited<ReturnType<typeof startSts>>;
  webhooks!: Awaited<ReturnType<typeof startWebhooks>>;
  template!: ResolvedTemplate;
  functions!: readonly ResolvedFunction[];
  bus!: EventBus;

  readonly #options: SandboxOptions;
  readonly #servers: RunningStandIn[] = [];
  readonly #pools = new Map<string, FunctionPool>();
  /** Access key id of each live container. */
  readonly #keys = new Map<string, string>();
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Work due at a sandbox time: async retries. */
  #due: { at: number; seq: number; run: () => void }[] = [];
  #dueSeq = 0;
  /** Next fire time of each template schedule, by `<function>.<event>`. */
  readonly #nextFire = new Map<string, number | undefined>();
  #schedulesArmed = false;
  /** Whether template.yaml declares the DeploymentMode Parameter (then it sets central mode's variables). */
  #templateHasDeploymentMode = false;
  #requests = 0;
  #invocations = 0;
  readonly endpoints: Record<keyof typeof ENDPOINT_VARIABLES, string> = {
    backup: '',
    dynamodb: '',
    sns: '',
    scheduler: '',
    secretsmanager: '',
    ssm: '',
    organizations: '',
    sts: '',
  };

  private constructor(options: SandboxOptions) {
    this.#options = options;
    this.clock = new VirtualClock(options.start);
    this.account = options.account ?? '111122223333';
    this.region = options.region ?? 'us-east-1';
    this.seed = options.seed ?? '1';
  }

  /** Starts every stand-in, resolves the template and creates what it declares. */
  static async start(options: SandboxOptions): Promise<Sandbox> {
    const sandbox = new Sandbox(options);
    try {
      await sandbox.#boot();
    } catch (error) {
      await sandbox.close();
      throw error;
    }
    return sandbox;
  }

  /** What every stand-in shares. */
  get shared(): SandboxServices {
    return {
      clock: this.clock,
      principals: this.principals,
      faults: this.faults,
      calls: this.calls,
      crash: (principal) => this.#crash(principal),
      requestId: () => {
        this.#requests += 1;
        return uuidFrom(this.seed, 'request', this.#requests);
      },
    };
  }

  async #boot(): Promise<void> {
    const shared = this.shared;
    const org = this.#options.organization;
    // The accounts of the organization: ListAccounts answers with them, ByAccountId `*` sees them.
    const listed =
      this.#options.organizationAccounts ??
      (org ? [{ id: this.account }, ...org.members.map((id) => ({ id }))] : undefined);
    this.backup = createBackupStandIn(
      shared,
      listed ? { organization: { managementAccount: this.account, memberAccounts: listed.map((a) => a.id) } } : {},
    );
    const backupServer = await startStandIn({
      service: 'backup',
      protocol: createBackupProtocol(),
      operations: this.backup.operations,
      shared,
    });
    this.#servers.push(backupServer);
    this.endpoints.backup = backupServer.url;
    // Without an organization the stand-in answers as Organizations does to an account in none.
    const organizations = await startOrganizations(shared, { managementAccount: this.account, accounts: listed ?? [] });
    this.#servers.push(organizations);
    this.endpoints.organizations = organizations.url;
    this.dynamo = await startDynamo(shared);
    this.sns = await startSns(shared);
    const home = { account: this.account, region: this.region };
    this.scheduler = await startScheduler(shared, { home });
    this.secrets = await startSecretsManager(shared, { home });
    this.ssm = await startSsm(shared, { home });
    this.webhooks = await startWebhooks(shared);
    this.sts = await startSts(shared);
    this.endpoints.sts = this.sts.url;
    this.endpoints.dynamodb = this.dynamo.url;
    this.endpoints.sns = this.sns.url;
    this.endpoints.scheduler = this.scheduler.url;
    this.endpoints.secretsmanager = this.secrets.url;
    this.endpoints.ssm = this.ssm.url;

    const text = readFileSync(join(repoRoot, 'template.yaml'), 'utf8');
    this.template = resolveTemplate(text, {
      stackName: this.#options.stackName ?? 'backup-autopilot',
      account: this.account,
      region: this.region,
      parameterOverrides: { ...this.#deploymentParameters(text), ...(this.#options.parameterOverrides ?? {}) },
    });
    this.functions = functionsOf(this.template);
    await this.#createResources();
    this.#declareMemberRoles();

    const rules: BusRule[] = this.functions.flatMap((fn) =>
      fn.rules.map((rule) => ({
        id: `${fn.logicalId}.${rule.name}`,
        target: fn.logicalId,
        pattern: this.#centralPattern(rule.pattern),
      })),
    );
    this.bus = new EventBus(rules, (rule, event) => {
      this.#deliverAsync(rule.target, `rule:${rule.id.split('.')[1]}`, event, 0);
    });
    // AWS Backup sends a job's events to the default bus of the job's own account and Region
    // (eventbridge.html); the stack's rules live on this account's bus in this Region only, so the
    // events of a later hop's copy job in another Region are sent there, where nothing listens.
    this.backup.onEvent((json) => {
      const event = json as unknown as Record<string, unknown>;
      // A member's rule (org/member.yaml) forwards its events to the central bus of the same Region,
      // unchanged (EventBridge keeps a forwarded event's account and source).
      const here = event.account === this.account || this.members.includes(String(event.account));
      if (here && event.region === this.region) this.bus.put(event, this.clock.ms());
      else this.elsewhere.push(event);
    });
  }

  /**
   * Central mode's Parameters, for a template that declares DeploymentMode (the central bus, its
   * rules without the account filter, the functions' DEPLOYMENT_MODE...). A template without it
   * gets the same settings through {@link #deploymentEnvironment} and {@link #centralPattern}.
   */
  #deploymentParameters(templateText: string): Record<string, string> {
    const org = this.#options.organization;
    this.#templateHasDeploymentMode = /^ {2}DeploymentMode:/m.test(templateText);
    if (!org || !this.#templateHasDeploymentMode) return {};
    return { DeploymentMode: 'central', OrganizationId: org.id, MemberRoleName: this.memberRoleName };
  }

  /**
   * A function rule's pattern on the central bus: a rule that keeps to the stack's own account
   * (`account: [<central>]`, a template from before DeploymentMode) is widened to the organization's
   * accounts, which is what central mode's rules match (the bus admits the organization only).
   */
  #centralPattern(pattern: unknown): unknown {
    if (!this.#options.organization || typeof pattern !== 'object' || pattern === null) return pattern;
    const account = (pattern as { account?: unknown }).account;
    if (!Array.isArray(account) || account.length !== 1 || account[0] !== this.account) return pattern;
    return { ...pattern, account: [this.account, ...this.members] };
  }

  /** The organization's member accounts (none in account mode). */
  get members(): readonly string[] {
    return this.#options.organization?.members ?? [];
  }

  /** MEMBER_ROLE_NAME of the organization's members. */
  get memberRoleName(): string {
    return this.#options.organization?.memberRoleName ?? 'backup-autopilot-member';
  }

  /**
   * The member role in each member account, as org/member.yaml creates it: trusted by the central
   * functions' roles only (the sandbox's principal of a function container is named after the
   * function's logical id, in the central account).
   */
  #declareMemberRoles(): void {
    const central = new Set(this.functions.map((fn) => fn.logicalId));
    for (const account of this.members) {
      this.sts.declareRole({
        account,
        name: this.memberRoleName,
        trusts: (caller) => caller.account === this.account && central.has(caller.name),
      });
    }
  }

  /** Creates the tables, topics and schedule groups the template declares, with their physical names. */
  async #createResources(): Promise<void> {
    for (const resource of Object.values(this.template.resources)) {
      if (resource.type === 'AWS::DynamoDB::Table')
        await this.dynamo.createTable(resource.name, resource.properties as unknown as TableProperties);
      if (resource.type === 'AWS::SNS::Topic') this.sns.createTopic(resource.ref);
      if (resource.type === 'AWS::Scheduler::ScheduleGroup') this.scheduler.createGroup(resource.name);
    }
  }

  /** The function's resolved template entry, by logical id or folder name. */
  function(name: string): ResolvedFunction {
    const fn = this.functions.find((f) => f.logicalId === name || f.folder === name);
    if (!fn) {
      const known = this.functions.map((f) => `${f.logicalId} (${f.folder})`).join(', ');
      throw new Error(`no function ${name} in template.yaml; there are ${known}`);
    }
    return fn;
  }

  /** The stand-ins' endpoint variables (AWS_ENDPOINT_URL_<SERVICE>), which the SDK in every bundle reads. */
  endpointEnvironment(): Record<string, string> {
    return Object.fromEntries(
      Object.entries(ENDPOINT_VARIABLES).map(([service, variable]) => [
        variable,
        this.endpoints[service as keyof typeof ENDPOINT_VARIABLES],
      ]),
    );
  }

  /** Issues session credentials for one execution environment of a function (one principal per container). */
  credentialsFor(logicalId: string, container: string) {
    const principal = this.principals.issue(this.account, logicalId, container);
    this.#keys.set(container, principal.accessKeyId);
    return { accessKeyId: principal.accessKeyId, secretAccessKey: 'sandbox', sessionToken: 'sandbox' };
  }

  /** Lets the sandbox kill containers of a pool it did not create (npm run invoke's), for crash faults. */
  attachPool(logicalId: string, pool: FunctionPool): void {
    this.#pools.set(logicalId, pool);
  }

  /** Every variable the function's process gets: the template's, Lambda's own, and the stand-ins' endpoints. */
  environmentFor(name: string): Record<string, string> {
    const fn = this.function(name);
    return {
      ...fn.lambdaEnvironment,
      ...fn.environment,
      ...this.#deploymentEnvironment(),
      ...(this.#options.environmentOverrides?.[fn.logicalId] ?? {}),
      ...this.endpointEnvironment(),
    };
  }

  /**
   * Central mode's settings for every function. Set here, on top of the template's variables, until
   * the template's DeploymentMode Parameter sets them (then the Parameter override alone does).
   */
  #deploymentEnvironment(): Record<string, string> {
    const org = this.#options.organization;
    if (!org || this.#templateHasDeploymentMode) return {};
    return { DEPLOYMENT_MODE: 'central', ORGANIZATION_ID: org.id, MEMBER_ROLE_NAME: this.memberRoleName };
  }

  /** SDK client settings for code outside the functions (tests, scenarios) acting as `name` in `account`. */
  clientConfig(name = 'sandbox', account = this.account, region = this.region) {
    const principal = this.principals.issue(account, name);
    return {
      region,
      credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: 'sandbox', sessionToken: 'sandbox' },
    };
  }

  #pool(name: string): FunctionPool {
    const fn = this.function(name);
    let pool = this.#pools.get(fn.logicalId);
    if (!pool) {
      pool = new FunctionPool(
        {
          logicalId: fn.logicalId,
          functionName: fn.functionName,
          arn: fn.arn,
          region: this.region,
          bundle: join(this.#options.distDir ?? join(repoRoot, 'dist'), fn.folder, 'handler.mjs'),
          handlerExport: fn.handlerExport,
          timeoutMs: (this.#options.timeoutOverrides?.[fn.logicalId] ?? fn.timeoutSeconds) * 1000,
          memoryMb: fn.memoryMb,
          environment: this.environmentFor(fn.logicalId),
        },
        {
          // Each execution environment gets its own session credentials, as Lambda's do: a fault can
          // then kill exactly the container that made a call.
          credentials: (container) => this.credentialsFor(fn.logicalId, container),
          onRetire: (container) => this.#retire(container),
          ...(this.#options.virtualClock === false ? {} : { clock: () => this.clock.ms() }),
          maxContainers: this.#options.maxContainers ?? 10,
          requestId: () => {
            this.#invocations += 1;
            return uuidFrom(this.seed, 'invocation', fn.logicalId, this.#invocations);
          },
        },
      );
      this.#pools.set(fn.logicalId, pool);
    }
    return pool;
  }

  /** A container that is gone keeps no credentials, as Lambda's session credentials end with it. */
  #retire(container: string): void {
    const key = this.#keys.get(container);
    if (key) this.principals.revoke(key);
    this.#keys.delete(container);
  }

  #crash(principal: Principal): void {
    if (principal.container) this.#pools.get(principal.name)?.kill(principal.container);
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    void promise.finally(() => this.#inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  /**
   * Invokes a function synchronously (RequestResponse) and records the outcome. `requestId` is for
   * Lambda's own retries of an asynchronous invocation, which keep the first attempt's id.
   */
  invoke(name: string, event: unknown, trigger = 'direct', attempt = 0, requestId?: string): Promise<InvocationRecord> {
    const fn = this.function(name);
    const at = this.clock.ms();
    return this.#track(
      this.#pool(fn.logicalId)
        .invoke(event, requestId === undefined ? {} : { requestId })
        .then((outcome) => {
          const record: InvocationRecord = { at, function: fn.logicalId, trigger, attempt, event, outcome };
          this.invocations.push(record);
          return record;
        }),
    );
  }

  /**
   * Invokes asynchronously (Event), as EventBridge and Scheduler do: Lambda retries a failed one, then
   * OnFailure. A retry has the request id of the first attempt: "Duplicate invocations that return
   * errors or timeout and that have the same request ID indicate that the Lambda service retried the
   * function" (AWS Knowledge Center, lambda-function-duplicate-invocations).
   */
  #deliverAsync(name: string, trigger: string, event: unknown, attempt: number, requestId?: string): void {
    const fn = this.function(name);
    void this.invoke(fn.logicalId, event, trigger, attempt, requestId).then((record) => {
      if (record.outcome.ok) return;
      const delay = ASYNC_RETRY_DELAYS_MS[attempt];
      if (attempt < fn.asyncRetries && delay !== undefined) {
        const first = record.outcome.requestId;
        this.#at(this.clock.ms() + delay, () => this.#deliverAsync(name, trigger, event, attempt + 1, first));
      } else {
        this.failed.push(record);
      }
    });
  }

  /** Runs `run` when the sandbox clock reaches `at`. */
  #at(at: number, run: () => void): void {
    this.#dueSeq += 1;
    this.#due.push({ at, seq: this.#dueSeq, run });
  }

  /** Puts an event on the bus now (as AWS Backup would), routed by the template's rules. */
  putEvent(event: Record<string, unknown>) {
    return this.bus.put(event, this.clock.ms());
  }

  /** Waits until every invocation under way, and everything it set off at this instant, has finished. */
  async settle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Everything due at or before `now`: jobs moving, one-time schedules, template schedules, async retries. */
  async #runDue(now: number): Promise<void> {
    this.backup.engine.advanceTo(now);
    // Template schedules exist from the first run on (a scenario may first play history on the engine alone).
    if (!this.#schedulesArmed) {
      this.#schedulesArmed = true;
      for (const fn of this.functions) {
        for (const schedule of fn.schedules) {
          this.#nextFire.set(
            `${fn.logicalId}.${schedule.name}`,
            nextFireAfter(schedule.expression, now, schedule.timezone, now),
          );
        }
      }
    }
    for (const fired of this.scheduler.dueBy(now)) {
      const fn = this.functions.find((f) => f.arn === fired.targetArn);
      if (!fn) continue;
      const input = fired.input === undefined ? {} : JSON.parse(fired.input);
      this.#deliverAsync(fn.logicalId, `scheduler:${fired.name}`, input, 0);
    }
    for (const fn of this.functions) {
      for (const schedule of fn.schedules) {
        const key = `${fn.logicalId}.${schedule.name}`;
        let next = this.#nextFire.get(key);
        while (next !== undefined && next <= now) {
          this.#deliverAsync(fn.logicalId, `schedule:${schedule.name}`, scheduleInput(schedule.input, next), 0);
          next = nextFireAfter(schedule.expression, next, schedule.timezone, next);
        }
        this.#nextFire.set(key, next);
      }
    }
    const due = this.#due.filter((d) => d.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.#due = this.#due.filter((d) => d.at > now);
    for (const d of due) d.run();
    await this.settle();
  }

  /** Moves the sandbox clock to `until` in steps (default one minute), running what falls due at each. */
  async runUntil(until: Date | number, stepMs = MINUTE_MS, onStep?: (now: number) => void): Promise<void> {
    const end = typeof until === 'number' ? until : until.getTime();
    await this.#runDue(this.clock.ms());
    while (this.clock.ms() < end) {
      this.clock.advanceTo(Math.min(end, this.clock.ms() + stepMs));
      await this.#runDue(this.clock.ms());
      onStep?.(this.clock.ms());
    }
  }

  /** Stops every process and server. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#pools.values()].map((pool) => pool.close()));
    await Promise.allSettled(this.#servers.map((server) => server.close()));
    await Promise.allSettled(
      [this.dynamo, this.sns, this.scheduler, this.secrets, this.ssm, this.webhooks, this.sts]
        .filter((service) => service !== undefined)
        .map((service) => service.close()),
    );
  }
}

/**
 * A template schedule's Input with EventBridge Scheduler's context attributes filled in
 * ("Adding context attributes", EventBridge Scheduler User Guide: `<aws.scheduler.scheduled-time>`...).
 */
const scheduleInput = (input: string | undefined, at: number): unknown => {
  if (input === undefined) return {};
  const filled = input
    .replaceAll('<aws.scheduler.scheduled-time>', new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'))
    .replaceAll('<aws.scheduler.attempt-number>', '0');
  return JSON.parse(filled);
};
