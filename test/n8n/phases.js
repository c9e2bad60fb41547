'use strict';
// @ts-check
/**
 * The timed steps of a suite that runs real n8n: each step prints its duration as it ends, and `table()`
 * lists them all for the suite's closing report. Durations are printed, never asserted.
 *
 *   const { phase, say, table } = phaseLog('e2e');
 *   const home = await phase('install the tarball', () => runner.createN8nHome({ tarball }));
 *   afterAll(() => say(`phases:\n${table()}`));
 */

/** @param {string} tag the suite's name in front of every line, e.g. `e2e` */
function phaseLog(tag) {
	/** @type {Array<[string, number]>} */
	const phases = [];
	const say = (/** @type {string} */ message) => process.stdout.write(`[${tag}] ${message}\n`);
	return {
		say,
		/** @template T @param {string} name @param {() => Promise<T>} work @returns {Promise<T>} */
		async phase(name, work) {
			const started = Date.now();
			try {
				return await work();
			} finally {
				const seconds = (Date.now() - started) / 1000;
				phases.push([name, seconds]);
				say(`${name}: ${seconds.toFixed(1)} s`);
			}
		},
		/** One line per step so far: its duration and its name. */
		table: () => phases.map(([name, seconds]) => `  ${seconds.toFixed(1).padStart(6)} s  ${name}`).join('\n'),
	};
}

module.exports = { phaseLog };
