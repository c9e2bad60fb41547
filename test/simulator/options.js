// @ts-check
'use strict';

/**
 * The simulator's options: their defaults, their checks, the options a simulator starts with, and
 * what `setOptions` changes on a running one.
 */

const { mulberry32, validateFaults } = require('./faults');
const { AUDIO_EVENTS } = require('./webhooks');
const { isRateLimit } = require('./rate-limit');

/** @typedef {import('./types').SimulatorOptions} SimulatorOptions */
/** @typedef {'resultBytes' | 'publicUrl' | 'logger' | 'webhookUrl' | 'clock' | 'rateLimit' | 'renderSlots'} Unset the options that may stay unset */
/** @typedef {typeof DEFAULTS} Options the options in force: every one set but those of `Unset` */

/** @type {Required<Omit<SimulatorOptions, Unset>> & Pick<SimulatorOptions, Unset>} */
const DEFAULTS = {
	port: 0,
	host: '127.0.0.1',
	publicUrl: undefined,
	token: 'mhk_sim_token',
	renderMs: 3000,
	renderMsPerCharacter: 0,
	renderVariation: 0,
	queueMs: 0,
	latencyMs: 0,
	credits: 100000,
	creditsPerCharacter: 0.05,
	seed: 1,
	resultBytes: undefined,
	resultFormat: 'wav',
	slowMs: 30000,
	maxUploadBytes: 200 * 1024 * 1024,
	requireUploadContentLength: false,
	dripMs: 1000,
	dripBytes: 1,
	faults: [],
	logger: undefined,
	webhookUrl: undefined,
	webhookSecret: 'whsec_sim_webhook_secret',
	webhookEvents: [...AUDIO_EVENTS],
	webhookTimeoutMs: 10000,
	webhookRetryMs: 1000,
	webhookRetryFactor: 2,
	webhookMaxAttempts: 8,
	clock: undefined,
	savedItemsPageSize: 3,
	extraSavedVoices: 0,
	rateLimit: undefined,
	renderSlots: undefined,
};

/**
 * @param {Partial<SimulatorOptions>} o
 */
function validateOptions(o) {
	/** @param {string} k @param {boolean} ok */
	const check = (k, ok) => {
		if (!ok) throw new TypeError(`invalid simulator option ${k}: ${JSON.stringify(/** @type {any} */ (o)[k])}`);
	};
	/** @param {unknown} v */
	const nonNeg = (v) => v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
	check('port', o.port === undefined || (Number.isInteger(o.port) && /** @type {number} */ (o.port) >= 0 && /** @type {number} */ (o.port) < 65536));
	check('token', o.token === undefined || (typeof o.token === 'string' && o.token.length > 0));
	check('renderMs', nonNeg(o.renderMs));
	check('renderMsPerCharacter', nonNeg(o.renderMsPerCharacter));
	check('renderVariation', o.renderVariation === undefined || (nonNeg(o.renderVariation) && /** @type {number} */ (o.renderVariation) < 1));
	check('queueMs', nonNeg(o.queueMs));
	check('clock', o.clock === undefined || isClock(o.clock));
	check('latencyMs', nonNeg(o.latencyMs));
	check('credits', nonNeg(o.credits));
	check('creditsPerCharacter', nonNeg(o.creditsPerCharacter));
	check('slowMs', nonNeg(o.slowMs));
	check('dripMs', nonNeg(o.dripMs));
	check('dripBytes', o.dripBytes === undefined || (Number.isInteger(o.dripBytes) && /** @type {number} */ (o.dripBytes) >= 1));
	check('maxUploadBytes', o.maxUploadBytes === undefined || (typeof o.maxUploadBytes === 'number' && o.maxUploadBytes >= 0));
	check('seed', o.seed === undefined || (typeof o.seed === 'number' && Number.isFinite(o.seed)));
	check('resultBytes', o.resultBytes === undefined || o.resultBytes === null || (typeof o.resultBytes === 'number' && Number.isFinite(o.resultBytes) && o.resultBytes >= 1));
	check('resultFormat', o.resultFormat === undefined || o.resultFormat === 'wav' || o.resultFormat === 'mp3');
	check('webhookUrl', o.webhookUrl === undefined || o.webhookUrl === null || isHttpUrl(o.webhookUrl));
	check('webhookSecret', o.webhookSecret === undefined || (typeof o.webhookSecret === 'string' && o.webhookSecret.length > 0));
	check('webhookEvents', o.webhookEvents === undefined || (Array.isArray(o.webhookEvents) && o.webhookEvents.every((e) => AUDIO_EVENTS.includes(/** @type {any} */ (e)))));
	check('webhookTimeoutMs', nonNeg(o.webhookTimeoutMs) && o.webhookTimeoutMs !== 0);
	check('webhookRetryMs', nonNeg(o.webhookRetryMs));
	check('webhookRetryFactor', o.webhookRetryFactor === undefined || (typeof o.webhookRetryFactor === 'number' && Number.isFinite(o.webhookRetryFactor) && o.webhookRetryFactor >= 1));
	check('rateLimit', isRateLimit(o.rateLimit));
	check('renderSlots', o.renderSlots === undefined || o.renderSlots === null || (Number.isInteger(o.renderSlots) && /** @type {number} */ (o.renderSlots) >= 1));
	check('webhookMaxAttempts', o.webhookMaxAttempts === undefined || (Number.isInteger(o.webhookMaxAttempts) && /** @type {number} */ (o.webhookMaxAttempts) >= 1));
	check('savedItemsPageSize', o.savedItemsPageSize === undefined || (Number.isInteger(o.savedItemsPageSize) && /** @type {number} */ (o.savedItemsPageSize) >= 1 && /** @type {number} */ (o.savedItemsPageSize) <= 100));
	check('extraSavedVoices', o.extraSavedVoices === undefined || (Number.isInteger(o.extraSavedVoices) && /** @type {number} */ (o.extraSavedVoices) >= 0 && /** @type {number} */ (o.extraSavedVoices) <= 999));
}

/**
 * A clock as the `clock` option takes it: `now()`, and both timer functions or neither (clock.js).
 * @param {unknown} v
 */
function isClock(v) {
	if (typeof v !== 'object' || v === null) return false;
	const { now, setTimeout: set, clearTimeout: clear } = /** @type {Record<string, unknown>} */ (v);
	return typeof now === 'function' && (set === undefined) === (clear === undefined) && (set === undefined || (typeof set === 'function' && typeof clear === 'function'));
}

/** @param {unknown} v */
function isHttpUrl(v) {
	if (typeof v !== 'string') return false;
	try {
		return ['http:', 'https:'].includes(new URL(v).protocol);
	} catch {
		return false;
	}
}

/**
 * The options a new simulator starts with: the defaults, overridden by every option given.
 * @param {SimulatorOptions} options
 * @returns {Options}
 */
function startingOptions(options) {
	validateOptions(options);
	/** @type {Options} */
	const opts = { ...DEFAULTS };
	for (const [k, v] of Object.entries(options)) if (v !== undefined) /** @type {any} */ (opts)[k] = v;
	opts.faults = validateFaults(options.faults);
	opts.webhookEvents = [...opts.webhookEvents];
	return opts;
}

/**
 * `setOptions` on a running simulator: new faults start their counts at 0, new credits replace the
 * balance, a new seed reseeds, a new request rate starts with a full bucket; `null` unsets resultBytes,
 * rateLimit and renderSlots.
 * @param {import('./state').State} state
 * @param {Partial<SimulatorOptions>} o
 */
function changeOptions(state, o) {
	const { opts } = state;
	validateOptions(o);
	if (o.port !== undefined || o.host !== undefined || o.publicUrl !== undefined || o.clock !== undefined) {
		throw new TypeError('port, host, publicUrl and clock cannot be changed on a running simulator');
	}
	/** The options that `null` unsets. */
	const unsettable = ['resultBytes', 'rateLimit', 'renderSlots'];
	for (const [k, v] of Object.entries(o)) {
		if (k === 'faults' || unsettable.includes(k)) continue;
		if (v !== undefined) /** @type {any} */ (opts)[k] = v;
	}
	for (const k of unsettable) if (k in o) /** @type {any} */ (opts)[k] = /** @type {any} */ (o)[k] ?? undefined;
	// a new request rate starts with a full bucket
	if ('rateLimit' in o) state.bucket = undefined;
	if (o.faults !== undefined) {
		opts.faults = validateFaults(o.faults);
		state.faultUses = opts.faults.map(() => 0);
	}
	if (o.webhookEvents !== undefined) opts.webhookEvents = [...o.webhookEvents];
	if (o.credits !== undefined) state.credits = o.credits;
	if (o.seed !== undefined) state.rng = mulberry32(o.seed);
}

module.exports = { DEFAULTS, startingOptions, changeOptions };
