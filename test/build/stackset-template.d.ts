// Types of scripts/stackset-template.mjs, for the tests.
declare module '*/scripts/stackset-template.mjs' {
  export const prefixProblems: (bucketPrefix: string, namePrefix: string) => string[];
  export const stackSetTemplate: (
    processed: unknown,
    prefixes: { bucketPrefix: string; namePrefix: string },
  ) => Record<string, unknown> & { Resources: Record<string, Record<string, unknown>> };
  export const readProcessed: (text: string) => unknown;
}
