// @ts-check
'use strict';

/**
 * GET /signed/download/<id>/output.(wav|mp3) (`download`): streams a complete, enabled job's result
 * (a generated WAV or MP3 of the job's size, see wav.js), counting the bytes sent; with the
 * `truncated-download` and `slow-drip` faults, and after the webhook attempts that hold it
 * (`slow-download`, webhooks.js).
 */

const { Transform, pipeline } = require('stream');
const wav = require('./wav');
const { sendError } = require('./json');
const { verifySignature } = require('./signed-urls');
const { advance } = require('./jobs');
const { sleep } = require('./state');
const { downloadHold } = require('./webhooks');

/** @typedef {import('./state').State} State */
/** @typedef {import('./types').FaultKind} FaultKind */

/**
 * @param {State} state
 * @param {import('http').ServerResponse} res
 * @param {string} pathname
 * @param {URLSearchParams} query
 * @param {FaultKind | undefined} fault
 */
function handleDownload(state, res, pathname, query, fault) {
	const sig = verifySignature(state, 'GET', pathname, query);
	if (!sig.ok) return sendError(res, 403, sig.message, sig.code);
	const m = /^\/signed\/download\/([^/]+)\/output\.(wav|mp3)$/.exec(pathname);
	let id = '';
	try {
		id = m ? decodeURIComponent(m[1]) : '';
	} catch {
		/* not found below */
	}
	const job = state.jobs.get(id);
	if (job) advance(state, job, state.now());
	if (!m || !job || !job.enabled || job.status !== 'complete' || job.format !== m[2]) {
		return sendError(res, 404, 'Not Found');
	}
	const hold = downloadHold(state, job.id);
	if (!hold) return sendResult(state, res, job, fault);
	hold.then(() => {
		if (!state.closed && !res.destroyed) sendResult(state, res, job, fault);
	});
}

/**
 * The job's result, generated afresh: the same bytes for every download of the job.
 * @param {import('./jobs').Job} job
 * @returns {import('stream').Readable}
 */
function resultStream(job) {
	return job.format === 'mp3'
		? wav.createMp3Stream({ totalBytes: job.resultBytes })
		: wav.createWavStream({ totalBytes: job.resultBytes, frequency: 220 + (job.codePoints % 200) * 2 });
}

/**
 * Streams the job's result.
 * @param {State} state
 * @param {import('http').ServerResponse} res
 * @param {import('./jobs').Job} job
 * @param {FaultKind | undefined} fault
 */
function sendResult(state, res, job, fault) {
	job.downloadCount++;
	const total = job.resultBytes;
	const source = resultStream(job);
	res.writeHead(200, {
		'Content-Type': job.format === 'mp3' ? 'audio/mpeg' : 'audio/wav',
		'Content-Length': String(total),
		'Cache-Control': 'private, max-age=0',
	});
	if (fault === 'slow-drip') return dripOut(state, res, source);
	if (fault === 'truncated-download') return sendHalf(state, res, source, total);
	const counter = new Transform({
		transform(chunk, _enc, cb) {
			state.stats.downloadsBytes += chunk.length;
			cb(null, chunk);
		},
	});
	pipeline(source, counter, res, () => {
		/* a client that goes away ends up here; nothing to do */
	});
}

/**
 * The `truncated-download` fault: Content-Length announces the whole file; half of it is sent, then
 * the connection is cut.
 * @param {State} state
 * @param {import('http').ServerResponse} res
 * @param {import('stream').Readable} source
 * @param {number} total
 */
function sendHalf(state, res, source, total) {
	const limit = Math.floor(total / 2);
	let sent = 0;
	res.on('close', () => source.destroy());
	source.on('data', (/** @type {Buffer} */ chunk) => {
		const part = sent + chunk.length >= limit ? chunk.subarray(0, limit - sent) : chunk;
		sent += part.length;
		state.stats.downloadsBytes += part.length;
		if (sent >= limit) {
			source.destroy();
			res.write(part, () => res.socket?.destroy());
		} else if (!res.write(part)) {
			source.pause();
			res.once('drain', () => source.resume());
		}
	});
}

/**
 * Sends the body `dripBytes` bytes every `dripMs` (slow-drip download), until done or the
 * client goes away.
 * @param {State} state
 * @param {import('http').ServerResponse} res
 * @param {import('stream').Readable} source
 */
function dripOut(state, res, source) {
	res.flushHeaders();
	/** @type {Buffer[]} */
	const chunks = [];
	source.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
	source.on('end', async () => {
		let pending = Buffer.concat(chunks);
		while (pending.length > 0 && !state.closed && !res.destroyed) {
			await sleep(state, state.opts.dripMs);
			if (state.closed || res.destroyed) return;
			const part = pending.subarray(0, state.opts.dripBytes);
			pending = pending.subarray(part.length);
			state.stats.downloadsBytes += part.length;
			res.write(part);
		}
		if (!state.closed && !res.destroyed) res.end();
	});
}

module.exports = { handleDownload, resultStream };
