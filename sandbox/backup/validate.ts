import { ServiceError } from '../http/stand-in.js';
import { type LoadedModel, type ShapeModel, wireName } from './model.js';
import { MODEL_DEVIATIONS, type ModelDeviation, patternFor } from './model-deviations.js';
import { compilePattern } from './patterns.js';

/**
 * Longest string tested against a pattern when its shape sets no `max` (with a `max`, a longer string
 * already fails its length and the pattern is not run). Every max-less pattern in the Backup model is
 * anchored with a bounded repetition (at most 200 characters), so nothing longer could match; refusing
 * without running the regex keeps validation linear in the input size whatever the input.
 */
export const PATTERN_LENGTH_BOUND = 4096;

// How AWS's front end (Coral) prints a value in a validation message.
const valueText = (value: unknown): string => {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
};

/** Checks decoded input against the model's constraints and returns every problem, in AWS's wording. */
export const validateInput = (
  model: LoadedModel,
  shapeName: string,
  input: Readonly<Record<string, unknown>>,
  deviations: readonly ModelDeviation[] = MODEL_DEVIATIONS,
): string[] => {
  const problems: string[] = [];
  const fail = (path: string, shape: ShapeModel | undefined, value: unknown, constraint: string) => {
    // Sensitive values never appear in an error message (the model marks them `sensitive`).
    const shown = value === null ? 'Value null' : shape?.sensitive ? 'Value' : `Value '${valueText(value)}'`;
    problems.push(`${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
  };

  const length = (path: string, shape: ShapeModel, value: unknown, size: number) => {
    if (shape.min !== undefined && size < shape.min) {
      fail(path, shape, value, `Member must have length greater than or equal to ${shape.min}`);
    }
    if (shape.max !== undefined && size > shape.max) {
      fail(path, shape, value, `Member must have length less than or equal to ${shape.max}`);
    }
  };

  const checkValue = (target: string, value: unknown, path: string, container: string, member: string) => {
    const shape = model.shape(target);
    switch (shape.type) {
      case 'structure':
        if (typeof value === 'object' && value !== null) checkStructure(target, value as Record<string, unknown>, path);
        return;
      case 'list':
        if (!Array.isArray(value)) return;
        length(path, shape, value, value.length);
        if (shape.member) {
          const item = shape.member.shape;
          value.forEach((element, index) => {
            // Coral names list elements `<list>.<1-based index>.member`.
            if (element !== null && element !== undefined)
              checkValue(item, element, `${path}.${index + 1}.member`, target, 'member');
          });
        }
        return;
      case 'map': {
        if (typeof value !== 'object' || value === null) return;
        const entries = Object.entries(value);
        length(path, shape, value, entries.length);
        for (const [key, element] of entries) {
          if (shape.key) checkValue(shape.key.shape, key, `${path}.${key}.key`, target, 'key');
          if (shape.value && element !== null && element !== undefined) {
            checkValue(shape.value.shape, element, `${path}.${key}.value`, target, 'value');
          }
        }
        return;
      }
      case 'string': {
        if (typeof value !== 'string') return;
        if (shape.enum && !shape.enum.includes(value)) {
          fail(path, shape, value, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
        }
        length(path, shape, value, value.length);
        const source = patternFor(container, member, target, shape.pattern, deviations);
        const regex = source === undefined ? undefined : compilePattern(source);
        if (!regex) return;
        const bound = shape.max ?? PATTERN_LENGTH_BOUND;
        if (value.length > bound) {
          if (shape.max === undefined)
            fail(path, shape, value, `Member must satisfy regular expression pattern: ${source}`);
          return;
        }
        if (!regex.test(value)) fail(path, shape, value, `Member must satisfy regular expression pattern: ${source}`);
        return;
      }
      case 'integer':
      case 'long':
      case 'float':
      case 'double':
        if (typeof value !== 'number') return;
        if (shape.min !== undefined && value < shape.min) {
          fail(path, shape, value, `Member must have value greater than or equal to ${shape.min}`);
        }
        if (shape.max !== undefined && value > shape.max) {
          fail(path, shape, value, `Member must have value less than or equal to ${shape.max}`);
        }
        return;
      default:
        return;
    }
  };

  const checkStructure = (shapeName: string, value: Readonly<Record<string, unknown>>, prefix: string) => {
    const shape = model.shape(shapeName);
    const required = new Set(shape.required ?? []);
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      const path = prefix ? `${prefix}.${wireName(name, member)}` : wireName(name, member);
      const memberValue = value[name];
      if (memberValue === undefined || memberValue === null) {
        // The SDK fills idempotency tokens, so AWS sees them as always present: absent is not an error here.
        if (required.has(name) && member.idempotencyToken !== true)
          fail(path, undefined, null, 'Member must not be null');
        continue;
      }
      checkValue(member.shape, memberValue, path, shapeName, name);
    }
  };

  checkStructure(shapeName, input, '');
  return problems;
};

/** The error AWS's front end answers for these problems (`1 validation error detected: ...`). */
export const validationError = (problems: readonly string[]): ServiceError =>
  new ServiceError(
    'ValidationException',
    `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
    400,
  );
