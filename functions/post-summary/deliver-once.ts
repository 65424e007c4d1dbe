import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parse } from '@aws-sdk/util-arn-parser';
import type { FunctionIdentity } from '../../shared/function-identity.js';
import { ExactlyOnce, type LedgerCall } from '../../shared/ledger/exactly-once.js';
import type { SummaryChannel } from './config.js';

/** A channel's take-once flag on its ledger item (shared/ledger/exactly-once `tellOnce`). */
export const DELIVERED_FLAG = 'deliveredAt';
/** Set once the channel's call returned: a taken flag without it may be a summary never sent. */
export const RECEIPT = 'confirmedAt';

/**
 * What one channel's take-once did: `sent` (this attempt sent it), `already-delivered` (an earlier
 * attempt sent it), `unconfirmed` (an earlier attempt took the channel and never confirmed the
 * send: it is still sending, or it died and the summary may be missing; not sent again).
 */
export type ChannelTake = 'sent' | 'already-delivered' | 'unconfirmed';

/**
 * Sends one channel's summary only if no earlier attempt of the same window took it. `send`
 * throwing gives the channel back (its error rethrown), so the retried invocation delivers it.
 */
export type ChannelOnce = (channel: SummaryChannel, send: () => Promise<void>) => Promise<ChannelTake>;

/**
 * The summary whose channels are delivered once: the deployment that sends it, the window it
 * covers, and, for a window that ends "now" (`{}`, `windowHours`, `since` alone), the Lambda request
 * id. Such a window is another one on each attempt, so it cannot tell a retry from a new summary;
 * Lambda's own retries of an asynchronous invocation keep its request id ("Duplicate invocations
 * that return errors or timeout and that have the same request ID indicate that the Lambda service
 * retried the function", AWS Knowledge Center, lambda-function-duplicate-invocations), and a new
 * invocation has a new one.
 */
export interface SummaryIntent {
  readonly identity: Pick<FunctionIdentity, 'functionArn' | 'accountId' | 'region'>;
  readonly since: Date;
  readonly until: Date;
  /** Present for a window that ends now: the attempts that share it are one summary. */
  readonly requestId?: string;
}

/** The function's name from its ARN, without a version or alias qualifier (`function:<name>[:<qualifier>]`). */
function functionNameOf(functionArn: string): string {
  return parse(functionArn).resource.split(':')[1] ?? '';
}

/**
 * The ledger key of one channel of one summary: `summary#<account>#<Region>#<function>#<since>#<until>#<channel>`,
 * or `summary#<account>#<Region>#<function>#request#<request id>#<channel>` for a window that ends now.
 * Deterministic from the window as window.ts resolved it (a scheduled run and its retries resolve
 * the same one), or from the request id Lambda's retries keep, and from the deployment: the account, Region and function name (the stack's,
 * `<stack>-post-summary`) tell two deployments' summaries of one window apart; the `summary#`
 * prefix keeps them apart from the retry (`retry#`, `attempt#`, `job#`) and copy (`copy#`) items
 * of the same table. The function's version or alias is left out: a retry of a summary invoked
 * through an alias is still the same summary.
 */
export function summaryDeliveryKey(intent: SummaryIntent, channel: SummaryChannel): string {
  return [
    'summary',
    intent.identity.accountId,
    intent.identity.region,
    functionNameOf(intent.identity.functionArn),
    ...(intent.requestId === undefined
      ? [intent.since.toISOString(), intent.until.toISOString()]
      : ['request', intent.requestId]),
    channel,
  ].join('#');
}

/**
 * Take-once per (summary window, channel) on the ledger, through the toolkit's one protocol
 * (`tellOnceWithReceipt` with `create`: a channel's item is made by its first take, with the
 * ledger's TTL, and gets a receipt once sent).
 * Items stay out of the `byDay` index: the summary counts only the retry and copy items there.
 *
 * @param call - the clock and signal of each take (the invocation's, shared/ledger `ledgerCall`)
 */
export function channelOnce(
  db: DynamoDBDocumentClient,
  settings: { readonly tableName: string; readonly ttlDays: number },
  intent: SummaryIntent,
  call: () => LedgerCall,
): ChannelOnce {
  const ledger = new ExactlyOnce(db, settings);
  const window = { since: intent.since.toISOString(), until: intent.until.toISOString() };
  const taken = { told: 'sent', 'told-before': 'already-delivered', unconfirmed: 'unconfirmed' } as const;
  return async (channel, send) =>
    taken[
      await ledger.tellOnceWithReceipt(summaryDeliveryKey(intent, channel), DELIVERED_FLAG, RECEIPT, send, call(), {
        create: { summaryChannel: channel, summarySince: window.since, summaryUntil: window.until },
      })
    ];
}
