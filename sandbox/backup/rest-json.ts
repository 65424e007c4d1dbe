import type { IncomingMessage } from 'node:http';
import { type Protocol, ServiceError, type WireResponse } from '../http/stand-in.js';
import { decodeJson, encodeJson, jsonKey, OutputShapeError } from './json-body.js';
import { type LoadedModel, loadBackupModel, type MemberModel } from './model.js';
import { MODEL_DEVIATIONS, type ModelDeviation } from './model-deviations.js';
import { compileRoutes, matchRoute } from './routes.js';
import { validateInput, validationError } from './validate.js';
import { formatHeader, parseText, serializationError } from './wire-values.js';

/**
 * An error with the extra members AWS Backup's error shapes carry (`Type`, `Context`, beside `Code` and
 * `Message`); a plain ServiceError works too and sends `Code` only.
 */
export class BackupServiceError extends ServiceError {
  constructor(
    code: string,
    message: string,
    status = 400,
    readonly details: { readonly type?: string; readonly context?: string } = {},
  ) {
    super(code, message, status);
  }
}

const JSON_HEADERS = { 'content-type': 'application/json' };

const headerValue = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
};

const parseBody = (body: string): unknown => {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch {
    throw serializationError('The request body is not valid JSON.');
  }
};

/**
 * The restJson1 protocol (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html) driven by a
 * botocore service model: routes from `http.method`/`http.requestUri`, each input member read from where
 * its `location` says (path label, query string, header, or JSON body) into the model's member names,
 * checked against the model's constraints, and outputs and errors written as AWS writes them.
 */
export const createRestJsonProtocol = (
  model: LoadedModel,
  deviations: readonly ModelDeviation[] = MODEL_DEVIATIONS,
): Protocol => {
  const routes = compileRoutes(model);

  const decode: Protocol['decode'] = (req, url, body) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const route = matchRoute(routes, method, url.pathname, url.searchParams);
    if (!route) {
      throw new ServiceError('UnknownOperationException', `No operation matches ${method} ${url.pathname}`, 404);
    }
    const { operation } = route;
    const inputRef = model.operation(operation).input;
    if (!inputRef) return { operation, input: {} };
    const shape = model.shape(inputRef.shape);
    const members = Object.entries(shape.members ?? {});
    const input: Record<string, unknown> = {};
    const claimed = new Set(route.literalQuery);
    const read = (member: MemberModel, text: string, where: string, httpDate = false) =>
      parseText(model, member.shape, text, where, httpDate);

    for (const [name, member] of members) {
      const wire = member.locationName ?? name;
      switch (member.location) {
        case 'uri': {
          const text = route.labels[wire];
          if (text !== undefined) input[name] = read(member, text, wire);
          break;
        }
        case 'querystring': {
          const target = model.shape(member.shape);
          if (target.type === 'map') break; // takes what the other members leave, below
          claimed.add(wire);
          const values = url.searchParams.getAll(wire);
          if (values.length === 0) break;
          // A list in the query string repeats its key (`?ResourceArn=a&ResourceArn=b`).
          input[name] =
            target.type === 'list'
              ? values.map((v) => read(target.member ?? member, v, wire))
              : read(member, values[0] as string, wire);
          break;
        }
        case 'header': {
          const text = headerValue(req, wire);
          if (text !== undefined) input[name] = read(member, text, wire, true);
          break;
        }
        case 'headers': {
          const prefix = wire.toLowerCase();
          const found = Object.entries(req.headers).filter(([key]) => key.startsWith(prefix));
          if (found.length > 0) {
            input[name] = Object.fromEntries(found.map(([key, v]) => [key.slice(prefix.length), String(v)]));
          }
          break;
        }
        default:
          break;
      }
    }

    // A map-typed query member binds every query key no other member claimed (restJson1 @httpQueryParams).
    for (const [name, member] of members) {
      if (member.location !== 'querystring') continue;
      const target = model.shape(member.shape);
      if (target.type !== 'map') continue;
      const valueShape = model.shape(target.value?.shape ?? 'String');
      const map: Record<string, unknown> = {};
      for (const key of new Set(url.searchParams.keys())) {
        if (claimed.has(key)) continue;
        const values = url.searchParams.getAll(key);
        map[key] = valueShape.type === 'list' ? values : values[0];
      }
      if (Object.keys(map).length > 0) input[name] = map;
    }

    if (shape.payload) {
      const member = shape.members?.[shape.payload];
      if (member && body !== '') {
        const target = model.shape(member.shape);
        input[shape.payload] =
          target.type === 'structure' || target.type === 'list' || target.type === 'map'
            ? decodeJson(model, member.shape, parseBody(body), shape.payload)
            : body;
      }
    } else if (members.some(([, member]) => !member.location)) {
      Object.assign(input, decodeJson(model, inputRef.shape, parseBody(body), ''));
    }

    const problems = validateInput(model, inputRef.shape, input, deviations);
    if (problems.length > 0) throw validationError(problems);
    return { operation, input };
  };

  const encode: Protocol['encode'] = (operation, output) => {
    const { http, output: outputRef } = model.operation(operation);
    let status = http.responseCode ?? 200;
    // An operation without an output shape answers an empty body (the SDK reads nothing from it).
    if (!outputRef) return { status, headers: JSON_HEADERS, body: '' };
    const shapeName = outputRef.shape;
    const shape = model.shape(shapeName);
    const value = (output ?? {}) as Record<string, unknown>;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new OutputShapeError(`${operation} must return an object (${shapeName})`);
    }
    // Every key is checked against the shape (a stray key is a stand-in bug); located members stay out of the document.
    const document = encodeJson(model, shapeName, value, '') as Record<string, unknown>;
    const headers: Record<string, string> = { ...JSON_HEADERS };
    let body = shape.payload ? '' : JSON.stringify(document);
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      const element = value[name];
      if (element === undefined) continue;
      const wire = member.locationName ?? name;
      if (member.location === 'header') headers[wire.toLowerCase()] = formatHeader(element);
      else if (member.location === 'headers') {
        for (const [key, v] of Object.entries(element as Record<string, unknown>)) {
          headers[`${wire}${key}`.toLowerCase()] = String(v);
        }
      } else if (member.location === 'statusCode') status = Number(element);
      else if (name === shape.payload) {
        body = typeof element === 'string' ? element : JSON.stringify(document[jsonKey(name, member)]);
      }
    }
    return { status, headers, body };
  };

  const encodeError: Protocol['encodeError'] = (error) => {
    const errorShape = Object.hasOwn(model.raw.shapes, error.code) ? model.raw.shapes[error.code] : undefined;
    const modeled = errorShape?.exception === true ? errorShape : undefined;
    const members = modeled?.members ?? {};
    const details = error instanceof BackupServiceError ? error.details : {};
    // AWS's rest-json errors: the code in x-amzn-ErrorType and `__type`, the text as `message` (the SDK reads
    // `message` first, then `Message`), and the error shape's own members (Backup: Code, Message, Type, Context).
    const document: Record<string, unknown> = { __type: error.code, message: error.message, Message: error.message };
    if ('Code' in members) document.Code = error.code;
    if ('Type' in members && details.type !== undefined) document.Type = details.type;
    if ('Context' in members && details.context !== undefined) document.Context = details.context;
    return {
      status: modeled?.error?.httpStatusCode ?? error.status,
      headers: { ...JSON_HEADERS, 'x-amzn-ErrorType': error.code },
      body: JSON.stringify(document),
    } satisfies WireResponse;
  };

  return { decode, encode, encodeError };
};

/** The AWS Backup stand-in's protocol: restJson1 driven by AWS's own Backup model. */
export const createBackupProtocol = (): Protocol => createRestJsonProtocol(loadBackupModel());
