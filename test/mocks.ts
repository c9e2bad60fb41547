/**
 * nock scopes standing in for Magic Hour. Loading nock intercepts every HTTP request of the
 * process, and its pass-through breaks streamed downloads over 64 KiB, so only tests that mock
 * import this module; tests against the simulator do not.
 */
import nock from 'nock';

import { DOWNLOAD_HOST } from './builders';
import { TEST_BASE_URL, TEST_TOKEN } from './engine/harness';

/** The Magic Hour API, answering only requests that carry the test token. */
export function api(): nock.Scope {
	return nock(TEST_BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}` } });
}

/** Signed storage: answers only requests WITHOUT an Authorization header. */
export function storage(): nock.Scope {
	return nock(DOWNLOAD_HOST, { badheaders: ['authorization'] });
}
