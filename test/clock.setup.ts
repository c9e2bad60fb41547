import { runsNodeCode } from './scope';

// Unit and engine tests skip the node's planned waits (polls, backoff, Retry-After) instead of
// sleeping through them; each test starts with a fresh clock. The soak runs on real time.
if (runsNodeCode()) {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { installTestClock } = require('./clock') as typeof import('./clock');
	beforeEach(() => installTestClock());
}
