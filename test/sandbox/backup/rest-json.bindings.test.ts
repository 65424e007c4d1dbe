import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { indexModel, type ServiceModel } from '../../../sandbox/backup/model.js';
import { createRestJsonProtocol } from '../../../sandbox/backup/rest-json.js';
import { ServiceError } from '../../../sandbox/http/stand-in.js';

// Bindings the Backup model does not use (headers, statusCode, payload, query maps and lists, sensitive values,
// timestampFormat, modeled error status), on a small model written in the same botocore format.
const raw: ServiceModel = {
  metadata: { protocol: 'rest-json', serviceId: 'Synthetic', apiVersion: '2020-01-01' },
  operations: {
    PutThing: {
      name: 'PutThing',
      http: { method: 'POST', requestUri: '/things/{Bucket}/{Key+}?x-id=PutThing' },
      input: { shape: 'PutThingInput' },
      output: { shape: 'PutThingOutput' },
    },
    GetDoc: {
      name: 'GetDoc',
      http: { method: 'GET', requestUri: '/docs', responseCode: 202 },
      output: { shape: 'GetDocOutput' },
    },
  },
  shapes: {
    PutThingInput: {
      type: 'structure',
      required: ['Bucket', 'Key', 'Secret'],
      payload: 'Body',
      members: {
        Bucket: { shape: 'Name', location: 'uri', locationName: 'Bucket' },
        Key: { shape: 'String', location: 'uri', locationName: 'Key' },
        Since: { shape: 'Time', location: 'header', locationName: 'X-Since' },
        Count: { shape: 'Int', location: 'header', locationName: 'x-count' },
        Meta: { shape: 'StringMap', location: 'headers', locationName: 'x-meta-' },
        Ids: { shape: 'IdList', location: 'querystring', locationName: 'id' },
        Rest: { shape: 'StringMap', location: 'querystring' },
        Secret: { shape: 'Secret', location: 'header', locationName: 'x-secret' },
        Body: { shape: 'Doc' },
      },
    },
    Doc: {
      type: 'structure',
      members: { Note: { shape: 'String', locationName: 'note' }, At: { shape: 'Time' } },
    },
    PutThingOutput: {
      type: 'structure',
      payload: 'Doc',
      members: {
        ETag: { shape: 'String', location: 'header', locationName: 'ETag' },
        Modified: { shape: 'Time', location: 'header', locationName: 'Last-Modified' },
        Status: { shape: 'Int', location: 'statusCode' },
        Doc: { shape: 'Doc' },
      },
    },
    GetDocOutput: {
      type: 'structure',
      members: {
        Note: { shape: 'String', locationName: 'note' },
        At: { shape: 'IsoTime' },
        Items: { shape: 'IdList' },
      },
    },
    Name: { type: 'string', min: 3, pattern: '^[a-z]+$' },
    Secret: { type: 'string', sensitive: true, min: 8 },
    Time: { type: 'timestamp' },
    IsoTime: { type: 'timestamp', timestampFormat: 'iso8601' },
    Int: { type: 'integer' },
    String: { type: 'string' },
    IdList: { type: 'list', member: { shape: 'String' }, max: 2 },
    StringMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
    TeapotError: {
      type: 'structure',
      exception: true,
      error: { httpStatusCode: 418 },
      members: { Message: { shape: 'String' } },
    },
  },
};

const protocol = createRestJsonProtocol(indexModel(raw));
const request = (method: string, headers: Record<string, string> = {}) =>
  ({ method, headers }) as unknown as IncomingMessage;
const url = (path: string) => new URL(path, 'http://127.0.0.1');

describe('restJson1 bindings beyond the Backup model', () => {
  it('reads greedy labels, headers (HTTP-date timestamps), prefixed headers, query lists and maps, and the payload', () => {
    // Act
    const decoded = protocol.decode(
      request('POST', {
        'x-since': 'Sun, 01 Mar 2026 10:00:00 GMT',
        'x-count': '7',
        'x-meta-color': 'blue',
        'x-secret': 'long-enough',
      }),
      url('/things/bucket/a/b%20c.txt?x-id=PutThing&id=1&id=2&other=z'),
      JSON.stringify({ note: 'hello', At: 1772359200.5, Ignored: 1 }),
    );
    // Assess
    expect(decoded).toEqual({
      operation: 'PutThing',
      input: {
        Bucket: 'bucket',
        Key: 'a/b c.txt',
        Since: new Date('2026-03-01T10:00:00Z'),
        Count: 7,
        Meta: { color: 'blue' },
        Ids: ['1', '2'],
        Rest: { other: 'z' },
        Secret: 'long-enough',
        Body: { Note: 'hello', At: new Date('2026-03-01T10:00:00.500Z') },
      },
    });
  });

  it('validates located members and never prints a sensitive value', () => {
    // Act
    const refuse = () =>
      protocol.decode(request('POST', { 'x-secret': 'short' }), url('/things/AB/k?x-id=PutThing&id=1&id=2&id=3'), '');
    // Assess
    expect(refuse).toThrow(ServiceError);
    expect(refuse).toThrow(
      '4 validation errors detected: ' +
        "Value 'AB' at 'Bucket' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
        "Value 'AB' at 'Bucket' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z]+$; " +
        "Value '[1, 2, 3]' at 'id' failed to satisfy constraint: Member must have length less than or equal to 2; " +
        "Value at 'x-secret' failed to satisfy constraint: Member must have length greater than or equal to 8",
    );
  });

  it('writes header, statusCode and payload members where the model puts them', () => {
    // Act
    const wire = protocol.encode('PutThing', {
      ETag: '"abc"',
      Modified: new Date('2026-03-01T10:00:00Z'),
      Status: 206,
      Doc: { Note: 'n', At: new Date('2026-03-01T10:00:00.001Z') },
    });
    // Assess
    expect(wire.status).toBe(206);
    expect(wire.headers).toMatchObject({ etag: '"abc"', 'last-modified': 'Sun, 01 Mar 2026 10:00:00 GMT' });
    expect(JSON.parse(wire.body)).toEqual({ note: 'n', At: 1772359200.001 });
  });

  it('writes body members under locationName, honours timestampFormat, and uses responseCode', () => {
    // Act
    const wire = protocol.encode('GetDoc', { Note: 'n', At: new Date('2026-03-01T10:00:00Z'), Items: ['a'] });
    // Assess
    expect(wire.status).toBe(202);
    expect(JSON.parse(wire.body)).toEqual({ note: 'n', At: '2026-03-01T10:00:00.000Z', Items: ['a'] });
  });

  it("takes a modeled error's status from error.httpStatusCode, else the ServiceError's", () => {
    // Act
    const modeled = protocol.encodeError(new ServiceError('TeapotError', 'short and stout', 400), 'r-1');
    const unmodeled = protocol.encodeError(new ServiceError('ThrottlingException', 'Rate exceeded', 400), 'r-2');
    // Assess
    expect(modeled.status).toBe(418);
    expect(modeled.headers['x-amzn-ErrorType']).toBe('TeapotError');
    expect(JSON.parse(modeled.body)).toEqual({
      __type: 'TeapotError',
      message: 'short and stout',
      Message: 'short and stout',
    });
    expect(unmodeled.status).toBe(400);
  });

  it('refuses an output that is not a Date where the model has a timestamp', () => {
    expect(() => protocol.encode('GetDoc', { At: '2026-03-01' })).toThrow('must be a valid Date');
  });
});
