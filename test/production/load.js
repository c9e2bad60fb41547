'use strict';
// @ts-check
/**
 * Callers of a production webhook: fire many calls at once, keep each answer and its latency, and check the
 * audio that comes back.
 */
const { parseWavHeader, durationForText } = require('../simulator/wav');

/**
 * @typedef {{ index: number, body: Record<string, unknown>, status: number, contentType: string,
 *   bytes: Buffer, startedAt: number, latencyMs: number, error?: string }} CallResult
 */

/**
 * POST a JSON body to a webhook and read the whole answer.
 * @param {string} url @param {Record<string, unknown>} body @param {number} [index]
 * @returns {Promise<CallResult>}
 */
async function callWebhook(url, body, index = 0) {
	const startedAt = Date.now();
	try {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const bytes = Buffer.from(await response.arrayBuffer());
		return { index, body, status: response.status, contentType: response.headers.get('content-type') || '', bytes, startedAt, latencyMs: Date.now() - startedAt };
	} catch (error) {
		// A dropped connection is an answer too (e.g. when the process holding the call dies).
		return { index, body, status: 0, contentType: '', bytes: Buffer.alloc(0), startedAt, latencyMs: Date.now() - startedAt, error: String(/** @type {Error} */ (error).cause || error) };
	}
}

/**
 * All calls start at once; resolves when every caller has its answer.
 * @param {string} url @param {Array<Record<string, unknown>>} bodies
 */
async function fireAtOnce(url, bodies) {
	const started = Date.now();
	const results = await Promise.all(bodies.map((body, index) => callWebhook(url, body, index)));
	return { results, wallMs: Date.now() - started };
}

/** `n` distinct lines to speak, tagged so the simulator's jobs can be matched to callers. */
function cloneRequests(/** @type {string} */ tag, /** @type {number} */ n, sampleUrl = 'https://cdn.example.com/voices/narrator.mp3') {
	return Array.from({ length: n }, (_, i) => ({
		text: `Line ${i + 1} of ${n} for ${tag}: the quick brown fox jumps over the lazy dog${'.'.repeat(i % 7)}`,
		sample_url: sampleUrl,
		name: `${tag}-${String(i + 1).padStart(3, '0')}`,
	}));
}

/**
 * The answer is a playable WAV whose length matches the text (the simulator speaks 60 ms per code point).
 * @param {CallResult} result
 * @returns {{ ok: boolean, seconds?: number, expected: number, problem?: string }}
 */
function checkAudio(result) {
	const expected = durationForText([...String(result.body.text)].length);
	if (result.status !== 200) return { ok: false, expected, problem: `status ${result.status}: ${result.error || result.bytes.toString('utf8').slice(0, 300)}` };
	if (!result.contentType.startsWith('audio/wav')) return { ok: false, expected, problem: `Content-Type ${result.contentType}` };
	try {
		const header = parseWavHeader(result.bytes);
		if (header.audioFormat !== 1) return { ok: false, expected, problem: `WAV format ${header.audioFormat}` };
		if (header.dataOffset + header.dataBytes !== result.bytes.length) return { ok: false, expected, problem: 'WAV data length does not match the file' };
		const ok = Math.abs(header.durationSec - expected) < 0.005;
		return { ok, seconds: header.durationSec, expected, problem: ok ? undefined : `${header.durationSec} s instead of ${expected} s` };
	} catch (error) {
		return { ok: false, expected, problem: String(error) };
	}
}

/** @param {number[]} values @param {number} p 0..100, nearest-rank */
function percentile(values, p) {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** @param {{ results: CallResult[], wallMs: number }} round */
function latencyFigures(round) {
	const latencies = round.results.map((r) => r.latencyMs);
	return { calls: round.results.length, wallMs: round.wallMs, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), maxMs: Math.max(...latencies) };
}

/**
 * Markdown table of figures.
 * @param {Array<{ setup: string } & ReturnType<typeof latencyFigures>>} rows
 */
function figuresTable(rows) {
	const s = (/** @type {number} */ ms) => (ms / 1000).toFixed(1);
	return [
		'| setup | calls | wall time (s) | p50 latency (s) | p95 latency (s) | max (s) |',
		'| --- | --- | --- | --- | --- | --- |',
		...rows.map((r) => `| ${r.setup} | ${r.calls} | ${s(r.wallMs)} | ${s(r.p50Ms)} | ${s(r.p95Ms)} | ${s(r.maxMs)} |`),
	].join('\n');
}

module.exports = { callWebhook, fireAtOnce, cloneRequests, checkAudio, percentile, latencyFigures, figuresTable };
