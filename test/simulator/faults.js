// @ts-check
'use strict';

/**
 * Fault injection: the routes, the fault kinds and where each applies, checking a configured fault list,
 * and the seeded decision whether a fault hits a request. What a fault does to an answer is in
 * fault-answers.js (and in the route that a fault changes).
 */

const { isPlainObject } = require('./json');

/** @typedef {import('./types').RouteName} RouteName */
/** @typedef {import('./types').FaultKind} FaultKind */
/** @typedef {import('./types').Fault} Fault */
/** @typedef {import('./types').RequestRecord} RequestRecord */
/**
 * @typedef {'pre' | 'slow' | 'post' | 'outcome' | 'expired' | 'echo'
 *   | 'webhook-event' | 'webhook-attempt' | 'webhook-hold' | 'webhook-delivered'} FaultGroup
 */

/**
 * The HTTP routes: the kinds that apply to "all" routes apply to these.
 * @type {readonly RouteName[]}
 */
const API_ROUTES = ['account', 'uploadUrls', 'upload', 'create', 'get', 'delete', 'download', 'savedItems'];

/**
 * Every route name a fault can be given: the HTTP routes and `webhook`, the deliveries the simulator sends.
 * @type {readonly RouteName[]}
 */
const ROUTES = [...API_ROUTES, 'webhook'];

/**
 * Fault kinds: which group they belong to (when they are decided) and the routes they apply to.
 * - pre: decided before the work; the request is answered with the fault instead.
 * - slow: decided first; delays, then handling goes on.
 * - post: decided after successful work, replaces the success answer.
 * - outcome: decided when a job is created; sets how the job ends.
 * - expired: decided when a GET hands out a download URL.
 * - echo: decided when a success answer is sent; puts the token into its text fields.
 * - webhook-event: decided when a job sends an event; adds a delivery (webhooks.js).
 * - webhook-attempt: decided for each attempt of a delivery; changes how it is signed.
 * - webhook-hold: decided for each attempt of an `audio.completed` delivery; holds the job's downloads.
 * - webhook-delivered: decided when an event's own delivery is answered 2xx; delivers it again.
 * @type {Record<FaultKind, { group: FaultGroup, routes: readonly RouteName[] }>}
 */
const FAULT_KINDS = {
	'429': { group: 'pre', routes: API_ROUTES },
	'429-retry-after': { group: 'pre', routes: API_ROUTES },
	'500': { group: 'pre', routes: API_ROUTES },
	'502': { group: 'pre', routes: API_ROUTES },
	'502-html': { group: 'pre', routes: API_ROUTES },
	'503': { group: 'pre', routes: API_ROUTES },
	drop: { group: 'pre', routes: API_ROUTES },
	'upload-fail': { group: 'pre', routes: ['upload'] },
	'slow-drip': { group: 'pre', routes: ['upload', 'download'] },
	'redirect-foreign': { group: 'pre', routes: API_ROUTES },
	'echo-token': { group: 'pre', routes: API_ROUTES },
	'echo-token-fields': { group: 'echo', routes: ['account', 'uploadUrls', 'create', 'get'] },
	'job-error-echo': { group: 'outcome', routes: ['create'] },
	'truncated-download': { group: 'pre', routes: ['download'] },
	slow: { group: 'slow', routes: API_ROUTES },
	'500-after-create': { group: 'post', routes: ['create'] },
	'drop-after-create': { group: 'post', routes: ['create'] },
	'malformed-json': { group: 'post', routes: ['account', 'uploadUrls', 'create', 'get'] },
	'job-error': { group: 'outcome', routes: ['create'] },
	'job-canceled': { group: 'outcome', routes: ['create'] },
	'expired-download': { group: 'expired', routes: ['get'] },
	'bad-signature': { group: 'webhook-attempt', routes: ['webhook'] },
	'stale-timestamp': { group: 'webhook-attempt', routes: ['webhook'] },
	'slow-download': { group: 'webhook-hold', routes: ['webhook'] },
	duplicate: { group: 'webhook-delivered', routes: ['webhook'] },
	'unknown-event': { group: 'webhook-event', routes: ['webhook'] },
};

/**
 * mulberry32: a tiny deterministic PRNG.
 * @param {number} seed
 * @returns {() => number} values in [0, 1)
 */
function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * @param {Fault[] | undefined} faults
 * @returns {Fault[]}
 */
function validateFaults(faults) {
	if (faults === undefined) return [];
	if (!Array.isArray(faults)) throw new TypeError('faults must be an array');
	return faults.map((f, i) => {
		if (!isPlainObject(f)) throw new TypeError(`faults[${i}] must be an object`);
		const def = FAULT_KINDS[/** @type {FaultKind} */ (String(f.kind))];
		if (!def) throw new TypeError(`faults[${i}].kind: unknown fault kind "${f.kind}" (known: ${Object.keys(FAULT_KINDS).join(', ')})`);
		if (f.route !== undefined && !def.routes.includes(f.route)) {
			throw new TypeError(`faults[${i}]: kind "${f.kind}" does not apply to route "${f.route}" (applies to: ${def.routes.join(', ')})`);
		}
		if (f.rate !== undefined && !(typeof f.rate === 'number' && f.rate >= 0 && f.rate <= 1)) {
			throw new TypeError(`faults[${i}].rate must be a number from 0 to 1`);
		}
		if (f.times !== undefined && !(Number.isInteger(f.times) && f.times >= 0)) {
			throw new TypeError(`faults[${i}].times must be a non-negative integer`);
		}
		return { ...f };
	});
}

/**
 * Decides whether a fault of `group` hits this request. The first configured fault that fires wins.
 * The PRNG is drawn only for rates strictly between 0 and 1, so a seed reproduces a run. The foreign
 * origin injects no faults.
 * @param {import('./state').State} state
 * @param {FaultGroup} group
 * @param {RouteName} route
 * @param {RequestRecord | undefined} rec
 * @returns {FaultKind | undefined}
 */
function pickFault(state, group, route, rec) {
	if (rec && rec.origin === 'foreign') return undefined;
	const { faults } = state.opts;
	for (let i = 0; i < faults.length; i++) {
		const f = faults[i];
		const def = FAULT_KINDS[f.kind];
		if (def.group !== group || !def.routes.includes(route)) continue;
		if (f.route !== undefined && f.route !== route) continue;
		if (f.times !== undefined && state.faultUses[i] >= f.times) continue;
		const rate = f.rate ?? 1;
		if (rate <= 0) continue;
		if (rate < 1 && state.rng() >= rate) continue;
		state.faultUses[i]++;
		state.stats.faultsInjected[f.kind] = (state.stats.faultsInjected[f.kind] || 0) + 1;
		if (rec) rec.fault = rec.fault ? `${rec.fault},${f.kind}` : f.kind;
		return f.kind;
	}
	return undefined;
}

module.exports = { ROUTES, FAULT_KINDS, mulberry32, validateFaults, pickFault };
