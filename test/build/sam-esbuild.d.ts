// Types of the plain-JavaScript build helpers (scripts/sam-esbuild.mjs), for the tests.
declare module '*/scripts/sam-esbuild.mjs' {
  export interface TemplateFunction {
    logicalId: string;
    buildMethod: unknown;
    codeUri: unknown;
    handler: unknown;
    props: Record<string, unknown>;
    entryPoints: string[];
    folder: string | undefined;
    /** Entries after the handler: side bundles (shared/side-bundle.ts), by file name without .ts. */
    sideBundles: string[];
  }
  export const SAM_ESBUILD_KEYS: Record<'boolean' | 'single' | 'multi' | 'entry', string[]>;
  export const toSnakeCase: (key: string) => string;
  export const parseTemplate: (text: string) => Record<string, unknown>;
  export const functionsOf: (template: Record<string, unknown>) => TemplateFunction[];
  export const buildProblems: (fn: TemplateFunction) => string[];
  export const esbuildArgs: (props: Record<string, unknown>, outdir: string) => string[];
}
