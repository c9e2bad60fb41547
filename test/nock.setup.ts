import { runsNodeCode } from './scope';

// Every test file of the node's code gets its own nock instance; the previous file's one is restored so
// that it does not intercept this file's requests. Only loopback (the local simulator) is reachable.
if (runsNodeCode()) {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const nock = require('nock') as typeof import('nock');
	beforeAll(() => {
		if (!nock.isActive()) nock.activate();
		nock.disableNetConnect();
		nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
	});
	afterEach(() => nock.cleanAll());
	afterAll(() => nock.restore());
}
