import type { IncomingMessage } from 'node:http';
import { type Protocol, ServiceError, type WireResponse } from './stand-in.js';

export interface QueryProtocolOptions {
  /** The API version the service expects in `Version` (SNS: `2010-03-31`). */
  readonly version: string;
  /** The XML namespace of its answers (SNS: `http://sns.amazonaws.com/doc/2010-03-31/`). */
  readonly xmlns: string;
  /** The actions the stand-in implements; any other is answered `InvalidAction`, as AWS's Query services do. */
  readonly operations: readonly string[];
}

type Tree = { [key: string]: Tree | string };

const isIndex = (key: string) => /^[1-9]\d*$/.test(key);
const byIndex = (tree: Tree) =>
  Object.keys(tree)
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => tree[key] as Tree | string);

/**
 * Turns a flattened Query tree back into the structure it serializes (Smithy "AWS Query protocol",
 * "Query key resolution"): `X.member.N` is a list, `X.N` a flattened list, and `X.entry.N.Name` /
 * `X.entry.N.Value` a map (the names SNS uses for MessageAttributes).
 */
const shape = (node: Tree | string): unknown => {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'member' && typeof node.member === 'object') {
    return byIndex(node.member).map(shape);
  }
  if (keys.length === 1 && keys[0] === 'entry' && typeof node.entry === 'object') {
    const entries = byIndex(node.entry);
    return Object.fromEntries(
      entries.map((entry) =>
        typeof entry === 'object'
          ? [shape(entry.Name ?? entry.key ?? ''), shape(entry.Value ?? entry.value ?? '')]
          : [],
      ),
    );
  }
  if (keys.length > 0 && keys.every(isIndex)) return byIndex(node).map(shape);
  return Object.fromEntries(keys.map((key) => [key, shape(node[key] as Tree | string)]));
};

/** The parameters of a Query request (body and query string), nested as their dotted names say. */
export const queryInput = (params: URLSearchParams): Record<string, unknown> => {
  const root: Tree = {};
  for (const [name, value] of params) {
    if (name === 'Action' || name === 'Version') continue;
    const path = name.split('.');
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      if (typeof next === 'object') {
        node = next;
      } else {
        const fresh: Tree = {};
        node[part] = fresh;
        node = fresh;
      }
    });
  }
  return shape(root) as Record<string, unknown>;
};

/** Escapes text for an XML element. */
export const xmlText = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const xmlOf = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => `<member>${xmlOf(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${xmlOf(v)}</${k}>`)
      .join('');
  }
  return xmlText(String(value));
};

/**
 * AWS Query (Smithy `awsQuery`, the protocol of SNS): `POST /` with a form-urlencoded body
 * `Action=<Operation>&Version=<version>&...`; the answer is XML
 * `<OpResponse><OpResult>...</OpResult><ResponseMetadata><RequestId/></ResponseMetadata></OpResponse>`
 * and an error is `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`
 * (Smithy "AWS Query protocol", "Response serialization" and "Operation error serialization").
 * An operation that wants a RequestId in the body returns it as `ResponseMetadata: {RequestId}`.
 */
export const queryProtocol = ({ version, xmlns, operations }: QueryProtocolOptions): Protocol => {
  const known = new Set(operations);
  return {
    decode(req: IncomingMessage, url: URL, body: string) {
      const params = new URLSearchParams(url.search);
      if (req.method === 'POST') for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
      const action = params.get('Action') ?? '';
      if (!known.has(action)) {
        throw new ServiceError('InvalidAction', `The action ${action} is not valid for this web service.`, 400);
      }
      if (params.get('Version') !== version) {
        throw new ServiceError('InvalidParameterValue', `Invalid API version ${params.get('Version') ?? ''}`, 400);
      }
      return { operation: action, input: queryInput(params) };
    },
    encode(operation: string, output: unknown): WireResponse {
      const { ResponseMetadata, ...result } = (output ?? {}) as { ResponseMetadata?: unknown };
      const body =
        `<${operation}Response xmlns="${xmlns}"><${operation}Result>${xmlOf(result)}</${operation}Result>` +
        `${ResponseMetadata ? xmlOf({ ResponseMetadata }) : ''}</${operation}Response>`;
      return { status: 200, headers: { 'content-type': 'text/xml' }, body };
    },
    encodeError(error: ServiceError, requestId: string): WireResponse {
      const body =
        `<ErrorResponse xmlns="${xmlns}"><Error><Type>${error.fault}</Type><Code>${xmlText(error.code)}</Code>` +
        `<Message>${xmlText(error.message)}</Message></Error><RequestId>${xmlText(requestId)}</RequestId></ErrorResponse>`;
      return { status: error.status, headers: { 'content-type': 'text/xml' }, body };
    },
  };
};
