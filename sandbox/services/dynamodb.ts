import { Agent, createServer, type IncomingMessage, request } from 'node:http';
import {
  type AttributeDefinition,
  type BillingMode,
  CreateTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  type ProvisionedThroughput,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { jsonContentType, jsonErrorBody } from '../http/json-protocol.js';
import { closeServer, listenOnLoopback } from '../http/loopback.js';
import { type FaultErrors, underFault } from '../http/play-fault.js';
import { type Principal, signedScope } from '../http/principals.js';
import { recordCall } from '../http/record-call.js';
import { type SandboxServices, ServiceError } from '../http/stand-in.js';

/**
 * The `Properties` of an `AWS::DynamoDB::Table` as template.yaml writes them (TableName apart). Only the
 * members that shape keys and indexes reach dynalite; TimeToLiveSpecification, SSESpecification,
 * PointInTimeRecoverySpecification, StreamSpecification, Tags and the rest are accepted and ignored,
 * because dynalite has no UpdateTimeToLive, encryption, backups or tags (and the sandbox needs none).
 */
export interface TableProperties {
  readonly AttributeDefinitions: readonly AttributeDefinition[];
  readonly KeySchema: readonly KeySchemaElement[];
  readonly GlobalSecondaryIndexes?: readonly GlobalSecondaryIndex[];
  readonly LocalSecondaryIndexes?: readonly LocalSecondaryIndex[];
  readonly BillingMode?: BillingMode;
  readonly ProvisionedThroughput?: ProvisionedThroughput;
  readonly [ignored: string]: unknown;
}

export interface RunningDynamo {
  /** The proxy, `http://127.0.0.1:<port>`: the value of AWS_ENDPOINT_URL_DYNAMODB. */
  readonly url: string;
  /** Creates a table on dynalite (not through the proxy: seeding is not a call of the toolkit) and waits for it. */
  createTable(tableName: string, properties: TableProperties): Promise<void>;
  /** Every item of a table, as plain JavaScript values (unmarshalled). */
  scan(tableName: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

// DynamoDB's JSON 1.0 error codes carry the service's namespace (as dynalite writes its own).
const NAMESPACE = 'com.amazonaws.dynamodb.v20120810#';

// Data-plane throttling is ProvisionedThroughputExceededException; control-plane calls (CreateTable,
// DescribeTable...) are throttled with ThrottlingException ("Error handling with DynamoDB", "Error codes").
const DATA_PLANE = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

const errorAnswer = (status: number, code: string, message: string): Answer => ({
  status,
  headers: { 'content-type': jsonContentType('1.0') },
  body: Buffer.from(jsonErrorBody(`${NAMESPACE}${code}`, message)),
});

const readAll = (stream: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

const FAULT_ERRORS: FaultErrors = {
  throttle: (operation) =>
    DATA_PLANE.has(operation)
      ? new ServiceError(
          'ProvisionedThroughputExceededException',
          'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
          400,
        )
      : new ServiceError('ThrottlingException', 'Rate of requests exceeds the allowed throughput.', 400),
  serverError: (status) =>
    status === 500
      ? new ServiceError('InternalServerError', 'Internal server error', 500)
      : new ServiceError('ServiceUnavailable', 'The service is currently unavailable or busy.', 503),
};

/**
 * Starts dynalite (per-key locks and ConditionExpression, so concurrency claims are real) behind a
 * loopback proxy. The proxy does for DynamoDB what `startStandIn` does for the other stand-ins: it reads
 * the operation from `X-Amz-Target` and the caller from the SigV4 access key id, applies the armed
 * faults (service `dynamodb`), records the call (input = the JSON body as sent, AttributeValues and all),
 * and forwards the request bytes unchanged to dynalite. The answer's body goes back unchanged (its
 * `x-amz-crc32` stays valid); only the request id is replaced by the sandbox's deterministic one.
 * dynalite has no accounts or Regions: every caller sees the same tables.
 */
export const startDynamo = async (shared: SandboxServices): Promise<RunningDynamo> => {
  const backend = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const { port: backendPort, url: backendUrl } = await listenOnLoopback(backend);
  const agent = new Agent({ keepAlive: true });

  const forward = (req: IncomingMessage, body: Buffer): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const out = request(
        { host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers: req.headers, agent },
        (answer) => {
          readAll(answer).then(
            (bytes) => resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: bytes }),
            reject,
          );
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const proxy = createServer(async (req, res) => {
    const requestId = shared.requestId();
    const body = await readAll(req);
    const target = req.headers['x-amz-target'];
    const operation = (typeof target === 'string' ? target.split('.')[1] : undefined) ?? '(unknown)';
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      input = undefined;
    }
    const scope = signedScope(req);
    const principal: Principal | undefined = scope ? shared.principals.of(scope.accessKeyId) : undefined;
    let fault: string | undefined;
    const record = (status: number, error?: string) =>
      recordCall(
        shared,
        { service: 'dynamodb', operation, input, principal, region: scope?.region ?? '', fault },
        status,
        error,
      );
    const send = (answer: Answer, error?: string) => {
      record(answer.status, error);
      if (res.destroyed) return;
      res.writeHead(answer.status, {
        ...answer.headers,
        'x-amzn-requestid': requestId,
        'content-length': String(answer.body.length),
      });
      res.end(answer.body);
    };

    try {
      if (!scope || !principal) {
        send(
          errorAnswer(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.'),
          'UnrecognizedClientException',
        );
        return;
      }
      const armed = shared.faults.take('dynamodb', operation, input);
      fault = armed?.kind;
      const outcome = await underFault(armed, FAULT_ERRORS, operation, () => forward(req, body));
      if ('lost' in outcome) {
        record(0, outcome.lost);
        if (outcome.lost === 'crashed') shared.crash(principal);
        res.destroy();
        return;
      }
      const answer = outcome.output;
      let error: string | undefined;
      if (answer.status >= 400) {
        try {
          const type = (JSON.parse(answer.body.toString('utf8')) as { __type?: string }).__type ?? '';
          error = type.slice(type.indexOf('#') + 1) || undefined;
        } catch {
          error = 'UnknownError';
        }
      }
      send(answer, error);
    } catch (problem) {
      if (problem instanceof ServiceError) {
        send(errorAnswer(problem.status, problem.code, problem.message), problem.code);
        return;
      }
      send(
        errorAnswer(500, 'InternalServerError', `sandbox dynamodb failed: ${(problem as Error).message}`),
        'InternalServerError',
      );
    }
  });
  const { url: proxyUrl } = await listenOnLoopback(proxy);

  // Seeding and reading talk to dynalite directly: not the toolkit's calls, so neither faulted nor recorded.
  const client = new DynamoDBClient({
    endpoint: backendUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  });
  const documents = DynamoDBDocumentClient.from(client);

  return {
    url: proxyUrl,
    async createTable(tableName, properties) {
      const { AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, LocalSecondaryIndexes, BillingMode } =
        properties;
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [...AttributeDefinitions],
          KeySchema: [...KeySchema],
          ...(GlobalSecondaryIndexes
            ? {
                GlobalSecondaryIndexes: GlobalSecondaryIndexes.map(
                  ({ IndexName, KeySchema: keys, Projection, ProvisionedThroughput: throughput }) => ({
                    IndexName,
                    KeySchema: keys,
                    Projection,
                    ...(throughput ? { ProvisionedThroughput: throughput } : {}),
                  }),
                ),
              }
            : {}),
          ...(LocalSecondaryIndexes
            ? {
                LocalSecondaryIndexes: LocalSecondaryIndexes.map(({ IndexName, KeySchema: keys, Projection }) => ({
                  IndexName,
                  KeySchema: keys,
                  Projection,
                })),
              }
            : {}),
          // CloudFormation's default BillingMode is PROVISIONED (AWS::DynamoDB::Table, BillingMode).
          BillingMode: BillingMode ?? 'PROVISIONED',
          ...(properties.ProvisionedThroughput ? { ProvisionedThroughput: properties.ProvisionedThroughput } : {}),
        }),
      );
      await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { TableName: tableName });
    },
    async scan(tableName) {
      const items: Record<string, unknown>[] = [];
      for await (const page of paginateScan({ client: documents }, { TableName: tableName, ConsistentRead: true })) {
        items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      }
      return items;
    },
    async close() {
      client.destroy();
      agent.destroy();
      await closeServer(proxy);
      await closeServer(backend);
    },
  };
};
