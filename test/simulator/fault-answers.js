// @ts-check
'use strict';

/**
 * What faults do to answers: the answer given instead of the work (the `pre` faults that need no route
 * of their own), and the 200 JSON answer that `echo-token-fields`, `malformed-json`, `500-after-create`
 * and `drop-after-create` change. The faults that change a route's own work are in that route's file.
 */

const { pickFault } = require('./faults');
const { echoToken, sendJson, sendError } = require('./json');
const { redirectToForeignOrigin } = require('./foreign-origin');

/** @typedef {import('./state').State} State */
/** @typedef {import('./types').RouteName} RouteName */
/** @typedef {import('./types').FaultKind} FaultKind */
/** @typedef {import('./types').RequestRecord} RequestRecord */

const BAD_GATEWAY_HTML = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n';

/**
 * Answers a `pre` fault instead of the work. Returns false for the kinds the route itself carries out
 * (upload-fail, slow-drip, truncated-download) and when there is no fault.
 * @param {State} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {FaultKind | undefined} fault
 * @param {RouteName} route
 * @param {boolean} signed
 * @returns {boolean} whether the request is answered
 */
function answerInsteadOfWork(state, req, res, fault, route, signed) {
	switch (fault) {
		case '429':
			sendError(res, 429, 'Too Many Requests', 'rate_limited');
			return true;
		case '429-retry-after':
			sendError(res, 429, 'Too Many Requests', 'rate_limited', { 'Retry-After': '1' });
			return true;
		case '500':
			sendError(res, 500, 'Internal Server Error');
			return true;
		case '502':
			sendError(res, 502, 'Bad Gateway');
			return true;
		case '503':
			sendError(res, 503, 'Service Unavailable');
			return true;
		case '502-html':
			res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': String(Buffer.byteLength(BAD_GATEWAY_HTML)) });
			res.end(BAD_GATEWAY_HTML);
			return true;
		case 'drop':
			req.socket.destroy();
			return true;
		case 'redirect-foreign':
			redirectToForeignOrigin(state, req, res, signed);
			return true;
		case 'echo-token':
			echoToken(res, state.opts.token);
			if (route === 'download') sendError(res, 403, 'Signature does not match', 'expired');
			else sendError(res, route === 'create' ? 422 : 400, 'Request refused');
			return true;
		default:
			return false;
	}
}

/**
 * Sends a 200 JSON answer, unless a post fault (malformed-json, 500/drop after create) replaces it;
 * `echo-token-fields` puts the token into its text fields.
 * @param {State} state
 * @param {import('http').ServerResponse} res
 * @param {RouteName} route
 * @param {RequestRecord} rec
 * @param {unknown} body
 */
function respondOk(state, res, route, rec, body) {
	if (pickFault(state, 'echo', route, rec)) echoToken(res, state.opts.token);
	const post = pickFault(state, 'post', route, rec);
	if (post === 'malformed-json') {
		const s = JSON.stringify(body);
		const broken = s.slice(0, Math.max(1, Math.floor(s.length / 2)));
		res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(broken)) });
		res.end(broken);
		return;
	}
	if (post === '500-after-create') return sendError(res, 500, 'Internal Server Error');
	if (post === 'drop-after-create') {
		res.socket?.destroy();
		return;
	}
	sendJson(res, 200, body);
}

module.exports = { answerInsteadOfWork, respondOk };
