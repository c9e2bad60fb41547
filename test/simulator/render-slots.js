// @ts-check
'use strict';

/**
 * Render slots (`renderSlots`): how many of the account's jobs Magic Hour renders at once. A job made
 * while every slot is taken stays `queued` until one frees, first come first served, after its own queue
 * delay; without `renderSlots` every job renders at once. A job's start is fixed when it is made, from the
 * jobs made before it (replayed in order, each into the slot that freed first), so `queueMs` in `jobs()`
 * includes the wait for a slot.
 */

/** @typedef {import('./state').State} State */

/**
 * The queue time of a job made `now` whose own queue delay and render time are `times`.
 * @param {State} state @param {number} now @param {{ queueMs: number, renderMs: number }} times
 * @returns {number}
 */
function queueForSlot(state, now, times) {
	const slots = state.opts.renderSlots;
	if (!slots) return times.queueMs;
	/** @type {number[]} when each slot's last job ends */
	const freeAt = [];
	for (const job of state.jobs.values()) {
		const end = job.createdAt + job.queueMs + job.renderMs;
		if (freeAt.length < slots) freeAt.push(end);
		else freeAt[freeAt.indexOf(Math.min(...freeAt))] = end;
	}
	const ready = now + times.queueMs;
	const start = freeAt.length < slots ? ready : Math.max(ready, Math.min(...freeAt));
	return start - now;
}

module.exports = { queueForSlot };
