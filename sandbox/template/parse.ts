import { parseTemplate } from '../../scripts/sam-esbuild.mjs';
import { isRecord } from '../../shared/objects.js';

// scripts/sam-esbuild.mjs keeps short-form tags opaque (the build reads none): `!Ref X` becomes
// `{"Fn::Ref": X}`, `!Condition X` `{"Fn::Condition": X}`, and a tagged list or map stays a YAML
// node. CloudFormation's long forms are `Ref` and `Condition` ("Intrinsic function reference").
const LONG_FORM: Readonly<Record<string, string>> = { 'Fn::Ref': 'Ref', 'Fn::Condition': 'Condition' };

const normalise = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(normalise);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [LONG_FORM[key] ?? key, normalise(item)]));
};

/**
 * Parses template text (YAML with CloudFormation short-form tags, or JSON) with the build's own
 * parser, into plain JSON values with every intrinsic in its long form.
 */
export const readTemplate = (text: string): Record<string, unknown> => {
  // A JSON round trip turns the parser's YAML nodes (which define toJSON) into plain values.
  const plain = normalise(JSON.parse(JSON.stringify(parseTemplate(text) ?? {})));
  return isRecord(plain) ? plain : {};
};
