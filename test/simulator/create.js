// @ts-check
'use strict';

/**
 * POST /v1/ai-voice-cloner (`create`): the strict body check, the charge per code point of the prompt,
 * and the new job (its queue delay and render time from render-model.js, plus its wait for a render slot from
 * render-slots.js, its outcome set by the `job-error`, `job-error-echo` and `job-canceled` faults, its
 * result size by resultFormat / resultBytes).
 */

const { URL } = require('url');
const wav = require('./wav');
const { isPlainObject, newId, iso, sendError, readJson, unknownField } = require('./json');
const { pickFault } = require('./faults');
const { respondOk } = require('./fault-answers');
const { EXTENSIONS } = require('./uploads');
const { addJob } = require('./jobs');
const { jobTimes } = require('./render-model');
const { queueForSlot } = require('./render-slots');
const { librarySample } = require('./library');
const { savedItemSample } = require('./saved-items');
const { speedOf, styleProblem } = require('./voice-style');

/** @typedef {import('./state').State} State */
/** @typedef {import('./types').RequestRecord} RequestRecord */

const PROMPT_MAX = 1000;

/** @param {string} s */
const codePoints = (s) => [...s].length;

/**
 * Charge in credits, rounded up, tolerant of binary floating point (0.07 * 100 is 7.000000000000001).
 * @param {number} n code points
 * @param {number} rate credits per code point
 */
function chargeFor(n, rate) {
	return Math.max(0, Math.ceil(Math.round(n * rate * 1e6) / 1e6));
}

/**
 * Validates a create body. Returns an error tuple or the parsed values.
 * @param {State} state
 * @param {unknown} v
 * @returns {{ ok: false, status: number, message: string, code?: string } | { ok: true, name: string | undefined, path: string, prompt: string, style: Record<string, unknown> }}
 */
function validateCreate(state, v) {
	/** @param {string} message */
	const bad = (message) => ({ ok: /** @type {const} */ (false), status: 400, message });
	if (!isPlainObject(v)) return bad('Request body must be a JSON object');
	let u = unknownField(v, ['name', 'assets', 'style'], '');
	if (u) return bad(`Unknown field: ${u}`);
	if (v.name !== undefined && typeof v.name !== 'string') return bad('name must be a string');
	if (v.assets === undefined) return bad('assets is required');
	if (!isPlainObject(v.assets)) return bad('assets must be an object');
	u = unknownField(v.assets, ['audio_file_path'], 'assets.');
	if (u) return bad(`Unknown field: ${u}`);
	if (v.style === undefined) return bad('style is required');
	if (!isPlainObject(v.style)) return bad('style must be an object');
	u = unknownField(v.style, ['prompt', 'language', 'speed'], 'style.');
	if (u) return bad(`Unknown field: ${u}`);
	const styleBad = styleProblem(v.style);
	if (styleBad) return bad(styleBad);
	const path = v.assets.audio_file_path;
	if (path === undefined) return bad('assets.audio_file_path is required');
	if (typeof path !== 'string') return bad('assets.audio_file_path must be a string');
	if (path.length < 1) return bad('assets.audio_file_path must be at least 1 character long');
	const prompt = v.style.prompt;
	if (prompt === undefined) return bad('style.prompt is required');
	if (typeof prompt !== 'string') return bad('style.prompt must be a string');
	const n = codePoints(prompt);
	if (n < 1) return bad('style.prompt must be at least 1 character long');
	if (n > PROMPT_MAX) return bad(`style.prompt must be at most ${PROMPT_MAX} characters long (got ${n})`);

	const library = librarySample(state, path);
	if (library) {
		if (!library.ok) return library;
	} else if (path.startsWith('saved-items/')) {
		const saved = savedItemSample(state, path);
		if (!saved.ok) return saved;
	} else if (/^https?:\/\//i.test(path)) {
		let url;
		try {
			url = new URL(path);
		} catch {
			return bad('assets.audio_file_path is not a valid URL');
		}
		const ext = (/\.([A-Za-z0-9]+)$/.exec(url.pathname) || [])[1];
		if (!ext || !EXTENSIONS.audio.includes(ext.toLowerCase())) {
			return { ok: false, status: 422, message: 'Unable to clone voice', code: 'unsupported_audio_file' };
		}
	} else if (path.startsWith('api-assets/')) {
		const up = state.uploads.get(path);
		if (!up) return { ok: false, status: 422, message: 'Unable to clone voice', code: 'file_not_found' };
		if (up.type !== 'audio') return { ok: false, status: 422, message: 'Unable to clone voice', code: 'unsupported_audio_file' };
	} else {
		return bad('assets.audio_file_path must be an http(s) URL, a library URL or a file_path returned by POST /v1/files/upload-urls or GET /v1/saved-items');
	}
	return { ok: true, name: /** @type {string | undefined} */ (v.name), path, prompt, style: { ...v.style } };
}

/**
 * Size of the result file: resultBytes when set, else as long as the text takes to speak at `speed`.
 * @param {import('./options').Options} opts
 * @param {number} n code points
 * @param {number} speed
 */
function resultBytesFor(opts, n, speed) {
	const duration = wav.durationForText(n) / speed;
	if (opts.resultFormat === 'mp3') {
		return opts.resultBytes != null ? Math.floor(opts.resultBytes) : wav.mp3BytesForDuration(duration);
	}
	return opts.resultBytes != null ? wav.normalizeWavBytes(opts.resultBytes) : wav.wavBytesForDuration(duration);
}

/**
 * @param {State} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {RequestRecord} rec
 */
async function handleCreate(state, req, res, rec) {
	const { opts } = state;
	const body = await readJson(req);
	if (state.closed) return;
	if (!body.ok) return sendError(res, body.status, body.message);
	const r = validateCreate(state, body.value);
	if (!r.ok) return sendError(res, r.status, r.message, r.code);
	const n = codePoints(r.prompt);
	const charge = chargeFor(n, opts.creditsPerCharacter);
	if (state.credits < charge) return sendError(res, 402, 'Not enough credits', 'insufficient_credits');

	const outcomeFault = pickFault(state, 'outcome', 'create', rec);
	const now = state.now();
	const times = jobTimes(state, r.prompt, n);
	/** @type {import('./jobs').Job} */
	const job = {
		id: newId(),
		name: r.name !== undefined ? r.name : `Voice Cloner - ${iso(now).replace('T', ' ').slice(0, 19)}`,
		prompt: r.prompt,
		codePoints: n,
		audio_file_path: r.path,
		style: r.style,
		createdAt: now,
		queueMs: queueForSlot(state, now, times),
		renderMs: times.renderMs,
		status: 'queued',
		outcome:
			outcomeFault === 'job-error' || outcomeFault === 'job-error-echo'
				? 'error'
				: outcomeFault === 'job-canceled'
					? 'canceled'
					: 'complete',
		echoToken: outcomeFault === 'job-error-echo',
		credits_charged: charge,
		enabled: true,
		error: null,
		format: opts.resultFormat,
		resultBytes: resultBytesFor(opts, n, speedOf(r.style)),
		requestCount: 0,
		downloadCount: 0,
		timer: undefined,
	};
	state.credits -= charge;
	addJob(state, job);
	rec.jobId = job.id;
	respondOk(state, res, 'create', rec, { id: job.id, credits_charged: charge });
}

module.exports = { chargeFor, handleCreate };
