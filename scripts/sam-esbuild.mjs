// How `sam build` bundles a function, reproduced so `npm run build` makes the same bundles.
//
// SAM (aws-lambda-builders, workflows/nodejs_npm_esbuild/esbuild.py) turns each function's
// Metadata.BuildProperties into esbuild CLI flags: PascalCase keys become snake_case, then
//   defaults: --bundle --platform=node --outdir=<artifacts> (+ --target=es2020, --format=cjs,
//             --minify when those keys are absent)
//   booleans (minify, sourcemap): --flag when true
//   single values (target, format, main_fields, sources_content): --flag=value
//   lists (external, loader, out_extension, banner): --flag:item per item
//   entry_points: appended as given (relative to CodeUri).
// Any other key is silently ignored by SAM, so we refuse it: a property that SAM drops and we
// honour (or the reverse) is exactly the drift this module exists to prevent.
// Plain JavaScript (no TypeScript) so the build runs with nothing but node and esbuild.
import { parse } from 'yaml';

/** BuildProperties keys SAM's esbuild builder understands, by kind. */
export const SAM_ESBUILD_KEYS = {
  boolean: ['minify', 'sourcemap'],
  single: ['target', 'format', 'main_fields', 'sources_content'],
  multi: ['external', 'loader', 'out_extension', 'banner'],
  entry: ['entry_points'],
};

const KNOWN = new Set(Object.values(SAM_ESBUILD_KEYS).flat());

/** SAM's key conversion: `OutExtension` -> `out_extension`. */
export const toSnakeCase = (key) => key.replace(/(?<!^)(?=[A-Z])/g, '_').toLowerCase();

// CloudFormation short-form intrinsics (!Ref, !Sub, ...) as opaque values: the build reads only
// Metadata and Handler, which hold none.
const INTRINSICS = [
  'Ref',
  'Sub',
  'GetAtt',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Select',
  'Split',
  'Join',
  'FindInMap',
  'Base64',
  'Cidr',
  'ImportValue',
  'GetAZs',
  'Condition',
  'Transform',
  'ToJsonString',
  'Length',
];
const customTags = INTRINSICS.flatMap((name) =>
  ['scalar', 'seq', 'map'].map((collection) => ({
    tag: `!${name}`,
    collection: collection === 'scalar' ? undefined : collection,
    resolve: (value) => ({ [`Fn::${name}`]: value }),
  })),
).map(({ collection, ...tag }) => (collection ? { ...tag, collection } : tag));

/** Parses a SAM template (YAML with CloudFormation tags). */
export const parseTemplate = (text) => parse(text, { customTags, uniqueKeys: true });

/**
 * Every AWS::Serverless::Function with its build properties (snake_case, as SAM passes them),
 * the function folder its single entry point lives in, and its Handler.
 */
export const functionsOf = (template) => {
  const globalCodeUri = template.Globals?.Function?.CodeUri;
  return Object.entries(template.Resources ?? {})
    .filter(([, resource]) => resource?.Type === 'AWS::Serverless::Function')
    .map(([logicalId, resource]) => {
      const metadata = resource.Metadata ?? {};
      const props = Object.fromEntries(
        Object.entries(metadata.BuildProperties ?? {}).map(([key, value]) => [toSnakeCase(key), value]),
      );
      const entryPoints = props.entry_points ?? [];
      const entry = entryPoints[0] ?? '';
      const folder = entry.match(/^functions\/([^/]+)\/[^/]+\.ts$/)?.[1];
      // Entries after the first are the function's side bundles (shared/side-bundle.ts).
      const sideBundles = entryPoints.slice(1).map((path) => path.split('/').pop()?.replace(/\.ts$/, ''));
      return {
        logicalId,
        buildMethod: metadata.BuildMethod,
        codeUri: resource.Properties?.CodeUri ?? globalCodeUri,
        handler: resource.Properties?.Handler,
        props,
        entryPoints,
        folder,
        sideBundles,
      };
    });
};

/** Problems that would make our bundle differ from SAM's, or SAM's fail. Empty when consistent. */
export const buildProblems = (fn) => {
  const problems = [];
  const where = fn.logicalId;
  if (fn.buildMethod !== 'esbuild') problems.push(`${where}: Metadata.BuildMethod must be esbuild`);
  for (const key of Object.keys(fn.props)) {
    if (!KNOWN.has(key)) problems.push(`${where}: BuildProperties key ${key} is not one SAM's esbuild builder reads`);
  }
  if (fn.entryPoints.length === 0) problems.push(`${where}: EntryPoints must list the handler first`);
  if (!fn.folder) problems.push(`${where}: EntryPoints must be functions/<name>/<file>.ts`);
  // Side bundles share the handler's folder, so esbuild's outbase stays that folder and every
  // entry lands at the artifact root, beside handler.mjs, where importSideBundle looks.
  for (const path of fn.entryPoints.slice(1)) {
    if (!fn.folder || !new RegExp(`^functions/${fn.folder}/[a-z][a-z0-9-]*\\.ts$`).test(path)) {
      problems.push(`${where}: side bundle ${path} must be functions/${fn.folder ?? '<name>'}/<kebab-name>.ts`);
    }
  }
  if (fn.codeUri !== '.') problems.push(`${where}: CodeUri must be the repository root (.)`);
  const base = fn.entryPoints[0]?.split('/').pop()?.replace(/\.ts$/, '');
  // The entries land at the artifact root (esbuild's outbase is their common directory).
  if (base && fn.handler !== `${base}.handler`) {
    problems.push(`${where}: Handler must be ${base}.handler (got ${fn.handler})`);
  }
  return problems;
};

/** The esbuild CLI arguments SAM runs for these (snake_case) build properties, in SAM's order. */
export const esbuildArgs = (props, outdir) => {
  const args = ['--bundle', '--platform=node', `--outdir=${outdir}`];
  if (!('target' in props)) args.push('--target=es2020');
  if (!('format' in props)) args.push('--format=cjs');
  if (!('minify' in props)) args.push('--minify');
  for (const key of SAM_ESBUILD_KEYS.boolean) if (props[key] === true) args.push(`--${key.replaceAll('_', '-')}`);
  for (const key of SAM_ESBUILD_KEYS.single) if (key in props) args.push(`--${key.replaceAll('_', '-')}=${props[key]}`);
  for (const key of SAM_ESBUILD_KEYS.multi) {
    if (!(key in props)) continue;
    if (!Array.isArray(props[key])) throw new Error(`BuildProperties ${key} must be a list`);
    for (const item of props[key]) args.push(`--${key.replaceAll('_', '-')}:${item}`);
  }
  args.push(...(props.entry_points ?? []));
  return args;
};
