import { describe, expect, it } from 'vitest';
import { failedRules } from '../../../sandbox/template/rules.js';
import { TemplateError } from '../../../sandbox/template/template-error.js';

const params: Record<string, string | string[]> = { Mode: 'central', Org: '', Channels: ['sns', 'slack'], Empty: '' };
const parameter = (name: string) => params[name];
const ref = (name: string) => ({ Ref: name });

describe("the sandbox's Rules check, as CloudFormation's", () => {
  it('reports a failed assertion of a rule whose condition holds, by rule and description', () => {
    const rules = {
      NeedsOrg: {
        RuleCondition: { 'Fn::Equals': [ref('Mode'), 'central'] },
        Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Equals': [ref('Org'), ''] }] }, AssertDescription: 'set Org' }],
      },
      SkippedWhenItsConditionFails: {
        RuleCondition: { 'Fn::Equals': [ref('Mode'), 'account'] },
        Assertions: [{ Assert: { 'Fn::Equals': ['a', 'b'] }, AssertDescription: 'never checked' }],
      },
    };
    expect(failedRules(rules, parameter)).toEqual(['Rule NeedsOrg: set Org']);
  });

  it('evaluates every rule function on parameters and literals', () => {
    const holds = (Assert: unknown) =>
      failedRules({ R: { Assertions: [{ Assert, AssertDescription: 'no' }] } }, parameter).length === 0;
    expect(holds({ 'Fn::Contains': [ref('Channels'), 'slack'] })).toBe(true);
    expect(holds({ 'Fn::Contains': [ref('Channels'), 'teams'] })).toBe(false);
    expect(holds({ 'Fn::Contains': [['a', 'b'], ref('Mode')] })).toBe(false);
    expect(holds({ 'Fn::EachMemberEquals': [['x', 'x'], 'x'] })).toBe(true);
    expect(holds({ 'Fn::EachMemberEquals': [ref('Channels'), 'sns'] })).toBe(false);
    expect(holds({ 'Fn::EachMemberIn': [ref('Channels'), ['sns', 'slack', 'teams']] })).toBe(true);
    expect(holds({ 'Fn::EachMemberIn': [ref('Channels'), ['sns']] })).toBe(false);
    expect(
      holds({ 'Fn::And': [{ 'Fn::Equals': [ref('Mode'), 'central'] }, { 'Fn::Equals': [ref('Empty'), ''] }] }),
    ).toBe(true);
    expect(holds({ 'Fn::Or': [{ 'Fn::Equals': [ref('Mode'), 'x'] }, { 'Fn::Equals': [ref('Org'), 'y'] }] })).toBe(
      false,
    );
  });

  it('refuses what CloudFormation refuses: a Ref of a non-parameter, an unknown function, no assertions', () => {
    const problem = (rules: unknown) => {
      try {
        failedRules(rules, parameter);
      } catch (error) {
        if (error instanceof TemplateError) return error.problems[0];
        throw error;
      }
      return undefined;
    };
    expect(problem({ R: { Assertions: [{ Assert: { 'Fn::Equals': [ref('AWS::Region'), 'x'] } }] } })).toBe(
      'Rules/R/Assertions/0/Assert/Fn::Equals/0: Ref AWS::Region: rules may name parameters only',
    );
    expect(problem({ R: { Assertions: [{ Assert: { 'Fn::If': ['C', 'a', 'b'] } }] } })).toBe(
      'Rules/R/Assertions/0/Assert/Fn::If: Fn::If is not a rule function',
    );
    expect(problem({ R: { Assertions: [] } })).toBe('Rules/R/Assertions must be a non-empty list');
    expect(failedRules(undefined, parameter)).toEqual([]);
  });
});
