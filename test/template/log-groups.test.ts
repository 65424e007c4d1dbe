import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionsOf } from '../../sandbox/template/functions.js';
import { readTemplate } from '../../sandbox/template/parse.js';
import { resolveTemplate, type TemplateContext } from '../../sandbox/template/resolve.js';
import { TemplateError } from '../../sandbox/template/template-error.js';

const text = readFileSync(join(import.meta.dirname, '..', '..', 'template.yaml'), 'utf8');
const ctx: TemplateContext = { stackName: 'autopilot', account: '111122223333', region: 'eu-west-1' };
const raw = readTemplate(text) as { Resources: Record<string, Record<string, unknown>> };

const groupsOf = (overrides?: Record<string, string>) => {
  const resolved = resolveTemplate(text, { ...ctx, parameterOverrides: overrides });
  return { resolved, groups: Object.values(resolved.resources).filter((r) => r.type === 'AWS::Logs::LogGroup') };
};

/** The values RetentionInDays accepts (CloudWatch Logs API reference, PutRetentionPolicy). */
const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

describe("each function's log group", () => {
  it('is declared as /aws/lambda/<function name>, and the function logs to it', () => {
    const { resolved, groups } = groupsOf();
    const functions = functionsOf(resolved);
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      const name = `/aws/lambda/${fn.functionName}`;
      expect(groups.map((group) => group.name)).toContain(name);
      // LoggingConfig.LogGroup names it (what Lambda sets AWS_LAMBDA_LOG_GROUP_NAME from).
      const props = raw.Resources[fn.logicalId]?.Properties as { LoggingConfig?: { LogGroup?: unknown } };
      expect(props.LoggingConfig?.LogGroup).toBeDefined();
      expect(fn.lambdaEnvironment.AWS_LAMBDA_LOG_GROUP_NAME).toBe(name);
    }
    expect(groups).toHaveLength(functions.length);
  });

  it('keeps logs LogRetentionDays days (90 by default), encrypted with the stack key, and is retained', () => {
    const { resolved, groups } = groupsOf();
    const keyArn = resolved.resources.DataKey?.attributes.Arn;
    for (const group of groups) {
      expect(group.properties).toMatchObject({ RetentionInDays: '90', KmsKeyId: keyArn });
      expect(raw.Resources[group.logicalId]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    for (const group of groupsOf({ LogRetentionDays: '7' }).groups) expect(group.properties.RetentionInDays).toBe('7');
  });

  it('accepts exactly the retention values CloudWatch Logs accepts', () => {
    const declared = (raw as unknown as { Parameters: { LogRetentionDays: { AllowedValues: unknown[] } } }).Parameters
      .LogRetentionDays.AllowedValues;
    expect(declared.map(Number)).toEqual(CLOUDWATCH_RETENTION_DAYS);
    let error: unknown;
    try {
      groupsOf({ LogRetentionDays: '91' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).problems).toEqual([
      `Parameter 'LogRetentionDays' must be one of AllowedValues (${CLOUDWATCH_RETENTION_DAYS.join(', ')}) (got "91")`,
    ]);
  });
});
