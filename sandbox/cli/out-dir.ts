import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The file `npm start` leaves in its `--out` directory. Its presence is the only thing that lets a
 * later run empty the directory: `--out` is a path a person types, and `--out ~` or `--out .` must
 * not delete what the sandbox did not write.
 */
export const OUT_MARKER = '.backup-autopilot-out';

const MARKER_TEXT =
  'Written by `npm start` (backup-autopilot sandbox). Each run empties this directory and writes it anew.\n';

/**
 * Why `dir` cannot take a run's files, or undefined when it can: it does not exist, is an empty
 * directory, or is a directory an earlier run wrote (it holds {@link OUT_MARKER}). Checked before the
 * sandbox starts, so a refusal changes nothing.
 */
export const outDirProblem = (dir: string): string | undefined => {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return `--out ${dir}: is a file, not a directory`;
  const entries = readdirSync(dir);
  if (entries.length === 0 || entries.includes(OUT_MARKER)) return undefined;
  return `--out ${dir}: holds ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} that npm start did not write (no ${OUT_MARKER} file); each run empties its directory, so name a new or empty one`;
};

/** Empties `dir` (which {@link outDirProblem} accepted) and marks it as the sandbox's own. */
export const resetOutDir = (dir: string): void => {
  const problem = outDirProblem(dir);
  // Checked again: something may have written into the directory while the day played.
  if (problem) throw new Error(problem);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, OUT_MARKER), MARKER_TEXT);
};
