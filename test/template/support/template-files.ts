import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every CloudFormation template of the repository, relative to `root`: template.yaml, and each
 * org/*.yaml or org/*.yml (the organization templates, e.g. the central mode's member template).
 * .ci/run lints the same set with the same glob.
 */
export const templateFiles = (root: string): string[] => {
  const org = join(root, 'org');
  const orgTemplates = existsSync(org)
    ? readdirSync(org)
        .filter((file) => /\.ya?ml$/.test(file))
        .sort()
        .map((file) => `org/${file}`)
    : [];
  return ['template.yaml', ...orgTemplates];
};
