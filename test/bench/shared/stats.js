'use strict';
// @ts-check
/** Figures over repetitions, and how the benchmark tables print them: the median with (min–max). */

/** @param {number[]} values */
function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The `q` quantile (0 to 1) of `values`, interpolated linearly between the two nearest. @param {number[]} values @param {number} q */
function quantile(values, q) {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (sorted.length - 1) * q;
	const below = Math.floor(at);
	const above = Math.min(below + 1, sorted.length - 1);
	return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
}

/** @param {number[]} values */
function summary(values) {
	return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length, values };
}

/** @typedef {ReturnType<typeof summary>} Summary */

/**
 * `median (min–max)`, each formatted by `f`; a single value as `value (n=1)`, or as `one` formats it.
 * @param {{ median: number, min: number, max: number, n: number }} s @param {(v: number) => string} f
 * @param {(v: number) => string} [one]
 */
function spread(s, f, one = (v) => `${f(v)} (n=1)`) {
	return s.n > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : one(s.median);
}

const sec = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(2)} s`;
const msf = (/** @type {number} */ ms) => `${ms.toFixed(1)} ms`;
const mib = (/** @type {number} */ kb) => `${(kb / 1024).toFixed(0)} MiB`;
const x = (/** @type {number} */ r) => `${r.toFixed(2)}×`;
/** @param {boolean} ok */
const verdict = (ok) => (ok ? 'met' : '**missed**');

module.exports = { median, quantile, summary, spread, sec, msf, mib, x, verdict };
