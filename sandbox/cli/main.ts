// The sandbox's command line, bundled by scripts/sandbox.mjs: `start` plays a day, `invoke` runs one function.
import { runInvoke } from './invoke.js';
import { startInvokeSandbox } from './invoke-sandbox.js';
import { runStart } from './start.js';

const [command, ...args] = process.argv.slice(2);
const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
const code =
  command === 'start' ? await runStart(args, io) : await runInvoke(args, { ...io, startSandbox: startInvokeSandbox });
process.exit(code);
