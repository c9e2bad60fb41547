// @ts-check
'use strict';

/**
 * The account's request rate (`rateLimit`), as Magic Hour limits an API key: a token bucket of the
 * simulator, `perSecond` tokens a second up to `burst` (default: one second's worth), refilled by the
 * simulator's clock (`now`, so it follows a test's clock too). Every authenticated request to /v1/* at
 * the simulator's own origin takes a token; one that finds none is answered 429 `rate_limited` instead of
 * the work, with `Retry-After` (whole seconds until the next token) when `retryAfter` is set, and counted
 * (`stats().rateLimited`; `rateLimited` in its request record). A refused request takes no token. Signed
 * URLs are storage, not the API: they are not limited.
 */

const { sendError } = require('./json');

/** @typedef {import('./state').State} State */

/**
 * Answers 429 when the account's bucket is empty; else takes a token.
 * @param {State} state
 * @param {import('http').ServerResponse} res
 * @param {import('./types').RequestRecord} rec
 * @returns {boolean} whether the request was refused
 */
function refuseOverRate(state, res, rec) {
	const limit = state.opts.rateLimit;
	if (!limit || rec.origin !== 'main' || !rec.path.startsWith('/v1/')) return false;
	const now = state.now();
	const burst = limit.burst ?? Math.max(1, limit.perSecond);
	const bucket = state.bucket ?? { tokens: burst, at: now };
	bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * limit.perSecond);
	bucket.at = now;
	state.bucket = bucket;
	if (bucket.tokens >= 1) {
		bucket.tokens -= 1;
		return false;
	}
	state.stats.rateLimited++;
	rec.rateLimited = true;
	const waitSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
	sendError(res, 429, 'Too Many Requests', 'rate_limited', limit.retryAfter ? { 'Retry-After': String(waitSeconds) } : undefined);
	return true;
}

/**
 * @param {unknown} v
 * @returns {boolean} whether `v` is a valid `rateLimit` option (undefined and null: none)
 */
function isRateLimit(v) {
	if (v === undefined || v === null) return true;
	if (typeof v !== 'object') return false;
	const { perSecond, burst, retryAfter, ...rest } = /** @type {Record<string, unknown>} */ (v);
	const positive = (/** @type {unknown} */ n) => typeof n === 'number' && Number.isFinite(n) && n > 0;
	return (
		Object.keys(rest).length === 0 &&
		positive(perSecond) &&
		(burst === undefined || (positive(burst) && /** @type {number} */ (burst) >= 1)) &&
		(retryAfter === undefined || typeof retryAfter === 'boolean')
	);
}

module.exports = { refuseOverRate, isRateLimit };
