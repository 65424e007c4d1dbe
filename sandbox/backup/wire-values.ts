import { ServiceError } from '../http/stand-in.js';
import type { LoadedModel, ShapeModel } from './model.js';

/** The error AWS's front end answers for a request it cannot read (bad JSON, a number that is not one). */
export const serializationError = (message: string): ServiceError =>
  new ServiceError('SerializationException', message, 400);

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A timestamp as it may arrive: epoch seconds (a number, or its text), ISO-8601 text, or (headers only)
 * an HTTP-date. The SDK writes query timestamps as ISO-8601 and body timestamps as epoch seconds
 * (Smithy "timestampFormat trait": restJson1 defaults to date-time in query, http-date in headers,
 * epoch-seconds in documents); the stand-in accepts every form in every place, as lenient readers do.
 */
export const parseTimestamp = (value: unknown, where: string, httpDate = false): Date => {
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (NUMBER.test(text)) ms = Number(text) * 1000;
    else if (ISO_8601.test(text) || httpDate) ms = Date.parse(text);
  }
  if (!Number.isFinite(ms)) throw serializationError(`Value '${String(value)}' at '${where}' is not a valid timestamp`);
  return new Date(ms);
};

/** A scalar member read from text (path label, query value, header): typed by its shape. */
export const parseText = (model: LoadedModel, shapeName: string, text: string, where: string, httpDate = false) => {
  const shape: ShapeModel = model.shape(shapeName);
  switch (shape.type) {
    case 'integer':
    case 'long':
      if (!/^-?\d+$/.test(text.trim())) throw serializationError(`Value '${text}' at '${where}' is not an integer`);
      return Number(text);
    case 'float':
    case 'double':
      if (!NUMBER.test(text.trim())) throw serializationError(`Value '${text}' at '${where}' is not a number`);
      return Number(text);
    case 'boolean':
      if (text !== 'true' && text !== 'false')
        throw serializationError(`Value '${text}' at '${where}' is not a boolean`);
      return text === 'true';
    case 'timestamp':
      return parseTimestamp(text, where, httpDate);
    default:
      return text;
  }
};

/** A scalar written as text for a response header (timestamps as HTTP-date, the restJson1 header default). */
export const formatHeader = (value: unknown): string => (value instanceof Date ? value.toUTCString() : String(value));
