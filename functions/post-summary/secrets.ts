import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { ToolkitError } from '../../shared/errors.js';
import { redact } from '../../shared/redact.js';
import { importSideBundle } from '../../shared/side-bundle.js';
import type { SecretRef } from './config.js';

/**
 * A webhook secret that cannot be read or does not hold a usable URL. Names the secret redacted
 * ({@link describeSecretRef}), never its value.
 */
export class WebhookSecretError extends ToolkitError {
  constructor(
    /** The secret, as {@link describeSecretRef} shows it. */
    readonly secret: string,
    reason: string,
  ) {
    super(`webhook secret ${secret} ${reason}`);
    this.name = 'WebhookSecretError';
  }
}

/**
 * How a secret reference is named in logs and errors: its store and its name redacted
 * (`secretsmanager:backup-a… (30 characters)`), since a name can be the webhook URL itself pasted
 * in its place, and the setting (SLACK_WEBHOOK_SECRET, TEAMS_WEBHOOK_SECRET) says which one it is.
 */
export function describeSecretRef(ref: SecretRef): string {
  return `${ref.store}:${redact(ref.name)}`;
}

/** Reads a webhook URL; the value must never reach a log line. */
export type SecretReader = (ref: SecretRef, signal?: AbortSignal) => Promise<string>;

export interface SecretReaderDeps {
  /** Omitted (the handler): the function's own clients, created on the first read. */
  readonly secrets?: SecretsManagerClient;
  readonly ssm?: SSMClient;
  /** How long a value stays cached in the container (default 5 minutes), so a rotated URL is picked up soon. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

// The secret holds the URL as is, or JSON with a `url` (or `webhookUrl`) field, the shape the
// Secrets Manager console's key/value editor writes.
function urlFrom(secret: string, raw: string | undefined): string {
  let value = raw?.trim() ?? '';
  if (value.startsWith('{')) {
    try {
      const parsed = JSON.parse(value) as Record<string, unknown>;
      const field = parsed.url ?? parsed.webhookUrl;
      value = typeof field === 'string' ? field.trim() : '';
    } catch {
      throw new WebhookSecretError(secret, 'holds text starting with { that is not JSON');
    }
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WebhookSecretError(secret, 'does not hold a URL (the URL itself, or JSON {"url": "..."})');
  }
  // Plain http only to this machine (local stand-ins and tests): the URL is a credential.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new WebhookSecretError(secret, 'must hold an https URL');
  }
  return url.toString();
}

/**
 * Reads webhook URLs at run time from Secrets Manager (GetSecretValue) or an SSM SecureString
 * (GetParameter WithDecryption), cached per container for a few minutes.
 *
 * Why not Powertools Parameters (`getSecret`, `getParameter` with `maxAge`): measured here, it adds
 * 10.6 KiB to the bundle plus @aws-lambda-powertools/commons (2.8 KiB), which nothing else here
 * loads (the logger and metrics are the toolkit's own: shared/logger.ts says why); its providers
 * send without an abort signal (BaseProvider calls `client.send(command)`), so a read could outlive
 * the invocation; and its
 * `transform: 'json'` cannot express "the URL itself, or JSON with a url field". What it would
 * replace is the ten-line cache below.
 *
 * The SDK calls live in secret-stores.ts, a side bundle (shared/side-bundle.ts) loaded on the
 * first read, so the two clients cost nothing at a cold start.
 *
 * @example const readSecret = createSecretReader({});
 */
export function createSecretReader({ secrets, ssm, ttlMs = 300_000, now = Date.now }: SecretReaderDeps): SecretReader {
  const cache = new Map<string, { value: string; expires: number }>();
  return async (ref, signal) => {
    // The full name keys the cache (two names may redact alike); only the redacted one is ever shown.
    const key = `${ref.store}:${ref.name}`;
    const secret = describeSecretRef(ref);
    const hit = cache.get(key);
    if (hit && hit.expires > now()) return hit.value;
    let raw: string | undefined;
    try {
      const { defaultSecretStores, readSecretText } = await importSideBundle<typeof import('./secret-stores.js')>(
        import.meta.url,
        'secret-stores',
      );
      const stores = { secrets: secrets ?? defaultSecretStores().secrets, ssm: ssm ?? defaultSecretStores().ssm };
      raw = await readSecretText(stores, ref, signal);
    } catch (error) {
      // The SDK error is not kept as the cause: its message may name the secret in full (an IAM
      // AccessDeniedException reads "... is not authorized to perform: secretsmanager:GetSecretValue
      // on resource: <name> ..."), and whoever logs this error would log its cause too. Its name and
      // request id say what happened and let AWS Support find the call.
      const e = error as { name?: string; $metadata?: { requestId?: string } };
      const request = e.$metadata?.requestId ? `, request ${e.$metadata.requestId}` : '';
      throw new WebhookSecretError(secret, `could not be read (${e.name ?? 'Error'}${request})`);
    }
    const value = urlFrom(secret, raw);
    cache.set(key, { value, expires: now() + ttlMs });
    return value;
  };
}
