// @ts-check
'use strict';

/**
 * Signed URLs, for the upload PUT and the result download: an HMAC of method, path and expiry with the
 * simulator's own secret, in `?sig=…&expires=…`; and their check (bad signature, or expired).
 */

const crypto = require('crypto');

/** @typedef {import('./state').State} State */

/** @param {State} state @param {string} method @param {string} path @param {number} expires */
const sign = (state, method, path, expires) =>
	crypto.createHmac('sha256', state.secret).update(`${method}\n${path}\n${expires}`).digest('hex');

/**
 * @param {State} state
 * @param {string} method
 * @param {string} path
 * @param {number} expires Unix seconds
 */
const signedUrl = (state, method, path, expires) =>
	`${state.url}${path}?sig=${sign(state, method, path, expires)}&expires=${expires}`;

/**
 * @param {State} state
 * @param {string} method
 * @param {string} path
 * @param {URLSearchParams} query
 * @returns {{ ok: true } | { ok: false, message: string, code: string }}
 */
function verifySignature(state, method, path, query) {
	const sig = query.get('sig') || '';
	const expiresRaw = query.get('expires') || '';
	if (!/^[0-9a-f]{64}$/.test(sig) || !/^\d{1,12}$/.test(expiresRaw)) {
		return { ok: false, message: 'Invalid signature', code: 'invalid_signature' };
	}
	const expires = Number(expiresRaw);
	const good = Buffer.from(sign(state, method, path, expires), 'hex');
	if (!crypto.timingSafeEqual(good, Buffer.from(sig, 'hex'))) {
		return { ok: false, message: 'Invalid signature', code: 'invalid_signature' };
	}
	if (expires * 1000 <= state.now()) return { ok: false, message: 'Request has expired', code: 'expired' };
	return { ok: true };
}

module.exports = { signedUrl, verifySignature };
