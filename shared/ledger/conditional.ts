import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** True when a DynamoDB write was refused by its ConditionExpression (a claim lost, a counter moved on). */
export function isConditionFailed(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException'
  );
}

/**
 * Runs a conditional write: `true` when it was applied, `false` when its condition did not hold;
 * any other error is thrown.
 */
export async function conditionalWrite(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}
