/**
 * A template that CloudFormation (or SAM) would refuse: every problem found, in one error, so a
 * user fixing parameter overrides sees all of them at once (as CloudFormation's validation does
 * for parameters, and as shared/config.ts does for settings).
 */
export class TemplateError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    // A literal name survives minification (STYLE.md, F).
    this.name = 'TemplateError';
  }
}
