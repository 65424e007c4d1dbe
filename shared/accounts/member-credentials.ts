import type { BackupClientConfig } from '@aws-sdk/client-backup';
import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import { ToolkitError, ValidationError } from '../errors.js';
import { isAwsAccountId, isRegion } from '../validate/identifiers.js';

/**
 * Credentials are taken again this long before they expire: a Backup call signed a moment before
 * expiry can reach AWS after it (the SDK's retries of a throttled call last tens of seconds), and
 * Lambda's 15-minute maximum means one invocation never outlives a fresh set.
 */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The session length asked for: one hour, STS's default and the longest every role allows without
 * raising its MaxSessionDuration (API_AssumeRole, DurationSeconds: 900 to the role's maximum, default 3600).
 */
export const SESSION_SECONDS = 3600;

/** A credential provider as an SDK client's `credentials` takes it (typed from the client, not @smithy/types). */
export type CredentialProvider = Extract<NonNullable<BackupClientConfig['credentials']>, (...args: never[]) => unknown>;
/** What {@link CredentialProvider} resolves to. */
export type Credentials = Awaited<ReturnType<CredentialProvider>>;

/** STS could not give credentials for a member account (the role is missing, or does not trust us). */
export class MemberRoleError extends ToolkitError {
  constructor(
    readonly roleArn: string,
    cause: unknown,
  ) {
    super(`could not assume ${roleArn}: ${(cause as Error)?.name ?? 'error'}: ${(cause as Error)?.message ?? ''}`, {
      cause,
    });
    this.name = 'MemberRoleError';
  }
}

export interface MemberCredentialsOptions {
  /** The member role's name (MEMBER_ROLE_NAME); its ARN is `arn:<partition>:iam::<account>:role/<name>`. */
  readonly roleName: string;
  /** The function's partition: member roles are in the same one. */
  readonly partition: string;
  /** RoleSessionName: names the function in the member's CloudTrail (cut to STS's 64 characters). */
  readonly sessionName: string;
  /** The STS client of a Region: AssumeRole goes to the regional endpoint of the event's Region. */
  readonly stsFor: (region: string) => STSClient;
  /** Epoch milliseconds (injected: tests and the sandbox run their own clocks). */
  readonly now: () => number;
  readonly refreshMarginMs?: number;
}

interface Entry {
  /** Until when the entry may be used: the credentials' expiration less the margin; Infinity while in flight. */
  usableUntil: number;
  readonly credentials: Promise<Credentials>;
}

/** RoleSessionName allows `[\w+=,.@-]`, 2 to 64 characters (API_AssumeRole). */
function sessionNameOf(name: string): string {
  const cleaned = name.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : 'backup-autopilot';
}

/**
 * The member role's credentials, per account, for central mode: one STS AssumeRole per account, reused
 * until {@link REFRESH_MARGIN_MS} before they expire, and shared by every concurrent request for that
 * account (one call however many events of the account arrive at once). Nothing here grows with the
 * number of accounts per event: an event costs at most one AssumeRole, of its own account.
 *
 * A small provider over STSClient rather than `fromTemporaryCredentials` of
 * `@aws-sdk/credential-providers`: that package is not a dependency (it pulls every provider, SSO and
 * Cognito included, into three bundles that need one), and this is the part of it we use, with the
 * per-account cache and the shared in-flight call it does not have. Credentials from a regional STS
 * endpoint are valid in every Region (IAM User Guide, "Manage AWS STS in an AWS Region"), so the cache
 * key is the account alone.
 */
export class MemberCredentials {
  readonly #options: MemberCredentialsOptions;
  readonly #sessionName: string;
  readonly #byAccount = new Map<string, Entry>();
  #assumeRoleCalls = 0;

  constructor(options: MemberCredentialsOptions) {
    this.#options = options;
    this.#sessionName = sessionNameOf(options.sessionName);
  }

  /** AssumeRole calls made so far (for the logs and the tests). */
  get assumeRoleCalls(): number {
    return this.#assumeRoleCalls;
  }

  /** The member role of an account. */
  roleArn(account: string): string {
    return `arn:${this.#options.partition}:iam::${account}:role/${this.#options.roleName}`;
  }

  /**
   * The member role's credentials in `account`, asked of STS in `region` when none are cached.
   *
   * @throws ValidationError for an account id or Region that is not one (no STS call)
   * @throws MemberRoleError when STS refuses (nothing cached: the next request asks again)
   */
  credentials(account: string, region: string): Promise<Credentials> {
    if (!isAwsAccountId(account))
      return Promise.reject(new ValidationError('account', account, 'must be an account id'));
    if (!isRegion(region)) return Promise.reject(new ValidationError('region', region, 'must be a Region code'));
    const cached = this.#byAccount.get(account);
    if (cached && this.#options.now() < cached.usableUntil) return cached.credentials;
    const entry: Entry = { usableUntil: Number.POSITIVE_INFINITY, credentials: this.#assume(account, region) };
    this.#byAccount.set(account, entry);
    entry.credentials.then(
      (c) => {
        const margin = this.#options.refreshMarginMs ?? REFRESH_MARGIN_MS;
        entry.usableUntil = (c.expiration?.getTime() ?? this.#options.now()) - margin;
      },
      () => {
        // A refusal is not cached: the role may be created a minute later (a StackSet still rolling out).
        if (this.#byAccount.get(account) === entry) this.#byAccount.delete(account);
      },
    );
    return entry.credentials;
  }

  /** A credential provider for an SDK client of `account` in `region` (the client calls it per request). */
  provider(account: string, region: string): CredentialProvider {
    return () => this.credentials(account, region);
  }

  async #assume(account: string, region: string): Promise<Credentials> {
    const roleArn = this.roleArn(account);
    this.#assumeRoleCalls += 1;
    let out: AssumeRoleCommandOutput;
    try {
      out = await this.#options.stsFor(region).send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.#sessionName,
          DurationSeconds: SESSION_SECONDS,
        }),
      );
    } catch (error) {
      throw new MemberRoleError(roleArn, error);
    }
    const c = out.Credentials;
    if (
      typeof c?.AccessKeyId !== 'string' ||
      typeof c.SecretAccessKey !== 'string' ||
      typeof c.SessionToken !== 'string' ||
      !(c.Expiration instanceof Date)
    ) {
      throw new MemberRoleError(roleArn, new Error('STS returned no complete Credentials'));
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
      accountId: account,
    };
  }
}
