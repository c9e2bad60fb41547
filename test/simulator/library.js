// @ts-check
'use strict';

/**
 * Magic Hour library links as a voice sample (`assets.audio_file_path`):
 * `https://magichour.ai/my-library?audioId=<id>` names audio already in the account. The create route
 * takes one whose id is a job of this simulator that is complete and not deleted; any other gets the 422
 * Magic Hour gives for a sample it cannot use.
 */

const { URL } = require('url');
const { advance } = require('./jobs');

/** @typedef {import('./state').State} State */

const HOSTS = ['magichour.ai', 'www.magichour.ai'];
const unusable = (/** @type {string} */ code) => ({ ok: /** @type {const} */ (false), status: 422, message: 'Unable to clone voice', code });

/**
 * Undefined when `path` is not a link into the library (it is then judged as any other URL), else
 * whether the audio it names can be cloned from.
 * @param {State} state
 * @param {string} path
 * @returns {{ ok: true } | { ok: false, status: number, message: string, code: string } | undefined}
 */
function librarySample(state, path) {
	let url;
	try {
		url = new URL(path);
	} catch {
		return undefined;
	}
	if (!HOSTS.includes(url.hostname) || url.pathname !== '/my-library') return undefined;
	if (url.searchParams.has('videoId') || url.searchParams.has('imageId')) return unusable('unsupported_audio_file');
	const job = state.jobs.get(url.searchParams.get('audioId') ?? '');
	if (!job) return unusable('file_not_found');
	advance(state, job, state.now());
	return job.status === 'complete' && job.enabled ? { ok: true } : unusable('file_not_found');
}

module.exports = { librarySample };
