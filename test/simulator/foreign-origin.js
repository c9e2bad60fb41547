// @ts-check
'use strict';

/**
 * The foreign origin (`sim.foreignUrl`): a second server of the same simulator, on its own port, that
 * serves the same routes without faults. The `redirect-foreign` fault sends clients there; it records
 * whether they brought the token along. Its server is started beside the main one (server.js).
 */

/** @typedef {import('./state').State} State */

/**
 * The `redirect-foreign` answer: the same path and query at the foreign origin, 307 for API routes
 * (which keeps the method and body, as a misconfigured proxy or a hostile CDN would ask), 302 for signed URLs.
 * @param {State} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {boolean} signed
 */
function redirectToForeignOrigin(state, req, res, signed) {
	res.writeHead(signed ? 302 : 307, { Location: `${state.foreignUrl}${req.url || '/'}`, 'Content-Length': '0' });
	res.end();
}

/**
 * Counts a request to the foreign origin whose headers held the token (`tokenAtForeignOrigin`).
 * @param {State} state
 * @param {import('./types').RequestRecord} rec
 */
function noteForeignRequest(state, rec) {
	if (rec.origin === 'foreign' && rec.tokenSeen) state.stats.tokenAtForeignOrigin++;
}

module.exports = { redirectToForeignOrigin, noteForeignRequest };
