// @ts-check
'use strict';

/**
 * GET /v1/audio-projects/{id} (`get`): the job as the API's project object, with a freshly signed
 * download URL once complete (the `expired-download` fault hands out one already expired);
 * DELETE /v1/audio-projects/{id} (`delete`): disables the project and its download. Idempotent.
 */

const { iso, sendError } = require('./json');
const { pickFault } = require('./faults');
const { respondOk } = require('./fault-answers');
const { signedUrl } = require('./signed-urls');
const { advance } = require('./jobs');

/** @typedef {import('./state').State} State */
/** @typedef {import('./jobs').Job} Job */
/** @typedef {import('./types').RequestRecord} RequestRecord */

const DOWNLOAD_URL_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Counts a GET of the project (`requestCount`), whether a fault answers it or not.
 * @param {State} state
 * @param {string} id
 */
function countProjectRequest(state, id) {
	const job = state.jobs.get(id);
	if (job) job.requestCount++;
}

/**
 * The project object as GET answers it now (also the payload of the webhook events).
 * @param {State} state @param {Job} job @param {boolean} expired
 */
function projectJson(state, job, expired) {
	/** @type {{ url: string, expires_at: string }[]} */
	const downloads = [];
	if (job.status === 'complete' && job.enabled) {
		const expiresMs = expired ? state.now() - 60 * 1000 : state.now() + DOWNLOAD_URL_TTL_MS;
		const expires = Math.floor(expiresMs / 1000);
		const path = `/signed/download/${encodeURIComponent(job.id)}/output.${job.format}`;
		downloads.push({ url: signedUrl(state, 'GET', path, expires), expires_at: iso(expires * 1000) });
	}
	return {
		id: job.id,
		name: job.name,
		status: job.status,
		type: 'VOICE_CLONER',
		created_at: iso(job.createdAt),
		enabled: job.enabled,
		credits_charged: job.credits_charged,
		downloads,
		error: job.status === 'error' ? job.error : null,
	};
}

/**
 * @param {State} state
 * @param {import('http').ServerResponse} res
 * @param {string} id
 * @param {RequestRecord} rec
 */
function handleGet(state, res, id, rec) {
	const job = state.jobs.get(id);
	if (!job) return sendError(res, 404, 'Not Found');
	advance(state, job, state.now());
	rec.projectStatus = job.status;
	const expired = job.status === 'complete' && job.enabled && pickFault(state, 'expired', 'get', rec) === 'expired-download';
	respondOk(state, res, 'get', rec, projectJson(state, job, expired));
}

/** @param {State} state @param {import('http').ServerResponse} res @param {string} id */
function handleDelete(state, res, id) {
	const job = state.jobs.get(id);
	if (!job) return sendError(res, 404, 'Not Found');
	job.enabled = false;
	res.writeHead(204);
	res.end();
}

module.exports = { countProjectRequest, projectJson, handleGet, handleDelete };
