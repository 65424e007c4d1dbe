import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPostSummaryConfig } from '../../functions/post-summary/config.js';
import { loadRetryConfig } from '../../functions/retry-failed-job/config.js';
import { loadStartCopyJobConfig } from '../../functions/start-copy-job/config.js';
import { functionsOf } from '../../sandbox/template/functions.js';
import { readTemplate } from '../../sandbox/template/parse.js';
import { resolveTemplate, type TemplateContext } from '../../sandbox/template/resolve.js';
import { environmentProblems, type FunctionEnvironment, recordReads } from './support/template-checks.js';

const root = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(root, 'template.yaml'), 'utf8');
const ctx: TemplateContext = { stackName: 'autopilot', account: '111122223333', region: 'eu-west-1' };

/** Each function's config loader (what its handler calls at cold start), by folder. */
const LOADERS: Record<string, (env: Record<string, string | undefined>) => unknown> = {
  'retry-failed-job': loadRetryConfig,
  'start-copy-job': loadStartCopyJobConfig,
  'post-summary': loadPostSummaryConfig,
};

/**
 * Settings the code reads that the template leaves at the code's default on purpose: tuning knobs
 * with no template Parameter (each documented with its default in docs/retry.md, docs/copies.md,
 * docs/summary.md). A new setting read by a loader fails this test until it is set by the template
 * or added here.
 */
const CODE_DEFAULTS: Record<string, string[]> = {
  'retry-failed-job': [
    'LEDGER_TTL_DAYS',
    'RETRY_DEFAULT_COMPLETE_WINDOW_MINUTES',
    'RETRY_DEFAULT_START_WINDOW_MINUTES',
    'RETRY_EXCLUDE_ACCOUNTS',
    'RETRY_EXCLUDE_RESOURCE_TYPES',
    'RETRY_EXCLUDE_VAULTS',
    'RETRY_INCLUDE_RESOURCE_TYPES',
    'RETRY_INCLUDE_VAULTS',
    'RETRY_SWEEP_LOOKBACK_HOURS',
    'RETRY_SWEEP_OVERLAP_MINUTES',
  ],
  'start-copy-job': ['COPY_SWEEP_LOOKBACK_HOURS', 'COPY_SWEEP_OVERLAP_MINUTES'],
  'post-summary': ['SUMMARY_WEBHOOK_RETRIES', 'SUMMARY_WEBHOOK_TIMEOUT_MS'],
};

/**
 * Read by the logger and metrics (shared/logger.ts, shared/metrics.ts) when their module loads, not
 * by the config loaders: POWERTOOLS_SERVICE_NAME (the logger's `service` and the metrics' `service`
 * dimension, which the template's alarms select on) and POWERTOOLS_METRICS_NAMESPACE, named as
 * Powertools names them so that a deployment that set them keeps its meaning. The test below checks
 * the modules' code names them.
 */
const LIBRARY_READS = new Set(['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE']);

/**
 * Parameter sets that, together, turn on every conditional variable (!If ... AWS::NoValue): the
 * defaults, and one with every optional setting given. The second sets COPY_RULES_PARAMETER instead
 * of COPY_RULES, so the two cover both of that pair.
 */
const PARAMETER_SETS: Record<string, string>[] = [
  {},
  {
    StartCopyJobCopyRulesParameterName: '/backup-autopilot/copy-rules',
    StartCopyJobDefaultCopyRoleArn: 'arn:aws:iam::111122223333:role/backup/copy',
    PostSummaryRegions: 'eu-west-1,us-east-1',
    RetryIncludeAccounts: '111122223333,444455556666',
    PostSummaryChannels: 'sns,slack,teams,json',
    PostSummarySlackWebhookSecret: 'backup-autopilot/slack',
    PostSummaryTeamsWebhookSecret: 'ssm:/backup-autopilot/teams',
  },
];

/** Each function's environment under every parameter set, and what its loader reads of it. */
const environmentsOf = (templateText: string): FunctionEnvironment[] => {
  const runs = PARAMETER_SETS.map((parameterOverrides) =>
    functionsOf(resolveTemplate(templateText, { ...ctx, parameterOverrides })),
  );
  return (runs[0] ?? []).map((fn) => {
    const variants = runs.map((functions) => functions.find((other) => other.logicalId === fn.logicalId) ?? fn);
    const load = LOADERS[fn.folder];
    if (load === undefined) throw new Error(`${fn.logicalId}: no config loader known for functions/${fn.folder}`);
    return {
      logicalId: fn.logicalId,
      set: new Set(variants.flatMap((variant) => Object.keys(variant.environment))),
      lambda: new Set(Object.keys(fn.lambdaEnvironment)),
      reads: variants.map((variant) => recordReads(load, { ...variant.lambdaEnvironment, ...variant.environment })),
      libraryReads: LIBRARY_READS,
      codeDefaults: new Set(CODE_DEFAULTS[fn.folder] ?? []),
    };
  });
};

describe("each function's environment in template.yaml", () => {
  const environments = environmentsOf(text);

  it('covers every function', () => {
    expect(environments.map((fn) => fn.logicalId)).toEqual([
      'RetryFailedJobFunction',
      'StartCopyJobFunction',
      'PostSummaryFunction',
    ]);
  });

  it.each(environments.map((fn) => [fn.logicalId, fn]))(
    '%s: sets every variable its code reads, and no other; its config accepts them',
    (_, fn) => {
      expect(environmentProblems(fn)).toEqual([]);
    },
  );

  it('documents every setting left at its code default, so a user can still set it on the function', () => {
    const docs = ['retry.md', 'copies.md', 'summary.md', 'exactly-once.md']
      .map((file) => readFileSync(join(root, 'docs', file), 'utf8'))
      .join('\n');
    const undocumented = Object.values(CODE_DEFAULTS)
      .flat()
      .filter((key) => !docs.includes(`\`${key}\``));
    expect(undocumented).toEqual([]);
  });

  it('the variables read outside the config loaders are named in the logger and metrics modules', () => {
    const logger = readFileSync(join(root, 'shared/logger.ts'), 'utf8');
    const metrics = readFileSync(join(root, 'shared/metrics.ts'), 'utf8');
    // serviceName (logger.ts) reads it for both: the metrics take it from there.
    expect(logger).toContain('env.POWERTOOLS_SERVICE_NAME');
    expect(metrics).toContain('serviceName()');
    expect(metrics).toContain('process.env.POWERTOOLS_METRICS_NAMESPACE');
  });
});

describe('the environment check itself, on broken copies of template.yaml', () => {
  const raw = readTemplate(text) as {
    Resources: Record<string, { Properties: { Environment: { Variables: Record<string, unknown> } } }>;
  };
  const brokenWith = (edit: (variables: Record<string, unknown>) => void) => {
    const broken = structuredClone(raw);
    edit((broken.Resources.RetryFailedJobFunction as (typeof raw.Resources)[string]).Properties.Environment.Variables);
    const fn = environmentsOf(JSON.stringify(broken)).find((other) => other.logicalId === 'RetryFailedJobFunction');
    return environmentProblems(fn as FunctionEnvironment);
  };

  it('reports a variable the code reads that the template no longer sets (and the cold start it breaks)', () => {
    const problems = brokenWith((variables) => {
      delete variables.SCHEDULER_GROUP_NAME;
    });
    expect(problems).toContain('RetryFailedJobFunction reads SCHEDULER_GROUP_NAME, which the template does not set');
    expect(problems.some((p) => p.includes('its config refuses') && p.includes('SCHEDULER_GROUP_NAME'))).toBe(true);
  });

  it('reports a variable the template sets that the code never reads (a typo)', () => {
    const problems = brokenWith((variables) => {
      variables.RETRY_MAX_ATTEMPT = variables.RETRY_MAX_ATTEMPTS;
      delete variables.RETRY_MAX_ATTEMPTS;
    });
    // Both sides of the typo: the setting the code reads is gone, the one given is read by nothing.
    expect(problems).toEqual([
      'RetryFailedJobFunction reads RETRY_MAX_ATTEMPTS, which the template does not set',
      'RetryFailedJobFunction is given RETRY_MAX_ATTEMPT, which it does not read',
    ]);
  });

  it('reports a value the config refuses', () => {
    const problems = brokenWith((variables) => {
      variables.RETRY_STATES = 'FAILED,RUNNING';
    });
    expect(problems).toHaveLength(PARAMETER_SETS.length);
    expect(problems[0]).toContain('its config refuses the template');
    expect(problems[0]).toContain('RETRY_STATES');
  });

  it('reports a code default the template sets after all', () => {
    const problems = brokenWith((variables) => {
      variables.LEDGER_TTL_DAYS = '30';
    });
    expect(problems).toEqual([
      'RetryFailedJobFunction: LEDGER_TTL_DAYS is listed as a code default but the template sets it',
    ]);
  });
});
