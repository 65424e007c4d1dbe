import type { IncomingMessage } from 'node:http';
import { type Protocol, ServiceError, type WireResponse } from './stand-in.js';

/** Which AWS JSON protocol a service speaks: DynamoDB is 1.0; Secrets Manager and SSM are 1.1. */
export type JsonVersion = '1.0' | '1.1';

export interface JsonProtocolOptions {
  readonly version: JsonVersion;
  /** The `X-Amz-Target` prefix before the dot: `secretsmanager`, `AmazonSSM`, `DynamoDB_20120810`. */
  readonly targetPrefix: string;
  /** The operations the stand-in implements; any other target is answered as the service answers an unknown one. */
  readonly operations: readonly string[];
}

/** The error body of the AWS JSON protocols: `{"__type": "<code>", "message": "<text>"}`. */
export const jsonErrorBody = (code: string, message: string): string => JSON.stringify({ __type: code, message });

/** The content type of an AWS JSON protocol body (`application/x-amz-json-1.0` or `-1.1`). */
export const jsonContentType = (version: JsonVersion): string => `application/x-amz-json-${version}`;

/**
 * AWS JSON 1.0/1.1 (Smithy `awsJson1_0`/`awsJson1_1`): every call is `POST /` with the operation in
 * `X-Amz-Target: <prefix>.<Operation>` and the input as a JSON body; the answer is the output as JSON,
 * and an error is its status with `{"__type", "message"}` (Smithy "AWS JSON 1.1 protocol", "Operation
 * error serialization"). The SDK reads the code from `__type` (after any `#`) or `x-amzn-ErrorType`.
 */
export const jsonProtocol = ({ version, targetPrefix, operations }: JsonProtocolOptions): Protocol => {
  const known = new Set(operations);
  const contentType = jsonContentType(version);
  return {
    decode(req: IncomingMessage, _url: URL, body: string) {
      const target = req.headers['x-amz-target'];
      const [prefix, operation] = typeof target === 'string' ? target.split('.', 2) : [];
      if (req.method !== 'POST' || prefix !== targetPrefix || !operation || !known.has(operation)) {
        // What AWS's JSON services answer for a target they do not serve (coral's UnknownOperationException).
        throw new ServiceError('UnknownOperationException', `unknown operation ${String(target)}`, 400);
      }
      let input: unknown;
      try {
        input = body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        throw new ServiceError('SerializationException', 'the request body is not valid JSON', 400);
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new ServiceError('SerializationException', 'the request body must be a JSON object', 400);
      }
      return { operation, input };
    },
    encode(_operation: string, output: unknown): WireResponse {
      return { status: 200, headers: { 'content-type': contentType }, body: JSON.stringify(output ?? {}) };
    },
    encodeError(error: ServiceError): WireResponse {
      return {
        status: error.status,
        headers: { 'content-type': contentType, 'x-amzn-errortype': error.code },
        body: jsonErrorBody(error.code, error.message),
      };
    },
  };
};
