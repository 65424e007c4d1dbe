import { parse } from '@aws-sdk/util-arn-parser';
import type { Context } from 'aws-lambda';

/** Who a function is: where it runs and under which account, from one source for every function. */
export interface FunctionIdentity {
  /** The ARN Lambda invoked (a version or alias suffix kept): `arn:aws:lambda:<region>:<account>:function:<name>`. */
  readonly functionArn: string;
  readonly accountId: string;
  readonly region: string;
  /** `aws`, `aws-cn`, `aws-us-gov`, ...: the only partition whose events and ARNs the function acts on. */
  readonly partition: string;
}

/**
 * The function's own account and Region, from the invocation's `invokedFunctionArn` (Lambda
 * Developer Guide, "Lambda context object in Node.js"). One source for all three functions: the ARN
 * always carries both, while an environment variable for the account does not exist (AWS_REGION
 * does, and equals the ARN's Region). Split by `@aws-sdk/util-arn-parser`.
 *
 * @example const { accountId, region } = functionIdentity(context);
 */
export function functionIdentity(context: Pick<Context, 'invokedFunctionArn'>): FunctionIdentity {
  const { accountId, region, partition } = parse(context.invokedFunctionArn);
  return { functionArn: context.invokedFunctionArn, accountId, region, partition };
}
