'use strict';
// @ts-check
/** How the benchmarks report: progress lines on stderr, markdown tables on stdout. */

/**
 * Progress on stderr as `[<name> <seconds since started>s] <message>`.
 * @param {string} name @param {number} started
 */
function progressLog(name, started) {
	return (/** @type {string} */ msg) => {
		process.stderr.write(`[${name} ${((Date.now() - started) / 1000).toFixed(0).padStart(5)}s] ${msg}\n`);
	};
}

/** @param {Array<string | number>} cells */
const tableRow = (cells) => `| ${cells.join(' | ')} |`;

/**
 * The lines of a markdown table: the header, its rule, one line per row of cells.
 * @param {string[]} header @param {Array<Array<string | number>>} rows
 */
function table(header, rows) {
	return [tableRow(header), tableRow(header.map(() => '---')), ...rows.map(tableRow)];
}

module.exports = { progressLog, table, tableRow };
