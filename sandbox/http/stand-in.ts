import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { VirtualClock } from '../clock.js';
import type { CallLog } from './calls.js';
import type { Faults } from './faults.js';
import { closeServer, listenOnLoopback } from './loopback.js';
import { type FaultErrors, underFault } from './play-fault.js';
import { type Principal, type Principals, signedScope } from './principals.js';
import { recordCall } from './record-call.js';

/** An error a stand-in answers, as the service would (the protocol decides the wire shape). */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** `Sender` (the caller's fault) or `Receiver` (the service's), as AWS's XML and JSON errors say. */
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** A response on the wire. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** How one AWS protocol (rest-json, json 1.0/1.1, query) reads requests and writes answers. */
export interface Protocol {
  /** The operation and its input; throws ServiceError for a request the service would refuse on shape. */
  decode(req: IncomingMessage, url: URL, body: string): { operation: string; input: unknown };
  encode(operation: string, output: unknown): WireResponse;
  encodeError(error: ServiceError, requestId: string): WireResponse;
}

/** What an operation knows about the request beyond its input. */
export interface CallContext {
  readonly principal: Principal;
  /** The Region of the credential scope the request was signed for. */
  readonly region: string;
  /** Sandbox time, epoch milliseconds. */
  readonly now: number;
  readonly requestId: string;
}

export type Operation = (input: never, context: CallContext) => unknown;

/** What every stand-in of one sandbox shares. */
export interface SandboxServices {
  readonly clock: VirtualClock;
  readonly principals: Principals;
  readonly faults: Faults;
  readonly calls: CallLog;
  /** Kills the execution environment a principal belongs to (fault `crash-caller`). */
  readonly crash: (principal: Principal) => void;
  /** Request ids, deterministic per sandbox. */
  readonly requestId: () => string;
}

export interface StandInOptions {
  /** The service id faults and the call log use: backup, dynamodb, sns, scheduler, secretsmanager, ssm. */
  readonly service: string;
  readonly protocol: Protocol;
  readonly operations: Readonly<Record<string, Operation>>;
  readonly shared: SandboxServices;
  /** Largest request body accepted (AWS's own limits are far below the default 16 MiB). */
  readonly maxBodyBytes?: number;
}

export interface RunningStandIn {
  /** `http://127.0.0.1:<port>`: the value of AWS_ENDPOINT_URL_<SERVICE>. */
  readonly url: string;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage, limit: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new ServiceError('RequestEntityTooLargeException', `request body over ${limit} bytes`, 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** The errors the faults answer on every stand-in started here (Backup's codes; the protocol writes the wire shape). */
const FAULT_ERRORS: FaultErrors = {
  throttle: () => new ServiceError('ThrottlingException', 'Rate exceeded', 400),
  serverError: (status) =>
    status === 500
      ? new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error.', 500)
      : new ServiceError('ServiceUnavailableException', 'Service is unavailable.', 503),
};

/**
 * Starts a stand-in on a free loopback port: every request is signed-scope checked (the account comes
 * from the access key id that signed it), decoded by the protocol, given its armed fault, handled,
 * recorded in the call log, and answered in the protocol's shape.
 */
export const startStandIn = async (options: StandInOptions): Promise<RunningStandIn> => {
  const { service, protocol, operations, shared } = options;
  const limit = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const server: Server = createServer(async (req, res) => {
    const requestId = shared.requestId();
    const send = (wire: WireResponse) => {
      if (res.destroyed) return;
      res.writeHead(wire.status, {
        'x-amzn-requestid': requestId,
        'content-length': String(Buffer.byteLength(wire.body)),
        ...wire.headers,
      });
      res.end(wire.body);
    };
    let operation = '(unknown)';
    let input: unknown;
    let principal: Principal | undefined;
    let region = '';
    let fault: string | undefined;
    const record = (status: number, error?: string) =>
      recordCall(shared, { service, operation, input, principal, region, fault }, status, error);
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = await readBody(req, limit);
      const scope = signedScope(req);
      principal = scope ? shared.principals.of(scope.accessKeyId) : undefined;
      region = scope?.region ?? '';
      if (!scope || !principal) {
        throw new ServiceError(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
          403,
        );
      }
      if (principal.expiresAt !== undefined && shared.clock.ms() >= principal.expiresAt) {
        // What AWS answers a request signed with session credentials past their Expiration.
        throw new ServiceError('ExpiredTokenException', 'The security token included in the request is expired', 403);
      }
      ({ operation, input } = protocol.decode(req, url, body));
      const handle = operations[operation];
      if (!handle) {
        throw new ServiceError('UnknownOperationException', `the sandbox does not implement ${operation}`, 501);
      }
      const armed = shared.faults.take(service, operation, input);
      fault = armed?.kind;
      const caller = principal;
      const outcome = await underFault(armed, FAULT_ERRORS, operation, () =>
        (handle as (i: unknown, c: CallContext) => unknown)(input, {
          principal: caller,
          region,
          now: shared.clock.ms(),
          requestId,
        }),
      );
      if ('lost' in outcome) {
        record(0, outcome.lost);
        if (outcome.lost === 'crashed') shared.crash(caller);
        res.destroy();
        return;
      }
      const wire = protocol.encode(operation, outcome.output);
      record(wire.status);
      send(wire);
    } catch (error) {
      const serviceError =
        error instanceof ServiceError
          ? error
          : new ServiceError('InternalFailure', `sandbox ${service} failed: ${(error as Error).message}`, 500);
      record(serviceError.status, serviceError.code);
      send(protocol.encodeError(serviceError, requestId));
    }
  });
  const { url } = await listenOnLoopback(server);
  return { url, close: () => closeServer(server) };
};
