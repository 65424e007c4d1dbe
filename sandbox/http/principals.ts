import type { IncomingMessage } from 'node:http';

/** Who signed a request: the sandbox's stand-in for an IAM principal. */
export interface Principal {
  readonly accessKeyId: string;
  /** The account whose resources the request acts on (AWS: the account of the credentials). */
  readonly account: string;
  /** A readable name of the principal: the function's logical id, `sandbox`, a test name... */
  readonly name: string;
  /** For a function's execution environment: its id, so a fault can kill exactly the caller. */
  readonly container?: string;
  /** Sandbox time the credentials stop working (session credentials from the STS stand-in). */
  readonly expiresAt?: number;
}

/** What SigV4's Authorization header says about a request (credential scope). */
export interface SignedScope {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

// Authorization: AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/backup/aws4_request, SignedHeaders=..., Signature=...
// (Signature Version 4, "Authorization header": Credential is access key id / date / region / service / aws4_request.)
const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** Reads the credential scope of a SigV4-signed request; undefined when it is not signed. */
export const signedScope = (req: IncomingMessage): SignedScope | undefined => {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? CREDENTIAL.exec(header) : null;
  if (!match) return undefined;
  return { accessKeyId: match[1] as string, region: match[2] as string, service: match[3] as string };
};

/**
 * Access key ids the sandbox issued, each bound to one account. Stand-ins tell accounts apart by the
 * credentials that signed a request, as AWS does; secrets are never checked (signatures are not
 * verified: the stand-ins trust the loopback caller).
 */
export class Principals {
  readonly #byKey = new Map<string, Principal>();
  #next = 0;

  /** Issues a new access key id for an account (and, for a function's environment, its container id). */
  issue(account: string, name: string, container?: string, options: { readonly expiresAt?: number } = {}): Principal {
    this.#next += 1;
    const accessKeyId = `ASIASANDBOX${String(this.#next).padStart(9, '0')}`;
    const principal: Principal = {
      accessKeyId,
      account,
      name,
      ...(container ? { container } : {}),
      ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}),
    };
    this.#byKey.set(accessKeyId, principal);
    return principal;
  }

  /** The principal of an access key id; undefined when the sandbox never issued it. */
  of(accessKeyId: string): Principal | undefined {
    return this.#byKey.get(accessKeyId);
  }

  /** Forgets a key (a container that was killed keeps no credentials). */
  revoke(accessKeyId: string): void {
    this.#byKey.delete(accessKeyId);
  }
}
