// Preloaded with `node --import` into a function's process, and ONLY when the sandbox runs on its
// virtual clock: the function reads the sandbox's time instead of the machine's, so a seeded day
// replays byte for byte. Plain JavaScript on purpose: the function's process loads nothing but this,
// the worker and the bundle, as Lambda's runtime loads nothing but the bundle.
//
// What changes: `Date.now()`, `new Date()` without arguments and `Date()` called as a function read
// the sandbox time. The parent sends that time with the spawn (argument `--sandbox-now=<epoch ms>`, for
// init code) and with each invocation (the worker calls the setter below). Within one invocation the
// time stands still, so every timestamp a function writes is a function of the seed.
// What does not: `setTimeout`, `performance.now()` and `process.hrtime()` stay real, so the SDK's
// retry backoff, middy's early timeout and the remaining-time deadline keep working. Everything else
// of Date (Date.parse, Date.UTC, `new Date(x)`, instanceof, the prototype) is the real one.

const RealDate = globalThis.Date;
const flag = process.argv.find((arg) => arg.startsWith('--sandbox-now='));
let current = flag === undefined ? RealDate.now() : Number(flag.slice('--sandbox-now='.length));
if (!Number.isFinite(current)) throw new TypeError(`virtual-clock: bad ${flag}`);

/**
 * Called with `new`: a real Date (at the sandbox time when given no argument). Called as a function:
 * the sandbox time as text, as `Date()` ignores its arguments (ECMA-262, "The Date Constructor").
 */
function SandboxDate(...args) {
  if (new.target === undefined) return new RealDate(current).toString();
  return Reflect.construct(RealDate, args.length === 0 ? [current] : args, new.target);
}

const hidden = (value) => ({ value, writable: true, configurable: true, enumerable: false });
// Named SandboxDate in this file only (Biome: no shadowing of globals); to the function it is Date.
Object.defineProperty(SandboxDate, 'name', { value: 'Date', configurable: true });
Object.defineProperty(SandboxDate, 'length', { value: RealDate.length, configurable: true });
// Same prototype object: dates made before the swap, by the real constructor or by libraries that
// kept a reference, are still `instanceof Date`, and `new Date().constructor === Date`.
SandboxDate.prototype = RealDate.prototype;
Object.defineProperty(RealDate.prototype, 'constructor', hidden(SandboxDate));
Object.defineProperties(SandboxDate, {
  now: hidden(function now() {
    return current;
  }),
  parse: hidden(RealDate.parse),
  UTC: hidden(RealDate.UTC),
});

Object.defineProperty(globalThis, 'Date', hidden(SandboxDate));

// The worker moves the time at each invocation through this (a registered symbol: no import needed,
// and invisible to the function's own property enumeration).
Object.defineProperty(globalThis, Symbol.for('backup-autopilot.sandbox.virtual-clock'), {
  value: Object.freeze({
    /** @param {number} ms the sandbox time, epoch milliseconds */
    set(ms) {
      if (!Number.isFinite(ms)) throw new TypeError(`virtual-clock: bad time ${ms}`);
      current = ms;
    },
    now: () => current,
  }),
  enumerable: false,
});
