import { installTestClock } from './clock';

// Unit and engine tests skip the node's planned waits (polls, backoff, Retry-After) instead of
// sleeping through them; each test starts with a fresh clock. The soak runs on real time.
beforeEach(() => installTestClock());
