/** What esbuild's metafile says went into a bundle's output, grouped by npm package or source folder. */
export interface Metafile {
  /** Every input and what it imports (`kind`: import-statement, require-call, dynamic-import, ...). */
  readonly inputs?: Readonly<
    Record<string, { readonly imports: ReadonlyArray<{ readonly path: string; readonly kind: string }> }>
  >;
  readonly outputs: Readonly<
    Record<
      string,
      { readonly entryPoint?: string; readonly inputs: Readonly<Record<string, { bytesInOutput: number }>> }
    >
  >;
}

/** `node_modules/@aws-sdk/client-backup/dist-es/x.js` -> `@aws-sdk/client-backup`; own code -> its folder. */
export const packageOf = (input: string): string => {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at >= 0) {
    const name = parts[at + 1] ?? input;
    return name.startsWith('@') ? `${name}/${parts[at + 2] ?? ''}` : name;
  }
  return parts.length > 2 ? parts.slice(0, 2).join('/') : input;
};

/**
 * The inputs evaluated when the bundle is imported: those the entry point reaches without crossing
 * a dynamic `import()`. The rest is in the bundle too (esbuild without `--splitting`) but runs only
 * when that `import()` does.
 */
export const eagerInputs = (meta: Metafile, entryPoint: string): Set<string> => {
  const eager = new Set<string>([entryPoint]);
  const queue = [entryPoint];
  for (let input = queue.pop(); input !== undefined; input = queue.pop()) {
    for (const { path, kind } of meta.inputs?.[input]?.imports ?? []) {
      if (kind === 'dynamic-import' || eager.has(path)) continue;
      eager.add(path);
      queue.push(path);
    }
  }
  return eager;
};

/** One package's share of a bundle. */
export interface PackageShare {
  readonly name: string;
  readonly bytes: number;
  /** None of its code runs at import: it is reached through dynamic `import()` only. */
  readonly lazy: boolean;
}

/**
 * The largest contributors to one entry point's output (by default the handler's; a side bundle's
 * by its file name, e.g. `ssm-reader.ts`), in bytes of minified output, largest first.
 */
export const largestPackages = (meta: Metafile, count = 10, entryFile = 'handler.ts'): PackageShare[] => {
  const sizes = new Map<string, { bytes: number; lazy: boolean }>();
  for (const output of Object.values(meta.outputs)) {
    if (!output.entryPoint?.endsWith(`/${entryFile}`)) continue;
    const eager = meta.inputs ? eagerInputs(meta, output.entryPoint) : undefined;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      const share = sizes.get(name) ?? { bytes: 0, lazy: true };
      sizes.set(name, {
        bytes: share.bytes + bytesInOutput,
        lazy: share.lazy && eager !== undefined && !eager.has(input),
      });
    }
  }
  return [...sizes.entries()]
    .map(([name, share]) => ({ name, ...share }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name))
    .slice(0, count);
};
