import { type Deployment, readDeployment } from './accounts/deployment.js';
import type { EnvReader } from './config-reader.js';
import { boolean, optionalArn, optionalText } from './validate/settings.js';

export { type Env, EnvReader } from './config-reader.js';

/** `arn:<partition>:sns:<region>:<account>:<topic>`. */
export const SNS_TOPIC_ARN = {
  service: 'sns',
  expected: 'must be an SNS topic ARN arn:aws:sns:<region>:<account>:<topic>',
} as const;

/**
 * The settings every function shares (the template's `Globals`, plus the ledger table). Each
 * function's own settings live in its folder (`functions/<name>/config.ts`).
 */
export interface Config {
  /** DRY_RUN: decide and log every intended call; start, schedule, publish and write nothing. */
  readonly dryRun: boolean;
  /** LEDGER_TABLE_NAME: the DynamoDB ledger (required by the functions that write it). */
  readonly ledgerTableName: string | undefined;
  /** NOTIFY_TOPIC_ARN: the SNS topic alerts and summaries go to. */
  readonly notifyTopicArn: string | undefined;
  /** DEPLOYMENT_MODE, MEMBER_ROLE_NAME, ORGANIZATION_ID: where the functions act (shared/accounts). */
  readonly deployment: Deployment;
}

/** The schemas of the shared settings, by environment variable. */
export const SHARED_SETTINGS = {
  DRY_RUN: boolean(false),
  LEDGER_TABLE_NAME: optionalText(),
  NOTIFY_TOPIC_ARN: optionalArn(SNS_TOPIC_ARN),
};

/**
 * Reads the shared settings into `reader`, collecting problems; call `reader.finish()` after a
 * function has read its own settings too, so one cold start reports everything wrong at once.
 */
export function readConfig(reader: EnvReader): Config {
  const s = reader.read(SHARED_SETTINGS);
  const deployment = readDeployment(reader);
  return {
    dryRun: s.DRY_RUN,
    ledgerTableName: s.LEDGER_TABLE_NAME,
    notifyTopicArn: s.NOTIFY_TOPIC_ARN,
    deployment,
  };
}
