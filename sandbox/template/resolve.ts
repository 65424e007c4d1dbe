import { isRecord } from '../../shared/objects.js';
import { uuidFrom } from '../ids.js';
import { evaluateCondition, type IntrinsicScope, NO_VALUE, resolveValue } from './intrinsics.js';
import { type ParameterValue, parameterValueOf, resolveParameters } from './parameters.js';
import { readTemplate } from './parse.js';
import {
  identityOf,
  NAME_PROPERTY,
  type ResourceIdentity,
  type StackEnvironment,
  urlSuffixOf,
} from './physical-ids.js';
import { failedRules } from './rules.js';
import { TemplateError } from './template-error.js';

/** Where and how the template is deployed (what `sam deploy` would be told). */
export interface TemplateContext {
  stackName: string;
  account: string;
  region: string;
  /** Default `aws`. */
  partition?: string;
  /** `--parameter-overrides`: each replaces a parameter's Default. */
  parameterOverrides?: Record<string, string>;
  /** The generated name of a resource without an explicit one; default `${stackName}-${logicalId}`. */
  physicalName?: (logicalId: string, type: string) => string;
}

/** One resource, every intrinsic resolved. */
export interface ResolvedResource extends ResourceIdentity {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** The template as AWS would deploy it: parameters chosen, conditions decided, intrinsics resolved. */
export interface ResolvedTemplate {
  readonly environment: StackEnvironment;
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly conditions: Readonly<Record<string, boolean>>;
  /** SAM's Globals section, resolved (functions.ts merges Globals.Function into each function). */
  readonly globals: Readonly<Record<string, unknown>>;
  /** Resources whose Condition holds (or that have none), by logical id. */
  readonly resources: Readonly<Record<string, ResolvedResource>>;
  /** Logical ids of resources left out because their Condition is false. */
  readonly omitted: readonly string[];
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The name a resource without an explicit one gets (SAM's generated resources too, e.g. a rule's DLQ). */
  readonly generatedName: (logicalId: string, type: string) => string;
}

/** A stack id's UUID, from what names the stack (CloudFormation makes it at CreateStack). */
const uuidOfStack = (ctx: TemplateContext): string => uuidFrom('stack', ctx.account, ctx.region, ctx.stackName);

const recordAt = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

/** A lazily computed, memoised value that refuses to depend on itself. */
const memo = <T>(what: string, compute: (key: string) => T) => {
  const done = new Map<string, T>();
  const busy = new Set<string>();
  return (key: string): T => {
    if (done.has(key)) return done.get(key) as T;
    if (busy.has(key)) throw new TemplateError([`${what} ${key} depends on itself`]);
    busy.add(key);
    try {
      const value = compute(key);
      done.set(key, value);
      return value;
    } finally {
      busy.delete(key);
    }
  };
};

/**
 * Resolves a SAM template as CloudFormation would deploy it ("Template anatomy"; "Intrinsic function
 * reference"; "Pseudo parameters reference"): parameter values validated (all problems in one
 * TemplateError), conditions evaluated, resources with a false Condition left out, and Ref, Fn::Sub,
 * Fn::GetAtt, Fn::If, Fn::Join, Fn::Split, Fn::Select and AWS::NoValue resolved everywhere.
 * Resolution problems are collected per resource and thrown together too.
 */
export const resolveTemplate = (text: string, ctx: TemplateContext): ResolvedTemplate => {
  const template = readTemplate(text);
  const partition = ctx.partition ?? 'aws';
  const environment: StackEnvironment = {
    stackName: ctx.stackName,
    account: ctx.account,
    region: ctx.region,
    partition,
    urlSuffix: urlSuffixOf(partition),
  };
  const { values: parameters, problems } = resolveParameters(
    recordAt(template.Parameters),
    ctx.parameterOverrides ?? {},
  );
  if (problems.length > 0) throw new TemplateError(problems);
  const refused = failedRules(template.Rules, (name) =>
    name in parameters ? parameterValueOf(parameters[name] as ParameterValue) : undefined,
  );
  if (refused.length > 0) throw new TemplateError(refused);

  const declaredConditions = recordAt(template.Conditions);
  const declaredResources = recordAt(template.Resources);
  const pseudo: Record<string, unknown> = {
    'AWS::AccountId': ctx.account,
    'AWS::Region': ctx.region,
    'AWS::Partition': partition,
    'AWS::StackName': ctx.stackName,
    'AWS::StackId': `arn:${partition}:cloudformation:${ctx.region}:${ctx.account}:stack/${ctx.stackName}/${uuidOfStack(ctx)}`,
    'AWS::URLSuffix': environment.urlSuffix,
    'AWS::NotificationARNs': [],
    'AWS::NoValue': NO_VALUE,
  };

  const generatedName = (logicalId: string, type: string): string =>
    ctx.physicalName?.(logicalId, type) ?? `${ctx.stackName}-${logicalId}`;
  const condition = memo('Condition', (name): boolean => {
    if (!(name in declaredConditions)) throw new TemplateError([`Condition ${name} is not declared`]);
    return evaluateCondition(declaredConditions[name], scope, `Conditions/${name}`);
  });
  const included = (logicalId: string): boolean => {
    const resource = recordAt(declaredResources[logicalId]);
    return typeof resource.Condition !== 'string' || condition(resource.Condition);
  };
  const identity = memo('Resource', (logicalId): ResourceIdentity => {
    const resource = recordAt(declaredResources[logicalId]);
    const type = String(resource.Type);
    const props = recordAt(resource.Properties);
    const property = (key: string) => resolveValue(props[key], scope, `Resources/${logicalId}/Properties/${key}`);
    const nameKey = NAME_PROPERTY[type];
    const explicit = nameKey ? property(nameKey) : undefined;
    const name = typeof explicit === 'string' && explicit !== '' ? explicit : generatedName(logicalId, type);
    return identityOf(environment, logicalId, type, name, property);
  });
  const resourceFor = (logicalId: string, path: string): ResourceIdentity => {
    if (!(logicalId in declaredResources)) throw new TemplateError([`${path}: ${logicalId} is not a resource`]);
    // CloudFormation: "Unresolved resource dependencies [X] in the Resources block of the template".
    if (!included(logicalId)) throw new TemplateError([`${path}: ${logicalId} is left out by its Condition`]);
    return identity(logicalId);
  };
  const scope: IntrinsicScope = {
    ref: (name) => {
      if (name in pseudo) return pseudo[name];
      if (name in parameters) return parameterValueOf(parameters[name] as ParameterValue);
      return name in declaredResources ? resourceFor(name, `Ref ${name}`).ref : undefined;
    },
    getAtt: (logicalId, attribute) => {
      const value = resourceFor(logicalId, `Fn::GetAtt ${logicalId}.${attribute}`).attributes[attribute];
      if (value !== undefined) return value;
      const known = Object.keys(resourceFor(logicalId, logicalId).attributes);
      throw new TemplateError([
        `Fn::GetAtt ${logicalId}.${attribute}: not an attribute the sandbox knows for ${String(recordAt(declaredResources[logicalId]).Type)} (known: ${known.join(', ') || 'none'})`,
      ]);
    },
    condition,
  };

  const failures: string[] = [];
  const attempt = <T>(run: () => T, fallback: T): T => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      failures.push(...error.problems);
      return fallback;
    }
  };
  const conditions = Object.fromEntries(
    Object.keys(declaredConditions).map((name) => [name, attempt(() => condition(name), false)]),
  );
  const resources: Record<string, ResolvedResource> = {};
  const omitted: string[] = [];
  for (const [logicalId, raw] of Object.entries(declaredResources)) {
    const resource = recordAt(raw);
    if (!attempt(() => included(logicalId), false)) {
      omitted.push(logicalId);
      continue;
    }
    attempt(() => {
      resources[logicalId] = {
        ...identity(logicalId),
        logicalId,
        type: String(resource.Type),
        properties: recordAt(resolveValue(resource.Properties ?? {}, scope, `Resources/${logicalId}/Properties`)),
        metadata: recordAt(resolveValue(resource.Metadata ?? {}, scope, `Resources/${logicalId}/Metadata`)),
      };
    }, undefined);
  }
  const globals = attempt(() => recordAt(resolveValue(template.Globals ?? {}, scope, 'Globals')), {});
  const outputs: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(recordAt(template.Outputs))) {
    const output = recordAt(raw);
    attempt(() => {
      if (typeof output.Condition === 'string' && !condition(output.Condition)) return;
      outputs[name] = resolveValue(output.Value, scope, `Outputs/${name}/Value`);
    }, undefined);
  }
  if (failures.length > 0) throw new TemplateError(failures);
  return { environment, parameters, conditions, globals, resources, omitted, outputs, generatedName };
};
