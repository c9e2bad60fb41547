// @ts-check
'use strict';

/**
 * The time the simulator follows: `now()` and the timers of every wait it makes (a job's queue delay and
 * render, the webhook answer deadline and retry pauses, `latencyMs`, the `slow` and `slow-drip` faults).
 * The real clock is the default (the CLI, `npm run dev`, the real-n8n suites and the soak run on it);
 * `ManualClock` is the one unit tests pass, so that a 10 s deadline or a day of retries passes at once,
 * when the test moves it, and never by itself while a machine is slow. Engine tests pass the node's test
 * clock (test/clock.ts `simulatorClock()`), which the node's own waits move.
 */

/**
 * @typedef {object} Clock
 * @property {() => number} now the time in ms (Date.now's scale)
 * @property {(run: () => void, ms: number) => unknown} setTimeout a timer: runs `run` once `ms` have passed
 *   (a render that ends, an answer deadline); returns the timer for `clearTimeout`
 * @property {(timer: unknown) => void} clearTimeout clears a timer or a wait
 * @property {(run: () => void, ms: number) => unknown} [setWait] a wait the simulator's own work is held by
 *   (`latencyMs`, the slow faults, a webhook retry pause): a clock that skips waits as they come (the node's
 *   test clock) skips it; without it, `setTimeout`
 */

/**
 * The wall clock. Its timers do not keep the process alive.
 * @type {Clock}
 */
const realClock = {
	now: () => Date.now(),
	setTimeout(run, ms) {
		const timer = setTimeout(run, ms);
		timer.unref();
		return timer;
	},
	clearTimeout: (timer) => clearTimeout(/** @type {NodeJS.Timeout} */ (timer)),
};

/**
 * The `clock` option as given: a clock with only `now()` keeps real timers (what it sets then ends by real
 * time; job status still follows `now()` whenever it is read).
 * @param {Partial<Clock> | undefined} clock
 * @returns {Clock}
 */
function clockOf(clock) {
	if (!clock) return realClock;
	if (clock.setTimeout && clock.clearTimeout) return /** @type {Clock} */ (clock); // setWait: optional
	const given = /** @type {Pick<Clock, 'now'>} */ (clock);
	return { ...realClock, now: () => given.now() };
}

/**
 * @typedef {object} ManualTimer
 * @property {number} due
 * @property {number} order
 * @property {() => void} run
 */

/** Lets every callback already due (I/O, promises) run once before the clock moves on. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock that moves only when the test moves it: `advance(ms)` or `next()`. A timer runs when the clock
 * reaches its due time, in due order (those due at the same time in the order they were set), and each gets
 * a turn of the event loop before the next, so that the request it starts is on its way. Requests and
 * answers themselves take no time on it: a deadline passes only when the test moves the clock past it.
 */
class ManualClock {
	/** @param {number} [start] the time it shows at first (default: the wall clock's now) */
	constructor(start = Date.now()) {
		/** @private */ this.time = start;
		/** @private @type {ManualTimer[]} */ this.timers = [];
		/** @private */ this.count = 0;
	}

	now() {
		return this.time;
	}

	/** @param {() => void} run @param {number} ms @returns {ManualTimer} */
	setTimeout(run, ms) {
		const timer = { due: this.time + Math.max(0, Number(ms) || 0), order: this.count++, run };
		this.timers.push(timer);
		return timer;
	}

	/** @param {unknown} timer */
	clearTimeout(timer) {
		const index = this.timers.indexOf(/** @type {ManualTimer} */ (timer));
		if (index >= 0) this.timers.splice(index, 1);
	}

	/**
	 * A wait on this clock (for a test's own receiver that answers late, say).
	 * @param {number} ms
	 * @returns {Promise<void>}
	 */
	sleep(ms) {
		return new Promise((resolve) => this.setTimeout(resolve, ms));
	}

	/** How long until each pending timer is due, soonest first. */
	pending() {
		return this.timers.map((timer) => timer.due - this.time).sort((a, b) => a - b);
	}

	/**
	 * Moves the clock `ms` forward, running every timer due on the way at its own time, those set meanwhile
	 * included.
	 * @param {number} ms
	 */
	async advance(ms) {
		const end = this.time + Math.max(0, ms);
		await turn();
		for (let timer = this.first(end); timer; timer = this.first(end)) {
			this.timers.splice(this.timers.indexOf(timer), 1);
			this.time = Math.max(this.time, timer.due);
			timer.run();
			await turn();
		}
		this.time = end;
	}

	/**
	 * Moves the clock to the next timer due and runs it, and every other due then. Resolves how far the clock
	 * moved, or undefined when no timer is pending (the clock stays).
	 * @returns {Promise<number | undefined>}
	 */
	async next() {
		await turn();
		const timer = this.first(Infinity);
		if (!timer) return undefined;
		const moved = Math.max(0, timer.due - this.time);
		await this.advance(moved);
		return moved;
	}

	/**
	 * The pending timer due first, if due by `end`.
	 * @private
	 * @param {number} end
	 */
	first(end) {
		/** @type {ManualTimer | undefined} */
		let first;
		for (const timer of this.timers) {
			if (timer.due <= end && (!first || timer.due < first.due || (timer.due === first.due && timer.order < first.order))) first = timer;
		}
		return first;
	}
}

module.exports = { realClock, clockOf, ManualClock };
