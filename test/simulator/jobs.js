// @ts-check
'use strict';

/**
 * A voice-clone job's life: queued for its queue delay and the first 10 % of its render time, then
 * rendering, then how it ends (complete, or error / canceled by fault; an error refunds). Its times come
 * from render-model.js. Status follows the simulator's clock, read when asked; a timer ends it on time as
 * well. `state.onJobStatus` hears of each new job and each status it takes (webhook events). Also the
 * in-flight count and the snapshot `jobs()` returns.
 */

const { later, cancel } = require('./state');

/** @typedef {import('./state').State} State */
/** @typedef {import('./types').JobSnapshot} JobSnapshot */

/**
 * @typedef {object} Job
 * @property {string} id
 * @property {string} name
 * @property {string} prompt
 * @property {number} codePoints
 * @property {string} audio_file_path
 * @property {Record<string, unknown>} style the style the create sent, as sent
 * @property {number} createdAt
 * @property {number} queueMs time in the queue before its render starts
 * @property {number} renderMs time from the start of its render to its end
 * @property {'queued' | 'rendering' | 'complete' | 'error' | 'canceled'} status
 * @property {'complete' | 'error' | 'canceled'} outcome
 * @property {number} credits_charged
 * @property {boolean} enabled
 * @property {{ message: string, code: string } | null} error
 * @property {'wav' | 'mp3'} format
 * @property {number} resultBytes
 * @property {number} requestCount
 * @property {number} downloadCount
 * @property {boolean} echoToken the job's error (job-error-echo) holds the token
 * @property {unknown} timer the timer that ends it on time (state.js `later`)
 */

const TERMINAL = new Set(['complete', 'error', 'canceled']);

/** @param {Job} job */
const isTerminal = (job) => TERMINAL.has(job.status);

/** @param {State} state @param {Job} job */
function finish(state, job) {
	if (isTerminal(job)) return;
	if (job.timer) {
		cancel(state, job.timer);
		job.timer = undefined;
	}
	job.status = job.outcome;
	if (job.outcome === 'error') {
		const { token } = state.opts;
		job.error = job.echoToken
			? { message: `Unable to clone voice for key ${token}`, code: `invalid_voice_${token}` }
			: { message: 'Unable to clone voice from this sample', code: 'invalid_voice' };
		state.credits += job.credits_charged;
		job.credits_charged = 0;
	}
	state.onJobStatus(job);
}

/** @param {State} state @param {Job} job @param {number} now */
function advance(state, job, now) {
	if (isTerminal(job)) return;
	const elapsed = now - job.createdAt;
	if (elapsed >= job.queueMs + job.renderMs) finish(state, job);
	else if (elapsed >= job.queueMs + job.renderMs * 0.1 && job.status !== 'rendering') {
		job.status = 'rendering';
		state.onJobStatus(job);
	}
}

/** @param {State} state */
function advanceAll(state) {
	const now = state.now();
	for (const job of state.jobs.values()) advance(state, job, now);
}

/** Jobs created and not yet terminal (by time). @param {State} state */
function inFlight(state) {
	advanceAll(state);
	let n = 0;
	for (const job of state.jobs.values()) if (!isTerminal(job)) n++;
	return n;
}

/**
 * Keeps a new job and counts it; a job not already terminal gets the timer that ends it.
 * @param {State} state
 * @param {Job} job
 */
function addJob(state, job) {
	state.jobs.set(job.id, job);
	state.stats.jobsCreated++;
	state.onJobStatus(job);
	// this job counts as in flight at its creation even if renderMs is 0 and it is already terminal
	const others = inFlight(state) - (isTerminal(job) ? 0 : 1);
	state.stats.maxJobsInFlight = Math.max(state.stats.maxJobsInFlight, others + 1);
	if (!isTerminal(job)) {
		job.timer = later(state, job.queueMs + job.renderMs, () => {
			job.timer = undefined;
			finish(state, job);
		});
	}
}

/** @param {Job} job @returns {JobSnapshot} */
function snapshot(job) {
	return {
		id: job.id,
		name: job.name,
		prompt: job.prompt,
		audio_file_path: job.audio_file_path,
		style: { ...job.style },
		status: job.status,
		credits_charged: job.credits_charged,
		createdAt: job.createdAt,
		queueMs: job.queueMs,
		renderMs: job.renderMs,
		doneAt: job.createdAt + job.queueMs + job.renderMs,
		requestCount: job.requestCount,
		enabled: job.enabled,
		error: job.status === 'error' ? job.error : null,
		outcome: job.outcome,
		format: job.format,
		resultBytes: job.resultBytes,
		downloadCount: job.downloadCount,
	};
}

module.exports = { advance, advanceAll, inFlight, addJob, snapshot };
