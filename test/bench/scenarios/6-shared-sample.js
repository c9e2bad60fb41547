'use strict';
// @ts-check
/**
 * Scenario 6, one voice, many lines: `cfg.sharedItems` items carrying the same binary sample of
 * `cfg.sharedMiB` MiB, cloned (Wait off) by the package built from `--baseline` ("before", shared/baseline.js)
 * and by this tree ("after"), alternating, in two homes against the same simulator.
 */
const fs = require('node:fs');

const runner = require('../../n8n/n8n-runner');
const wf = require('../../n8n/workflows');
const { readFileNode } = require('../shared/workflows');
const { treeLabel } = require('../shared/baseline');
const { MIB, check, alternate } = require('../shared/session');
const { median, summary, spread, sec, x } = require('../shared/stats');
const { table } = require('../shared/report');

/**
 * Read one sample → `sharedItems` lines that all carry its binary → ours (binary sample, wait off).
 * @param {{ cfg: { sharedItems: number } }} bench @param {string} file
 */
function sharedSampleWorkflow(bench, file) {
	return wf.chain('b6Shared', 'Bench 6 one sample, many lines', [
		wf.manualTrigger(),
		readFileNode(file),
		wf.code(
			'Lines',
			`const voice = $('Read Sample').first().binary;\nreturn Array.from({ length: ${bench.cfg.sharedItems} }, (_, i) => ({ json: { text: 'Line number ' + (i + 1) + ' in the shared voice.' }, binary: voice }));`,
		),
		wf.voiceCloner({ operation: 'clone', audioSource: 'binary', binaryPropertyName: 'data', prompt: '={{ $json.text }}', waitForCompletion: false }),
	]);
}

/** @param {import('../shared/session').Bench} bench @param {Record<number | 'shared', string>} files */
function workflows(bench, files) {
	return [sharedSampleWorkflow(bench, files.shared)];
}

/**
 * @param {import('../shared/session').Bench} bench
 * @param {{ files: Record<number | 'shared', string>, before: import('../shared/baseline').Baseline }} inputs
 * @returns {Promise<import('../shared/session').ScenarioResult>}
 */
async function run(bench, { files, before }) {
	const { sim, log, home } = bench;
	const n = bench.cfg.sharedItems;
	const sampleBytes = fs.statSync(files.shared).size;
	const variants = /** @type {const} */ (['before', 'after']);
	/** @type {Record<'before' | 'after', { uploadUrls: number[], puts: number[], bytes: number[], nodeMs: number[], wallMs: number[] }>} */
	const raw = {
		before: { uploadUrls: [], puts: [], bytes: [], nodeMs: [], wallMs: [] },
		after: { uploadUrls: [], puts: [], bytes: [], nodeMs: [], wallMs: [] },
	};
	await alternate(bench.reps, variants, async (variant, rep) => {
		bench.simulate({ latencyMs: 0 });
		const target = variant === 'before' ? before.home : home;
		const r = await bench.execute('b6Shared', { inHome: target, timeoutMs: 300_000 });
		const out = runner.nodeOutput(r.run, wf.NODE_NAME);
		const stats = sim.stats();
		check(out.length === n && out.every((item) => typeof item.json.id === 'string'), `b6Shared ${variant}: ${n} items with a job id`);
		check(stats.jobsCreated === n, `b6Shared ${variant}: ${stats.jobsCreated} jobs, expected ${n}`);
		check(stats.authOnSignedUrls === 0, `b6Shared ${variant}: no token on signed URLs`);
		const row = raw[variant];
		row.uploadUrls.push(stats.requests['POST /v1/files/upload-urls'] ?? 0);
		row.puts.push(stats.requests['PUT /signed/upload'] ?? 0);
		row.bytes.push(stats.uploadsBytes);
		row.nodeMs.push(r.nodeMs(wf.NODE_NAME));
		row.wallMs.push(r.wallMs);
		log(
			`6 ${variant} rep ${rep + 1}: ${row.uploadUrls.at(-1)} upload URLs, ${row.puts.at(-1)} PUTs, ` +
				`${row.bytes.at(-1)} bytes, node ${r.nodeMs(wf.NODE_NAME)} ms, wall ${r.wallMs} ms`,
		);
		bench.dropStoredBinaries(target);
	});
	const mb = (/** @type {number} */ bytes) => `${(bytes / MIB).toFixed(1)} MiB`;
	/** Counts are the same every run when the code is right: then one number, else the spread. */
	const count = (/** @type {number[]} */ values, /** @type {(v: number) => string} */ f = String) =>
		values.every((v) => v === values[0]) ? `${f(values[0])} every run` : spread(summary(values), f);
	const rows = variants.map((variant) => {
		const row = raw[variant];
		const label = variant === 'before' ? `before: ${before.label}` : `after: ${treeLabel()}`;
		return [label, count(row.uploadUrls), count(row.puts), count(row.bytes, mb), spread(summary(row.nodeMs), sec), spread(summary(row.wallMs), sec)];
	});
	const speedup = median(raw.before.nodeMs) / median(raw.after.nodeMs);
	const md = [
		`### 6. One voice, many lines: ${n} items sharing one ${bench.cfg.sharedMiB} MiB binary sample (wait off, concurrency 5, latency 0 ms)`,
		'',
		...table(['variant', 'upload-URL requests', 'PUTs', 'bytes uploaded', 'node time', 'wall time'], rows),
		'',
		`Read/Write Files from Disk → Code node giving each of the ${n} lines the file's binary (same binary id) → ours. ` +
			`Counted by the simulator; both variants made ${n} jobs each run. Node time before / after (medians): **${x(speedup)}**.`,
		'',
	];
	const after = raw.after;
	return {
		raw: { items: n, sampleBytes, beforeLabel: before.label, ...raw, speedup },
		markdown: md.join('\n'),
		targets: [
			{
				target: `6. ${n} items, one sample: 1 upload-URL request and ${mb(sampleBytes)} uploaded`,
				measured: `${Math.max(...after.uploadUrls)} / ${mb(Math.max(...after.bytes))}`,
				ok: after.uploadUrls.every((v) => v === 1) && after.bytes.every((v) => v === sampleBytes),
			},
		],
	};
}

module.exports = { workflows, run };
