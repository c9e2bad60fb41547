// @ts-check
'use strict';

/**
 * The request log and the per-request counters: one record per request as it arrives (its status
 * filled in when answered), `stats().requests` by route key, signed-URL requests that carried
 * credentials, and the optional logger line once the request is done.
 */

const { noteForeignRequest } = require('./foreign-origin');

/** @typedef {import('./state').State} State */
/** @typedef {import('./types').RequestRecord} RequestRecord */

const MAX_LOG = 100000;

/**
 * Records a request that has just arrived.
 * @param {State} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {{ method: string, path: string, key: string, route: RequestRecord['route'], origin: RequestRecord['origin'] }} arrival
 * @returns {RequestRecord}
 */
function recordRequest(state, req, res, { method, path, key, route, origin }) {
	const hasAuth = req.headers.authorization !== undefined;
	const signed = path.startsWith('/signed/');
	/** @type {RequestRecord} */
	const rec = {
		method,
		path,
		key,
		route,
		authorization: hasAuth,
		signed,
		at: state.now(),
		status: null,
		fault: null,
		origin,
		tokenSeen: Object.values(req.headers).some((value) => String(value).includes(state.opts.token)),
		jobId: null,
		endedAt: null,
		projectStatus: null,
		rateLimited: false,
	};
	noteForeignRequest(state, rec);
	state.log.push(rec);
	if (state.log.length > MAX_LOG) state.log.splice(0, state.log.length - MAX_LOG); // long CLI runs: keep the newest
	state.stats.requests[key] = (state.stats.requests[key] || 0) + 1;
	if (signed && hasAuth) state.stats.authOnSignedUrls++;
	res.on('finish', () => {
		rec.status = res.statusCode;
		rec.endedAt ??= state.now();
	});
	res.on('close', () => {
		rec.endedAt ??= state.now();
		if (state.opts.logger) {
			const status = rec.status === null ? 'DROPPED' : String(rec.status);
			state.opts.logger(`${method} ${path} ${status} ${state.now() - rec.at}ms${rec.fault ? ` fault=${rec.fault}` : ''}${hasAuth ? '' : ' (no auth)'}`);
		}
	});
	return rec;
}

module.exports = { recordRequest };
