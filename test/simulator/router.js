// @ts-check
'use strict';

/**
 * The router: which route a request is, and what every request goes through before its route's
 * handler: the request log, `latencyMs`, Bearer auth on /v1/*, the account's request rate (rate-limit.js),
 * no credentials on signed URLs, the `slow` fault, then the faults answered instead of the work.
 */

const { URL } = require('url');
const { sendError } = require('./json');
const { pickFault } = require('./faults');
const { answerInsteadOfWork } = require('./fault-answers');
const { recordRequest } = require('./request-log');
const { refuseOverRate } = require('./rate-limit');
const { sleep } = require('./state');
const { handleAccount } = require('./account');
const { handleUploadUrls, handleUpload } = require('./uploads');
const { handleCreate } = require('./create');
const { countProjectRequest, handleGet, handleDelete } = require('./audio-projects');
const { handleDownload } = require('./downloads');
const { handleSavedItems } = require('./saved-items');

/** @typedef {import('./state').State} State */
/** @typedef {import('./types').RouteName} RouteName */

/**
 * @param {string} method
 * @param {string} pathname
 * @returns {{ route: RouteName, key: string, param?: string } | undefined}
 */
function matchRoute(method, pathname) {
	if (pathname === '/v1/account' && method === 'GET') return { route: 'account', key: 'GET /v1/account' };
	if (pathname === '/v1/files/upload-urls' && method === 'POST') {
		return { route: 'uploadUrls', key: 'POST /v1/files/upload-urls' };
	}
	if (pathname === '/v1/ai-voice-cloner' && method === 'POST') return { route: 'create', key: 'POST /v1/ai-voice-cloner' };
	if (pathname === '/v1/saved-items' && method === 'GET') return { route: 'savedItems', key: 'GET /v1/saved-items' };
	const m = /^\/v1\/audio-projects\/([^/]+)$/.exec(pathname);
	if (m && (method === 'GET' || method === 'DELETE')) {
		let id;
		try {
			id = decodeURIComponent(m[1]);
		} catch {
			return undefined;
		}
		return method === 'GET'
			? { route: 'get', key: 'GET /v1/audio-projects/:id', param: id }
			: { route: 'delete', key: 'DELETE /v1/audio-projects/:id', param: id };
	}
	if (pathname.startsWith('/signed/upload/') && method === 'PUT') {
		return { route: 'upload', key: 'PUT /signed/upload', param: pathname.slice('/signed/upload/'.length) };
	}
	if (pathname.startsWith('/signed/download/') && method === 'GET') {
		return { route: 'download', key: 'GET /signed/download', param: pathname.slice('/signed/download/'.length) };
	}
	return undefined;
}

/**
 * @param {State} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {'main' | 'foreign'} origin
 */
async function handle(state, req, res, origin) {
	const method = req.method || 'GET';
	let parsed;
	try {
		parsed = new URL(req.url || '/', 'http://localhost');
	} catch {
		parsed = new URL('http://localhost/');
	}
	const pathname = parsed.pathname;
	const match = matchRoute(method, pathname);
	const rec = recordRequest(state, req, res, {
		method,
		path: pathname,
		key: match ? match.key : `${method} ${pathname}`,
		route: match ? match.route : null,
		origin,
	});

	await sleep(state, state.opts.latencyMs);
	if (state.closed) return;

	// Bearer auth on every /v1/* path (known or not).
	if (pathname.startsWith('/v1/')) {
		const auth = String(req.headers.authorization || '');
		const mm = /^Bearer (.+)$/i.exec(auth);
		if (!mm || mm[1] !== state.opts.token) return sendError(res, 401, 'Unauthorized');
	}
	if (!match) return sendError(res, 404, 'Not Found');
	if (refuseOverRate(state, res, rec)) return;
	const route = match.route;

	// Signed URLs never carry credentials.
	if (rec.signed && rec.authorization) {
		return sendError(res, 403, 'Signed URLs must not carry credentials', 'credentials_on_signed_url');
	}

	if (route === 'get' && match.param !== undefined) countProjectRequest(state, match.param);

	if (pickFault(state, 'slow', route, rec)) {
		await sleep(state, state.opts.slowMs);
		if (state.closed) return;
	}

	const pre = pickFault(state, 'pre', route, rec);
	if (answerInsteadOfWork(state, req, res, pre, route, rec.signed)) return;

	switch (route) {
		case 'account':
			return handleAccount(state, res, rec);
		case 'uploadUrls':
			return handleUploadUrls(state, req, res, rec);
		case 'create':
			return handleCreate(state, req, res, rec);
		case 'get':
			return handleGet(state, res, /** @type {string} */ (match.param), rec);
		case 'delete':
			return handleDelete(state, res, /** @type {string} */ (match.param));
		case 'upload':
			return handleUpload(state, req, res, pathname, parsed.searchParams, pre);
		case 'download':
			return handleDownload(state, res, pathname, parsed.searchParams, pre);
		case 'savedItems':
			return handleSavedItems(state, res, parsed.searchParams, rec);
		default:
			return sendError(res, 404, 'Not Found');
	}
}

module.exports = { handle };
