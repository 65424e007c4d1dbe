import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveTemplate, type TemplateContext } from '../../../sandbox/template/resolve.js';
import { TemplateError } from '../../../sandbox/template/template-error.js';
import { type Statement, statementsOf } from './iam-policy.js';

/** template.yaml as written. */
export const TEMPLATE_TEXT = readFileSync(join(import.meta.dirname, '..', '..', '..', 'template.yaml'), 'utf8');

/** The stack the Parameter tests deploy. */
export const STACK_CONTEXT: TemplateContext = { stackName: 'autopilot', account: '111122223333', region: 'eu-west-1' };

/** What CloudFormation would refuse at CreateStack with these Parameter values (empty: it deploys). */
export const parameterProblems = (overrides: Record<string, string>, text = TEMPLATE_TEXT): readonly string[] => {
  try {
    resolveTemplate(text, { ...STACK_CONTEXT, parameterOverrides: overrides });
    return [];
  } catch (error) {
    if (error instanceof TemplateError) return error.problems;
    throw error;
  }
};

/** The roles a function may pass to AWS Backup (iam:PassRole conditioned on PassedToService backup), sorted. */
export const passableRoles = (functionId: string, overrides: Record<string, string> = {}): string[] => {
  const { resources } = resolveTemplate(TEMPLATE_TEXT, { ...STACK_CONTEXT, parameterOverrides: overrides });
  const policies = resources[functionId]?.properties.Policies as unknown[];
  return policies
    .flatMap((policy) => statementsOf(policy))
    .filter((statement: Statement) => statement.Action === 'iam:PassRole')
    .filter((statement) => JSON.stringify(statement.Condition).includes('backup.amazonaws.com'))
    .flatMap((statement) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]))
    .map(String)
    .sort();
};
