// Makes the template a CloudFormation StackSet can deploy to every account and Region of an
// organization, from the template CloudFormation processed (docs/deploy.md, "Every account and Region"):
//
//   node scripts/stackset-template.mjs <processed.json> <artifact bucket prefix> [name prefix] > stackset.json
//
// Why each change (nothing else is touched):
// - StackSets with service-managed permissions refuse macros, the AWS::Serverless transform included
//   (CloudFormation API reference, CreateStackSet, Capabilities): the input is the processed template
//   (`aws cloudformation get-template --template-stage Processed`), which has no Transform left.
// - A stack instance is named StackSet-<stack set name>-<UUID> (45 characters and more), and the
//   template names its functions, rules and schedule group <stack name>-<suffix>, where Lambda,
//   EventBridge and Scheduler allow 64 characters: every name the template chooses from
//   ${AWS::StackName} is made from the name prefix instead (one stack per account and Region, so a
//   fixed prefix is unique there). A name CloudFormation generates from the stack name (the topic's
//   <stack>-NotifyTopic-<random>, which the key policy matches) is left as it is.
// - A function's code must be in an S3 bucket in the function's Region (Lambda API reference,
//   FunctionCode, S3Bucket): each Code.S3Bucket becomes <bucket prefix>-${AWS::Region}, one bucket
//   per Region holding the same objects (sam package names them by content).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Lambda function names, EventBridge rule names and schedule group names hold 64 characters. */
const NAME_LIMIT = 64;
/** The longest suffix the template puts after the stack name in such a name (`-retry-failed-job`). */
const LONGEST_SUFFIX = '-retry-failed-job'.length;
/** S3 bucket names hold 63 characters; the longest Region code today (ap-southeast-5) has 14. */
const BUCKET_PREFIX_LIMIT = 63 - '-ap-southeast-5'.length;

const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What is wrong with the two prefixes (empty when both are usable). */
export const prefixProblems = (bucketPrefix, namePrefix) => {
  const problems = [];
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucketPrefix ?? '') || bucketPrefix.length > BUCKET_PREFIX_LIMIT) {
    problems.push(
      `bucket prefix ${JSON.stringify(bucketPrefix)} must be at most ${BUCKET_PREFIX_LIMIT} lowercase letters, digits, dots and hyphens (S3 bucket naming rules, with -<region> added)`,
    );
  }
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(namePrefix ?? '') || namePrefix.length > NAME_LIMIT - LONGEST_SUFFIX) {
    problems.push(
      `name prefix ${JSON.stringify(namePrefix)} must start with a letter, hold letters, digits and hyphens, and be at most ${NAME_LIMIT - LONGEST_SUFFIX} characters`,
    );
  }
  return problems;
};

/**
 * The StackSet template made from a processed one (see the top of this file). Throws, naming what is
 * wrong, for a template that still has a Transform or a function whose code is not in S3, and for
 * prefixes that cannot make valid names.
 */
export const stackSetTemplate = (processed, { bucketPrefix, namePrefix }) => {
  const problems = prefixProblems(bucketPrefix, namePrefix);
  if (!isRecord(processed) || !isRecord(processed.Resources))
    problems.push('the input is not a template (no Resources)');
  else if (processed.Transform !== undefined) {
    problems.push(
      `the template still has Transform ${JSON.stringify(processed.Transform)}: give the processed template (get-template --template-stage Processed)`,
    );
  }
  if (problems.length > 0) throw new Error(problems.join('; '));

  const template = structuredClone(processed);
  const logicalIds = new Set(Object.keys(template.Resources));
  // ${AWS::StackName}-<logical id>-... is a name CloudFormation generated ("Name type"): kept.
  const generated = /\$\{AWS::StackName\}-([A-Za-z0-9]+)-/g;
  const rename = (text) => {
    const kept = [...text.matchAll(generated)].some((match) => logicalIds.has(match[1]));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JavaScript template
    return kept ? text : text.replaceAll('${AWS::StackName}', namePrefix);
  };
  const walk = (node) => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isRecord(node)) return node;
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Fn::Sub' && typeof value === 'string') out[key] = rename(value);
      else if (key === 'Fn::Sub' && Array.isArray(value) && typeof value[0] === 'string') {
        out[key] = [rename(value[0]), ...value.slice(1).map(walk)];
      } else out[key] = walk(value);
    }
    return out;
  };
  // Everywhere names are used: resources, conditions and outputs (the outputs report the names).
  for (const section of ['Conditions', 'Resources', 'Outputs']) {
    if (template[section] !== undefined) template[section] = walk(template[section]);
  }

  const missing = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const code = resource.Properties?.Code;
    if (!isRecord(code) || typeof code.S3Bucket !== 'string' || typeof code.S3Key !== 'string') {
      missing.push(id);
      continue;
    }
    code.S3Bucket = { 'Fn::Sub': `${bucketPrefix}-\${AWS::Region}` };
  }
  if (missing.length > 0) {
    throw new Error(`functions without Code.S3Bucket and S3Key (run sam package first): ${missing.join(', ')}`);
  }
  return template;
};

/** A processed template as get-template prints it: the template, or (YAML-era output) its JSON text. */
export const readProcessed = (text) => {
  const parsed = JSON.parse(text);
  return typeof parsed === 'string' ? JSON.parse(parsed) : parsed;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, bucketPrefix, namePrefix = 'backup-autopilot'] = process.argv.slice(2);
  if (!file || !bucketPrefix) {
    console.error('usage: node scripts/stackset-template.mjs <processed.json> <artifact bucket prefix> [name prefix]');
    process.exit(2);
  }
  try {
    const template = stackSetTemplate(readProcessed(readFileSync(file, 'utf8')), { bucketPrefix, namePrefix });
    process.stdout.write(`${JSON.stringify(template, null, 2)}\n`);
  } catch (error) {
    console.error(`stackset-template: ${error.message}`);
    process.exit(1);
  }
}
