// @ts-check
'use strict';

/**
 * What one simulator holds: made by startSimulator and handed to every route, so that several
 * simulators can run in one process. Also its counters, `reset()`, and the timers `close()` clears.
 */

const crypto = require('crypto');
const { mulberry32 } = require('./faults');
const { clockOf } = require('./clock');

/** @typedef {import('./types').RequestRecord} RequestRecord */
/** @typedef {import('./types').UploadSnapshot} UploadSnapshot */
/** @typedef {import('./types').WebhookDelivery} WebhookDelivery */
/** @typedef {ReturnType<typeof freshStats>} Counters what `stats()` reports but the live numbers */
/** @typedef {ReturnType<typeof freshWebhooks>} Webhooks what webhooks.js keeps: deliveries, timers, requests, counters */

/**
 * @typedef {object} State
 * @property {import('./options').Options} opts the options in force (`setOptions` changes them)
 * @property {Buffer} secret signs the upload and download URLs
 * @property {Map<string, import('./jobs').Job>} jobs by id
 * @property {Map<string, { type: 'audio' | 'video' | 'image', extension: string }>} issuedUploads
 *   file_path → what upload-urls handed out for it
 * @property {Map<string, UploadSnapshot>} uploads file_path → what the signed PUT stored
 * @property {Set<unknown>} timers pending timers (of `clock`), cleared by `close()`
 * @property {Set<import('net').Socket>} sockets open connections of both origins
 * @property {RequestRecord[]} log the request log, oldest first
 * @property {Counters} stats
 * @property {Webhooks} webhooks the webhook deliveries' log, their pending work and counters (webhooks.js)
 * @property {(job: import('./jobs').Job) => void} onJobStatus told of a job's creation and of each status
 *   it takes (index.js hands it to webhooks.js)
 * @property {number} credits the account balance
 * @property {() => number} rng the fault PRNG
 * @property {number[]} faultUses injections per fault (same index as opts.faults)
 * @property {Map<string, number>} promptCounts jobs created per prompt since the last reset (render-model.js)
 * @property {import('./clock').Clock} clock the time every date, duration and wait of the simulator follows
 *   (`clock` option, else the real one): use `now()` and `later()` / `sleep()` rather than Date.now and setTimeout
 * @property {() => number} now the clock's now
 * @property {{ tokens: number, at: number } | undefined} bucket the account's request-rate bucket (rate-limit.js);
 *   undefined: full
 * @property {boolean} closed
 * @property {string} url the simulator's base URL, which signed URLs start with (set once it listens)
 * @property {string} foreignUrl the foreign origin's base URL (set once it listens)
 */

const freshStats = () => ({
	/** @type {Record<string, number>} */ requests: {},
	jobsCreated: 0,
	/** @type {Record<string, number>} */ faultsInjected: {},
	rateLimited: 0,
	maxJobsInFlight: 0,
	uploadsBytes: 0,
	downloadsBytes: 0,
	authOnSignedUrls: 0,
	tokenAtForeignOrigin: 0,
});

/**
 * The webhooks' part of the state: the delivery log; the timers of starts, retries and answer deadlines
 * (also in `timers`); the requests waiting for an answer; per job id, how many attempts hold its
 * downloads (`slow-download`) and the downloads waiting; counters.
 */
const freshWebhooks = () => ({
	/** @type {WebhookDelivery[]} */ deliveries: [],
	/** @type {Set<unknown>} */ timers: new Set(),
	/** @type {Set<import('http').ClientRequest>} */ requests: new Set(),
	/** @type {Map<string, { count: number, waiting: Array<() => void> }>} */ holds: new Map(),
	nextDelivery: 1,
	stats: { events: 0, attempts: 0, delivered: 0, failed: 0, timedOut: 0, gaveUp: 0, pending: 0 },
});

/**
 * @param {import('./options').Options} opts
 * @returns {State}
 */
function createState(opts) {
	const clock = clockOf(opts.clock);
	return {
		opts,
		secret: crypto.randomBytes(32),
		jobs: new Map(),
		issuedUploads: new Map(),
		uploads: new Map(),
		timers: new Set(),
		sockets: new Set(),
		log: [],
		stats: freshStats(),
		webhooks: freshWebhooks(),
		onJobStatus: () => {},
		credits: opts.credits,
		rng: mulberry32(opts.seed),
		faultUses: opts.faults.map(() => 0),
		promptCounts: new Map(),
		clock,
		now: () => clock.now(),
		bucket: undefined,
		closed: false,
		url: '',
		foreignUrl: '',
	};
}

/**
 * `reset()`: clears jobs, uploads, counters, the request log, fault counters and prompt counts; ends the
 * pending webhook deliveries and clears their log; reseeds; fills the request-rate bucket.
 * @param {State} state
 */
function resetState(state) {
	for (const job of state.jobs.values()) if (job.timer) cancel(state, job.timer);
	state.jobs.clear();
	state.issuedUploads.clear();
	state.uploads.clear();
	state.promptCounts.clear();
	state.log = [];
	state.stats = freshStats();
	stopWebhooks(state);
	state.webhooks = freshWebhooks();
	state.faultUses = state.opts.faults.map(() => 0);
	state.rng = mulberry32(state.opts.seed);
	state.credits = state.opts.credits;
	state.bucket = undefined;
}

/**
 * Runs `fn` once `ms` have passed on the simulator's clock (a render that ends, an answer deadline), on a
 * timer that `close()` clears (a real one does not keep the process alive).
 * @param {State} state
 * @param {number} ms
 * @param {() => void} fn
 * @param {Set<unknown>} [group] another set the timer is kept in while it is pending
 * @returns {unknown} the timer, for `cancel`
 */
function later(state, ms, fn, group) {
	return keep(state, (run) => state.clock.setTimeout(run, ms), fn, group);
}

/**
 * Like `later`, for a wait the simulator's own work is held by (latency, the slow faults, a retry pause):
 * the clock's `setWait` when it has one (a clock that skips waits skips it), else a timer.
 * @param {State} state
 * @param {number} ms
 * @param {() => void} fn
 * @param {Set<unknown>} [group]
 * @returns {unknown}
 */
function pause(state, ms, fn, group) {
	const { clock } = state;
	return keep(state, (run) => (clock.setWait ? clock.setWait(run, ms) : clock.setTimeout(run, ms)), fn, group);
}

/**
 * Sets a timer with `set` and keeps it in `state.timers` (and `group`) while it is pending.
 * @param {State} state
 * @param {(run: () => void) => unknown} set
 * @param {() => void} fn
 * @param {Set<unknown>} [group]
 */
function keep(state, set, fn, group) {
	const t = set(() => {
		state.timers.delete(t);
		group?.delete(t);
		fn();
	});
	state.timers.add(t);
	group?.add(t);
	return t;
}

/**
 * Clears a timer of `later` or `pause`.
 * @param {State} state
 * @param {unknown} t
 * @param {Set<unknown>} [group] the other set it is kept in
 */
function cancel(state, t, group) {
	state.clock.clearTimeout(t);
	state.timers.delete(t);
	group?.delete(t);
}

/** A `pause` to await. @param {State} state @param {number} ms @returns {Promise<void>} */
function sleep(state, ms) {
	if (!(ms > 0)) return Promise.resolve();
	return new Promise((resolve) => pause(state, ms, resolve));
}

/** @param {State} state */
function clearTimers(state) {
	for (const t of state.timers) state.clock.clearTimeout(t);
	state.timers.clear();
}

/**
 * Ends the webhooks' pending work (by `reset()` and `close()`): their timers, the deliveries waiting
 * for an answer, and the downloads they hold.
 * @param {State} state
 */
function stopWebhooks(state) {
	const { timers, requests, holds } = state.webhooks;
	for (const t of timers) cancel(state, t);
	timers.clear();
	for (const req of requests) req.destroy();
	requests.clear();
	for (const hold of holds.values()) for (const go of hold.waiting.splice(0)) go();
	holds.clear();
}

module.exports = { createState, resetState, later, pause, cancel, sleep, clearTimers, stopWebhooks };
