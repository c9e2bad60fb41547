// @ts-check
'use strict';

/**
 * Webhook events, sent as Magic Hour sends them to the endpoint `webhookUrl` (none set: nothing is sent):
 * `audio.started` when a job starts rendering, `audio.completed` / `audio.errored` when it ends (nothing
 * for `canceled`), each `{ type, payload }` with the payload GET /v1/audio-projects/{id} answers at that
 * moment, and only the types in `webhookEvents`. Every attempt is signed with the current time
 * (webhook-post.js); one not answered 2xx within `webhookTimeoutMs` is sent again, the same body, after
 * `webhookRetryMs`, `webhookRetryFactor` times longer after each further failure, `webhookMaxAttempts`
 * attempts in all. The `webhook` faults (faults.js) change an attempt (`bad-signature`,
 * `stale-timestamp`, `slow-download`) or add a delivery (`duplicate`, `unknown-event`).
 * Also the delivery log and the downloads `slow-download` holds.
 */

const { later, pause } = require('./state');
const { advance } = require('./jobs');
const { projectJson } = require('./audio-projects');
const { pickFault } = require('./faults');
const { signedHeaders, postDelivery } = require('./webhook-post');

/** @typedef {import('./state').State} State */
/** @typedef {import('./state').Webhooks} Webhooks */
/** @typedef {import('./jobs').Job} Job */
/** @typedef {import('./types').WebhookDelivery} WebhookDelivery */
/** @typedef {import('./types').AudioEvent} AudioEvent */

/** The events an endpoint can select for audio; `webhookEvents` defaults to all three. */
const AUDIO_EVENTS = /** @type {const} */ (['audio.started', 'audio.completed', 'audio.errored']);

/** @type {Partial<Record<Job['status'], AudioEvent>>} */
const EVENT_OF_STATUS = { rendering: 'audio.started', complete: 'audio.completed', error: 'audio.errored' };

/** How old the `stale-timestamp` fault's timestamp is: twice the 300 s Magic Hour suggests accepting. */
const STALE_SECONDS = 600;

const MAX_LOG = 100000;

/**
 * @typedef {object} Delivery one event body, sent until answered 2xx or out of attempts
 * @property {number} id
 * @property {string} type
 * @property {string} jobId
 * @property {Buffer} body the same bytes in every attempt
 * @property {'duplicate' | 'unknown-event' | null} fault the fault that added this delivery
 * @property {number} attempts
 */

/**
 * `state.onJobStatus`: a new job gets a timer that notices when it starts rendering; a job that starts
 * rendering or ends sends its event.
 * @param {State} state
 * @param {Job} job
 */
function jobStatusChanged(state, job) {
	const { opts } = state;
	if (!opts.webhookUrl) return;
	if (job.status === 'queued') return watchStart(state, job);
	const type = EVENT_OF_STATUS[job.status];
	if (!type || !opts.webhookEvents.includes(type)) return;
	const payload = projectJson(state, job, false);
	send(state, type, job.id, Buffer.from(JSON.stringify({ type, payload })), null);
	if (pickFault(state, 'webhook-event', 'webhook', undefined) === 'unknown-event') {
		const other = type.replace(/^audio\./, 'video.');
		send(state, other, job.id, Buffer.from(JSON.stringify({ type: other, payload })), 'unknown-event');
	}
}

/**
 * Status follows the clock when read (jobs.js); this reads it when rendering should start (after the job's
 * queue delay and a tenth of its render), so that `audio.started` goes out on time even if nobody polls.
 * @param {State} state
 * @param {Job} job
 */
function watchStart(state, job) {
	const wh = state.webhooks;
	const startsAt = job.createdAt + job.queueMs + job.renderMs * 0.1;
	const check = () => {
		advance(state, job, state.now());
		if (job.status === 'queued') later(state, Math.max(1, Math.ceil(startsAt - state.now())), check, wh.timers);
	};
	later(state, Math.ceil(startsAt - state.now()), check, wh.timers);
}

/**
 * Starts delivering an event body.
 * @param {State} state
 * @param {string} type
 * @param {string} jobId
 * @param {Buffer} body
 * @param {Delivery['fault']} fault
 */
function send(state, type, jobId, body, fault) {
	const wh = state.webhooks;
	wh.stats.events++;
	wh.stats.pending++;
	/** @type {Delivery} */
	const delivery = { id: wh.nextDelivery++, type, jobId, body, fault, attempts: 0 };
	pause(state, 0, () => attempt(state, wh, delivery), wh.timers);
}

/**
 * One attempt of a delivery, and what follows from its answer: a retry, a duplicate, or nothing.
 * @param {State} state
 * @param {Webhooks} wh the webhooks' state the delivery belongs to (`reset()` replaces it)
 * @param {Delivery} delivery
 */
async function attempt(state, wh, delivery) {
	const { opts } = state;
	const url = opts.webhookUrl;
	if (!url) {
		wh.stats.pending--; // the endpoint was removed meanwhile
		return;
	}
	delivery.attempts++;
	const signing = pickFault(state, 'webhook-attempt', 'webhook', undefined);
	const hold = delivery.type === 'audio.completed' && pickFault(state, 'webhook-hold', 'webhook', undefined) === 'slow-download';
	const sentAt = state.now();
	const timestamp = Math.floor(sentAt / 1000) - (signing === 'stale-timestamp' ? STALE_SECONDS : 0);
	const secret = signing === 'bad-signature' ? `not-${opts.webhookSecret}` : opts.webhookSecret;
	/** @type {WebhookDelivery} */
	const record = {
		delivery: delivery.id,
		type: delivery.type,
		jobId: delivery.jobId,
		attempt: delivery.attempts,
		fault: [delivery.fault, signing, hold ? 'slow-download' : undefined].filter(Boolean).join(',') || null,
		timestamp,
		sentAt,
		endedAt: null,
		status: null,
		answerMs: null,
		result: 'pending',
		error: null,
		retryInMs: null,
	};
	wh.deliveries.push(record);
	if (wh.deliveries.length > MAX_LOG) wh.deliveries.splice(0, wh.deliveries.length - MAX_LOG);
	wh.stats.attempts++;
	const release = hold ? holdDownloads(wh, delivery.jobId) : undefined;
	const answer = await postDelivery(state, url, delivery.body, signedHeaders(delivery.body, secret, timestamp));
	if (release) release();
	if (state.closed || state.webhooks !== wh) return;
	Object.assign(record, { endedAt: state.now(), status: answer.status, answerMs: answer.answerMs, result: answer.result, error: answer.error });
	if (answer.result === 'ok') {
		wh.stats.delivered++;
		wh.stats.pending--;
		if (delivery.fault === null && pickFault(state, 'webhook-delivered', 'webhook', undefined) === 'duplicate') {
			send(state, delivery.type, delivery.jobId, delivery.body, 'duplicate');
		}
	} else {
		wh.stats.failed++;
		if (answer.result === 'timeout') wh.stats.timedOut++;
		if (delivery.attempts < opts.webhookMaxAttempts) {
			record.retryInMs = Math.round(opts.webhookRetryMs * opts.webhookRetryFactor ** (delivery.attempts - 1));
			pause(state, record.retryInMs, () => attempt(state, wh, delivery), wh.timers);
		} else {
			wh.stats.gaveUp++;
			wh.stats.pending--;
		}
	}
	if (opts.logger) opts.logger(logLine(record));
}

/** @param {WebhookDelivery} r */
function logLine(r) {
	const answer = r.status === null ? r.result.toUpperCase() : `${r.status}${r.result === 'timeout' ? ' TIMEOUT' : ''}`;
	const next = r.retryInMs !== null ? ` retry in ${r.retryInMs}ms` : r.result === 'ok' ? '' : ' gave up';
	return `webhook ${r.type} ${r.jobId} #${r.delivery}.${r.attempt} ${answer} ${(r.endedAt ?? r.sentAt) - r.sentAt}ms${r.fault ? ` fault=${r.fault}` : ''}${next}`;
}

/**
 * `slow-download`: the job's signed downloads wait until this attempt is over (answered, failed, or
 * aborted at the deadline). Returns the release.
 * @param {Webhooks} wh
 * @param {string} jobId
 * @returns {() => void}
 */
function holdDownloads(wh, jobId) {
	let hold = wh.holds.get(jobId);
	if (!hold) wh.holds.set(jobId, (hold = { count: 0, waiting: [] }));
	const held = hold;
	held.count++;
	return () => {
		if (--held.count > 0) return;
		if (wh.holds.get(jobId) === held) wh.holds.delete(jobId);
		for (const go of held.waiting.splice(0)) go();
	};
}

/**
 * What a download of the job waits for: undefined unless `slow-download` holds it.
 * @param {State} state
 * @param {string} jobId
 * @returns {Promise<void> | undefined}
 */
function downloadHold(state, jobId) {
	const hold = state.webhooks.holds.get(jobId);
	if (!hold) return undefined;
	return new Promise((resolve) => hold.waiting.push(resolve));
}

module.exports = { AUDIO_EVENTS, STALE_SECONDS, jobStatusChanged, downloadHold };
