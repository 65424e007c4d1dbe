import { VirtualClock } from '../../../sandbox/clock.js';
import { CallLog } from '../../../sandbox/http/calls.js';
import { Faults } from '../../../sandbox/http/faults.js';
import { type Principal, Principals } from '../../../sandbox/http/principals.js';
import type { SandboxServices } from '../../../sandbox/http/stand-in.js';
import { uuidFrom } from '../../../sandbox/ids.js';

/** The account and Region the service tests run in. */
export const HOME = { account: '111122223333', region: 'us-east-1' } as const;

/** A fresh bag of shared sandbox things, with the principals `crash` was called for. */
export const sandboxServices = (start = Date.UTC(2025, 5, 1, 12)) => {
  const crashed: Principal[] = [];
  let requests = 0;
  const shared: SandboxServices = {
    clock: new VirtualClock(start),
    principals: new Principals(),
    faults: new Faults(),
    calls: new CallLog(),
    crash: (principal) => {
      crashed.push(principal);
    },
    requestId: () => {
      requests += 1;
      return uuidFrom('request', requests);
    },
  };
  return { shared, crashed };
};

/** SDK client settings for a stand-in, signed with a key the sandbox issued to `name` in the home account. */
export const clientConfig = (
  shared: SandboxServices,
  endpoint: string,
  name = 'TestFunction',
  account: string = HOME.account,
) => {
  const principal = shared.principals.issue(account, name);
  return {
    endpoint,
    region: HOME.region,
    credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: 'sandbox' },
  };
};
