'use strict';
// @ts-check
/**
 * Scenario 2, the full job: `cfg.fullItems` items, render 3 s, latency 50 ms, wait + download, our node at
 * Concurrency 5 (set, so that both builds run 5 at a time whatever their default), built from this tree and
 * from `--baseline` (today's poll schedule, shared/baseline.js), against concurrency 1 (this tree,
 * `--seq-reps` times; it takes minutes).
 */
const runner = require('../../n8n/n8n-runner');
const wf = require('../../n8n/workflows');
const { cloneItemsWorkflow, SEQ_NODE_NAME } = require('../shared/workflows');
const { check, alternate } = require('../shared/session');
const { treeLabel } = require('../shared/baseline');
const { summary, spread, sec, x } = require('../shared/stats');
const { table } = require('../shared/report');

/** @param {import('../shared/session').Bench} bench */
function workflows(bench) {
	return [
		cloneItemsWorkflow('b2Default', 'Bench 2 concurrency 5', bench.cfg.fullItems, { waitForCompletion: true, options: { concurrency: 5 } }),
		cloneItemsWorkflow('b2Sequential', 'Bench 2 concurrency 1', bench.cfg.fullItems, { waitForCompletion: true, options: { concurrency: 1 } }, { name: SEQ_NODE_NAME }),
	];
}

/** @typedef {'today' | 'default' | 'sequential'} Variant */

/**
 * @param {import('../shared/session').Bench} bench @param {{ before: import('../shared/baseline').Baseline }} inputs
 * @returns {Promise<import('../shared/session').ScenarioResult>}
 */
async function run(bench, { before }) {
	const { sim, log } = bench;
	const n = bench.cfg.fullItems;
	const renderMs = 3000;
	const concurrency = 5;
	const ideal = Math.ceil(n / concurrency) * renderMs;
	/** @type {Record<Variant, { nodeMs: number[], wallMs: number[], maxJobsInFlight: number[] }>} */
	const raw = {
		today: { nodeMs: [], wallMs: [], maxJobsInFlight: [] },
		default: { nodeMs: [], wallMs: [], maxJobsInFlight: [] },
		sequential: { nodeMs: [], wallMs: [], maxJobsInFlight: [] },
	};
	/** @type {(rep: number) => Variant[]} */
	const variants = (rep) => (rep < bench.seqReps ? ['today', 'default', 'sequential'] : ['today', 'default']);
	await alternate(bench.reps, variants, async (variant, rep) => {
		bench.simulate({ renderMs, latencyMs: 50 });
		const id = variant === 'sequential' ? 'b2Sequential' : 'b2Default';
		const nodeName = variant === 'sequential' ? SEQ_NODE_NAME : wf.NODE_NAME;
		const r = await bench.execute(id, { timeoutMs: (n * 12 + 120) * 1000, ...(variant === 'today' ? { inHome: before.home } : {}) });
		const out = runner.nodeOutput(r.run, nodeName);
		check(out.length === n, `${id} ${variant}: ${out.length} items`);
		check(out.every((item) => item.json.status === 'complete' && item.binary && item.binary.data), `${id} ${variant}: all complete with audio`);
		check(sim.stats().requests['GET /signed/download'] === n, `${id} ${variant}: ${n} downloads`);
		raw[variant].nodeMs.push(r.nodeMs(nodeName));
		raw[variant].wallMs.push(r.wallMs);
		raw[variant].maxJobsInFlight.push(sim.stats().maxJobsInFlight);
		log(`2 ${variant} rep ${rep + 1}: node ${r.nodeMs(nodeName)} ms, wall ${r.wallMs} ms, max in flight ${sim.stats().maxJobsInFlight}`);
		bench.dropStoredBinaries(variant === 'today' ? before.home : bench.home);
	});
	const [today, def, seq] = [raw.today, raw.default, raw.sequential].map((row) => ({ node: summary(row.nodeMs), wall: summary(row.wallMs) }));
	const toIdeal = def.node.median / ideal;
	const todayToIdeal = today.node.median / ideal;
	const speedup = seq.node.median / def.node.median;
	const seqIdeal = n * renderMs;
	const md = [
		`### 2. Full job: ${n} items, render ${renderMs / 1000} s, latency 50 ms (wait + download)`,
		'',
		...table(
			['variant', 'node time', 'wall time', 'ideal', 'node time / ideal', 'max jobs in flight'],
			[
				[`today's schedule (${before.label}), Concurrency 5`, spread(today.node, sec), spread(today.wall, sec), sec(ideal), x(todayToIdeal), Math.max(...raw.today.maxJobsInFlight)],
				[`learnt schedule (${treeLabel()}), Concurrency 5`, spread(def.node, sec), spread(def.wall, sec), sec(ideal), x(toIdeal), Math.max(...raw.default.maxJobsInFlight)],
				['learnt schedule, concurrency 1', spread(seq.node, sec), spread(seq.wall, sec), sec(seqIdeal), x(seq.node.median / seqIdeal), Math.max(...raw.sequential.maxJobsInFlight)],
			],
		),
		'',
		`Ideal = ceil(${n} / concurrency) × ${renderMs / 1000} s. Sequential / default (medians): **${x(speedup)}**. ` +
			`Learnt / today's schedule (medians): **${x(def.node.median / today.node.median)}**. ` +
			`Repetitions: defaults ${def.node.n} each, concurrency 1 ${seq.node.n}${seq.node.n === 1 ? ' (one run: it takes minutes)' : ''}.`,
		'',
	];
	return {
		raw: { items: n, renderMs, latencyMs: 50, idealMs: ideal, baseline: before.label, ...raw, toIdeal, todayToIdeal, speedup },
		markdown: md.join('\n'),
		targets: [
			{ target: `2. full ${n}: default node time ≤ 1.3× ideal (${sec(ideal)})`, measured: x(toIdeal), ok: toIdeal <= 1.3 },
			{ target: `2. full ${n}: ≥ 4× faster than concurrency 1`, measured: x(speedup), ok: speedup >= 4 },
			{
				target: `2. full ${n}: no slower than today's schedule (median node time ≤ today's + 2 % for the machine's noise)`,
				measured: `${x(toIdeal)} vs ${x(todayToIdeal)} ideal`,
				ok: def.node.median <= today.node.median * 1.02,
			},
		],
	};
}

module.exports = { workflows, run };
