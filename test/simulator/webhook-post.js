// @ts-check
'use strict';

/**
 * One webhook delivery on the wire: the headers Magic Hour signs a body with, and the POST itself under
 * Magic Hour's answer deadline (`webhookTimeoutMs`), which aborts a request not fully answered in time.
 * Used by webhooks.js for the events and by `sim.postWebhook` for deliveries a test makes up.
 */

const crypto = require('crypto');
const http = require('http');
const https = require('https');
const { later, cancel } = require('./state');

/** @typedef {import('./state').State} State */
/** @typedef {import('./types').WebhookAnswer} WebhookAnswer */

const TIMESTAMP_HEADER = 'magic-hour-event-timestamp';
const SIGNATURE_HEADER = 'magic-hour-event-signature';
/** How much of an answer's body is kept. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The headers Magic Hour sends a body with: the timestamp (Unix seconds) and the lowercase hex
 * HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the webhook secret.
 * @param {Buffer | string} body
 * @param {string} secret
 * @param {number} timestamp Unix seconds
 * @returns {Record<string, string>}
 */
function signedHeaders(body, secret, timestamp) {
	const signature = crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
	return { 'Content-Type': 'application/json', [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signature };
}

/**
 * POSTs `body` with exactly `headers` (and its Content-Length) to `url`, on a connection of its own, no
 * redirects followed. A request not fully answered within `webhookTimeoutMs` (on the simulator's clock) is
 * aborted: `timeout`.
 * Resolves, never rejects; `reset()` and `close()` abort it (`no-answer`).
 * @param {State} state
 * @param {string} url
 * @param {Buffer} body
 * @param {Record<string, string>} headers
 * @returns {Promise<WebhookAnswer>}
 */
function postDelivery(state, url, body, headers) {
	const wh = state.webhooks;
	const timeoutMs = state.opts.webhookTimeoutMs;
	return new Promise((resolve) => {
		const started = state.now();
		/** @type {WebhookAnswer} */
		const answer = { status: null, headers: {}, body: '', answerMs: null, result: 'no-answer', error: null };
		/** @type {Buffer[]} */
		const chunks = [];
		let kept = 0;
		let settled = false;
		/** @type {import('http').ClientRequest | undefined} */
		let req;
		/** @type {unknown} */
		let deadline;
		/** @param {WebhookAnswer['result']} result @param {string | null} error */
		const settle = (result, error) => {
			if (settled) return;
			settled = true;
			if (deadline) cancel(state, deadline, wh.timers);
			if (req) wh.requests.delete(req);
			answer.result = result;
			answer.error = error;
			answer.body = Buffer.concat(chunks).toString('utf8');
			if (result === 'ok' || result === 'non-2xx') answer.answerMs = state.now() - started;
			resolve(answer);
		};
		let target;
		try {
			target = new URL(url);
			if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error('not http(s)');
		} catch {
			return settle('no-answer', `not an http(s) URL: ${url}`);
		}
		const client = target.protocol === 'https:' ? https : http;
		const request = client.request(target, {
			method: 'POST',
			agent: false,
			headers: { ...headers, 'Content-Length': String(body.length) },
		});
		req = request;
		wh.requests.add(request);
		deadline = later(
			state,
			timeoutMs,
			() => {
				settle('timeout', `not answered within ${timeoutMs} ms`);
				request.destroy();
			},
			wh.timers,
		);
		request.on('response', (res) => {
			answer.status = res.statusCode ?? null;
			answer.headers = res.headers;
			res.on('data', (/** @type {Buffer} */ chunk) => {
				if (kept >= MAX_ANSWER_BYTES) return;
				chunks.push(chunk);
				kept += chunk.length;
			});
			res.on('end', () => settle(answer.status !== null && answer.status >= 200 && answer.status < 300 ? 'ok' : 'non-2xx', null));
			res.on('error', (err) => settle('no-answer', err.message));
			res.on('close', () => settle('no-answer', 'the connection closed before the answer ended'));
		});
		request.on('error', (err) => settle('no-answer', err.message));
		request.end(body);
	});
}

module.exports = { TIMESTAMP_HEADER, SIGNATURE_HEADER, signedHeaders, postDelivery };
