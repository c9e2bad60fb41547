'use strict';
// @ts-check
/**
 * Scenario 2, the full job: `cfg.fullItems` items, render 3 s, latency 50 ms, wait + download, our node at
 * its defaults (concurrency 5) against concurrency 1 (`--seq-reps` times; it takes minutes).
 */
const runner = require('../../n8n/n8n-runner');
const wf = require('../../n8n/workflows');
const { cloneItemsWorkflow, SEQ_NODE_NAME } = require('../shared/workflows');
const { check, alternate } = require('../shared/session');
const { summary, spread, sec, x } = require('../shared/stats');
const { table } = require('../shared/report');

/** @param {import('../shared/session').Bench} bench */
function workflows(bench) {
	return [
		cloneItemsWorkflow('b2Default', 'Bench 2 default', bench.cfg.fullItems, { waitForCompletion: true, options: {} }),
		cloneItemsWorkflow('b2Sequential', 'Bench 2 concurrency 1', bench.cfg.fullItems, { waitForCompletion: true, options: { concurrency: 1 } }, { name: SEQ_NODE_NAME }),
	];
}

/** @param {import('../shared/session').Bench} bench @returns {Promise<import('../shared/session').ScenarioResult>} */
async function run(bench) {
	const { sim, log } = bench;
	const n = bench.cfg.fullItems;
	const renderMs = 3000;
	const concurrency = 5;
	const ideal = Math.ceil(n / concurrency) * renderMs;
	/** @type {Record<'default' | 'sequential', { nodeMs: number[], wallMs: number[], maxJobsInFlight: number[] }>} */
	const raw = {
		default: { nodeMs: [], wallMs: [], maxJobsInFlight: [] },
		sequential: { nodeMs: [], wallMs: [], maxJobsInFlight: [] },
	};
	/** @type {(rep: number) => Array<'default' | 'sequential'>} */
	const variants = (rep) => (rep < bench.seqReps ? ['default', 'sequential'] : ['default']);
	await alternate(bench.reps, variants, async (variant, rep) => {
		bench.simulate({ renderMs, latencyMs: 50 });
		const id = variant === 'default' ? 'b2Default' : 'b2Sequential';
		const nodeName = variant === 'default' ? wf.NODE_NAME : SEQ_NODE_NAME;
		const r = await bench.execute(id, { timeoutMs: (n * 12 + 120) * 1000 });
		const out = runner.nodeOutput(r.run, nodeName);
		check(out.length === n, `${id}: ${out.length} items`);
		check(out.every((item) => item.json.status === 'complete' && item.binary && item.binary.data), `${id}: all complete with audio`);
		check(sim.stats().requests['GET /signed/download'] === n, `${id}: ${n} downloads`);
		raw[variant].nodeMs.push(r.nodeMs(nodeName));
		raw[variant].wallMs.push(r.wallMs);
		raw[variant].maxJobsInFlight.push(sim.stats().maxJobsInFlight);
		log(`2 ${variant} rep ${rep + 1}: node ${r.nodeMs(nodeName)} ms, wall ${r.wallMs} ms, max in flight ${sim.stats().maxJobsInFlight}`);
	});
	const def = { node: summary(raw.default.nodeMs), wall: summary(raw.default.wallMs) };
	const seq = { node: summary(raw.sequential.nodeMs), wall: summary(raw.sequential.wallMs) };
	const toIdeal = def.node.median / ideal;
	const speedup = seq.node.median / def.node.median;
	const seqIdeal = n * renderMs;
	const md = [
		`### 2. Full job: ${n} items, render ${renderMs / 1000} s, latency 50 ms (wait + download)`,
		'',
		...table(
			['variant', 'node time', 'wall time', 'ideal', 'node time / ideal', 'max jobs in flight'],
			[
				['ours, defaults (concurrency 5)', spread(def.node, sec), spread(def.wall, sec), sec(ideal), x(toIdeal), Math.max(...raw.default.maxJobsInFlight)],
				['ours, concurrency 1', spread(seq.node, sec), spread(seq.wall, sec), sec(seqIdeal), x(seq.node.median / seqIdeal), Math.max(...raw.sequential.maxJobsInFlight)],
			],
		),
		'',
		`Ideal = ceil(${n} / concurrency) × ${renderMs / 1000} s. Sequential / default (medians): **${x(speedup)}**. ` +
			`Repetitions: default ${def.node.n}, concurrency 1 ${seq.node.n}${seq.node.n === 1 ? ' (one run: it takes minutes)' : ''}.`,
		'',
	];
	return {
		raw: { items: n, renderMs, latencyMs: 50, idealMs: ideal, ...raw, toIdeal, speedup },
		markdown: md.join('\n'),
		targets: [
			{ target: `2. full ${n}: default node time ≤ 1.3× ideal (${sec(ideal)})`, measured: x(toIdeal), ok: toIdeal <= 1.3 },
			{ target: `2. full ${n}: ≥ 4× faster than concurrency 1`, measured: x(speedup), ok: speedup >= 4 },
		],
	};
}

module.exports = { workflows, run };
