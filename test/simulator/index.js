// @ts-check
'use strict';

/**
 * A local, strict simulator of the parts of the Magic Hour API that the voice cloner node uses:
 * GET /v1/account, POST /v1/files/upload-urls, PUT <signed upload URL>, POST /v1/ai-voice-cloner,
 * GET and DELETE /v1/audio-projects/{id}, GET <signed download URL>, GET /v1/saved-items; and the signed webhook events Magic
 * Hour sends when a job starts and ends. Seeded fault injection included.
 * Plain Node (http, crypto, stream, url); no dependencies. See README.md beside this file, which says
 * which file holds which route and concern. This file starts one and builds its `Simulator` API.
 */

const { DEFAULTS, startingOptions, changeOptions } = require('./options');
const { FAULT_KINDS, ROUTES, mulberry32 } = require('./faults');
const { createState, resetState, clearTimers, stopWebhooks } = require('./state');
const { advance, advanceAll, inFlight, snapshot } = require('./jobs');
const { projectJson } = require('./audio-projects');
const { chargeFor } = require('./create');
const { EXTENSIONS } = require('./uploads');
const { startOrigins } = require('./server');
const { jobStatusChanged } = require('./webhooks');
const { resultStream } = require('./downloads');
const { signedHeaders, postDelivery } = require('./webhook-post');
const { savedItems } = require('./saved-items');
const { realClock, ManualClock } = require('./clock');

/** @typedef {import('./types').RouteName} RouteName */
/** @typedef {import('./types').FaultKind} FaultKind */
/** @typedef {import('./types').Fault} Fault */
/** @typedef {import('./types').SimulatorOptions} SimulatorOptions */
/** @typedef {import('./types').RequestRecord} RequestRecord */
/** @typedef {import('./types').SimulatorStats} SimulatorStats */
/** @typedef {import('./types').JobSnapshot} JobSnapshot */
/** @typedef {import('./types').UploadSnapshot} UploadSnapshot */
/** @typedef {import('./types').WebhookDelivery} WebhookDelivery */
/** @typedef {import('./types').WebhookAnswer} WebhookAnswer */
/** @typedef {import('./types').Simulator} Simulator */

/**
 * Starts a simulator. Resolves once it listens.
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
async function startSimulator(options = {}) {
	const state = createState(startingOptions(options));
	state.onJobStatus = (job) => jobStatusChanged(state, job);
	const origins = await startOrigins(state);

	/** @type {Simulator} */
	const sim = {
		url: state.url,
		port: origins.port,
		foreignUrl: state.foreignUrl,
		token: state.opts.token,
		stats() {
			const { stats } = state;
			return {
				requests: { ...stats.requests },
				jobsCreated: stats.jobsCreated,
				faultsInjected: { ...stats.faultsInjected },
				rateLimited: stats.rateLimited,
				maxJobsInFlight: stats.maxJobsInFlight,
				jobsInFlight: inFlight(state),
				uploadsBytes: stats.uploadsBytes,
				downloadsBytes: stats.downloadsBytes,
				authOnSignedUrls: stats.authOnSignedUrls,
				tokenAtForeignOrigin: stats.tokenAtForeignOrigin,
				credits: state.credits,
				webhooks: { ...state.webhooks.stats },
			};
		},
		jobs() {
			advanceAll(state);
			return [...state.jobs.values()].map(snapshot);
		},
		jobsInFlight: () => inFlight(state),
		async createJob({ prompt, name, audioFilePath = 'https://cdn.example.com/voices/narrator.mp3' }) {
			const response = await fetch(`${state.url}/v1/ai-voice-cloner`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${state.opts.token}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ ...(name === undefined ? {} : { name }), assets: { audio_file_path: audioFilePath }, style: { prompt } }),
			});
			const answer = await response.json();
			if (response.status !== 200) throw new Error(`createJob: ${response.status} ${JSON.stringify(answer)}`);
			return answer;
		},
		eventBody(type, jobId, changes = {}) {
			const job = state.jobs.get(jobId);
			if (!job) throw new TypeError(`eventBody: no job ${jobId}`);
			advance(state, job, state.now());
			return JSON.stringify({ type, payload: { ...projectJson(state, job, false), ...changes } });
		},
		async renderedAudio(jobId) {
			const job = state.jobs.get(jobId);
			if (!job) throw new TypeError(`renderedAudio: no job ${jobId}`);
			/** @type {Buffer[]} */
			const chunks = [];
			for await (const chunk of resultStream(job)) chunks.push(chunk);
			return Buffer.concat(chunks);
		},
		uploads() {
			return [...state.uploads.values()].map((u) => ({ ...u }));
		},
		requests() {
			return state.log.map((r) => ({ ...r }));
		},
		savedItems() {
			return savedItems(state);
		},
		webhookDeliveries() {
			return state.webhooks.deliveries.map((d) => ({ ...d }));
		},
		postWebhook({ body, headers = {}, url }) {
			const target = url ?? state.opts.webhookUrl;
			if (!target) return Promise.reject(new TypeError('postWebhook: no url given and no webhookUrl set'));
			return postDelivery(state, target, Buffer.from(body), headers);
		},
		signWebhook(body, { timestamp, secret } = {}) {
			return signedHeaders(body, secret ?? state.opts.webhookSecret, timestamp ?? Math.floor(state.now() / 1000));
		},
		setOptions(o) {
			changeOptions(state, o);
			if (o.token !== undefined) sim.token = o.token;
		},
		reset() {
			resetState(state);
		},
		close() {
			if (state.closed) return Promise.resolve();
			state.closed = true;
			clearTimers(state);
			stopWebhooks(state);
			return origins.close();
		},
	};
	return sim;
}

module.exports = { startSimulator, ManualClock, realClock, mulberry32, chargeFor, FAULT_KINDS, ROUTES, EXTENSIONS, DEFAULTS };
