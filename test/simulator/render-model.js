// @ts-check
'use strict';

/**
 * How long a new job takes: its time in the queue, then its render. The render time grows with the prompt,
 * `renderMs + renderMsPerCharacter × code points`, times a factor drawn within ±`renderVariation`; the queue
 * delay is drawn between 0 and `queueMs`. Both draws are seeded by `seed`, the prompt and how many jobs of
 * that prompt came before it since the last reset, so that the same items get the same times in two runs
 * (whatever order their creates arrive in) without touching the fault PRNG. `renderMs` alone: every job
 * takes exactly `renderMs`, with no queue delay.
 */

const crypto = require('crypto');
const { mulberry32 } = require('./faults');

/** @typedef {import('./state').State} State */

/**
 * The seeded draws of one job: two numbers in [0, 1).
 * @param {number} seed @param {string} prompt @param {number} occurrence
 */
function draws(seed, prompt, occurrence) {
	const digest = crypto.createHash('sha256').update(`${seed}\u0000${occurrence}\u0000${prompt}`).digest();
	const next = mulberry32(digest.readUInt32LE(0));
	return { render: next(), queue: next() };
}

/**
 * The queue delay and render time (ms) of a new job with this prompt; counts the prompt's occurrence.
 * @param {State} state @param {string} prompt @param {number} codePoints
 * @returns {{ queueMs: number, renderMs: number }}
 */
function jobTimes(state, prompt, codePoints) {
	const { renderMs, renderMsPerCharacter, renderVariation, queueMs, seed } = state.opts;
	const occurrence = state.promptCounts.get(prompt) ?? 0;
	state.promptCounts.set(prompt, occurrence + 1);
	const nominal = renderMs + renderMsPerCharacter * codePoints;
	if (renderVariation === 0 && queueMs === 0) return { queueMs: 0, renderMs: nominal };
	const drawn = draws(seed, prompt, occurrence);
	return {
		queueMs: Math.round(queueMs * drawn.queue),
		renderMs: Math.round(nominal * (1 + renderVariation * (2 * drawn.render - 1))),
	};
}

module.exports = { jobTimes };
