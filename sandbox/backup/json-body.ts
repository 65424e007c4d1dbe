import type { LoadedModel, MemberModel, TimestampFormat } from './model.js';
import { parseTimestamp, serializationError } from './wire-values.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JSON key of a body member: `locationName` when the model gives one, else the member name (restJson1 jsonName). */
export const jsonKey = (name: string, member: MemberModel): string => member.locationName ?? name;

/**
 * A JSON document read into model values: structure members under their MODEL names, timestamps as Dates.
 * Unknown keys are ignored and `null` means absent, as AWS's JSON readers do; a value of the wrong JSON type
 * is a SerializationException, which is what AWS answers for a body it cannot bind.
 */
export const decodeJson = (model: LoadedModel, shapeName: string, value: unknown, path: string): unknown => {
  const shape = model.shape(shapeName);
  const wrongType = (expected: string) =>
    serializationError(`Expected ${expected} at '${path || '(body)'}' but found ${JSON.stringify(value)}`);
  switch (shape.type) {
    case 'structure': {
      if (!isPlainObject(value)) throw wrongType('an object');
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        if (member.location) continue;
        const raw = value[jsonKey(name, member)];
        if (raw === undefined || raw === null) continue;
        out[name] = decodeJson(model, member.shape, raw, path ? `${path}.${name}` : name);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw wrongType('a list');
      const item = shape.member?.shape ?? 'String';
      return value.map((element, index) =>
        element === null ? null : decodeJson(model, item, element, `${path}.${index + 1}`),
      );
    }
    case 'map': {
      if (!isPlainObject(value)) throw wrongType('a map');
      const item = shape.value?.shape ?? 'String';
      const out: Record<string, unknown> = {};
      for (const [key, element] of Object.entries(value)) {
        if (element !== null) out[key] = decodeJson(model, item, element, `${path}.${key}`);
      }
      return out;
    }
    case 'string':
    case 'blob':
      if (typeof value !== 'string') throw wrongType('a string');
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType('an integer');
      return value;
    case 'float':
    case 'double':
      if (typeof value !== 'number') throw wrongType('a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType('a boolean');
      return value;
    case 'timestamp':
      return parseTimestamp(value, path);
    default:
      return value;
  }
};

/** A stand-in bug (an output the model cannot express): answered as a 500, never silently dropped. */
export class OutputShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputShapeError';
  }
}

/** A timestamp in a JSON document: epoch seconds with the milliseconds as a fraction, unless the model says otherwise. */
export const formatTimestamp = (value: Date, format: TimestampFormat | undefined): string | number => {
  if (format === 'iso8601') return value.toISOString();
  if (format === 'rfc822') return value.toUTCString();
  return value.getTime() / 1000;
};

/**
 * Model values written as a JSON document: members under their JSON keys, timestamps as epoch seconds,
 * undefined members left out. A member the shape does not have is refused (OutputShapeError): the real
 * SDK would drop it without a word, hiding a stand-in bug.
 */
export const encodeJson = (
  model: LoadedModel,
  shapeName: string,
  value: unknown,
  path: string,
  format?: TimestampFormat,
): unknown => {
  const shape = model.shape(shapeName);
  const wrongType = (expected: string) =>
    new OutputShapeError(`output ${path || shapeName} must be ${expected} (${shapeName}), got ${String(value)}`);
  switch (shape.type) {
    case 'structure': {
      if (!isPlainObject(value)) throw wrongType('an object');
      const members = shape.members ?? {};
      const out: Record<string, unknown> = {};
      for (const [name, element] of Object.entries(value)) {
        const member = Object.hasOwn(members, name) ? members[name] : undefined;
        if (!member)
          throw new OutputShapeError(`output ${path ? `${path}.` : ''}${name} is not a member of ${shapeName}`);
        if (element === undefined || member.location) continue;
        out[jsonKey(name, member)] = encodeJson(
          model,
          member.shape,
          element,
          path ? `${path}.${name}` : name,
          member.timestampFormat,
        );
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw wrongType('an array');
      const item = shape.member?.shape ?? 'String';
      return value.map((element, index) => encodeJson(model, item, element, `${path}.${index}`));
    }
    case 'map': {
      if (!isPlainObject(value)) throw wrongType('an object');
      const item = shape.value?.shape ?? 'String';
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, element]) => element !== undefined)
          .map(([key, element]) => [key, encodeJson(model, item, element, `${path}.${key}`)]),
      );
    }
    case 'timestamp':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw wrongType('a valid Date');
      return formatTimestamp(value, format ?? shape.timestampFormat);
    default:
      return value;
  }
};
