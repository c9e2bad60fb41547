'use strict';
// @ts-check
/**
 * Scenario 7, long text: a 2,500-character script (3 parts), render 5 s, latency 50 ms, *Long Text* = *Split*
 * with wait + download + join, at Concurrency 5 (default) and 1, against one part alone; then memory, one run
 * each: a 10,000-character script (11 parts) with every result file `PART_MIB`, against one part of that size.
 */
const runner = require('../../n8n/n8n-runner');
const wf = require('../../n8n/workflows');
const { prose } = require('../../prose');
const { urlClone, SEQ_NODE_NAME } = require('../shared/workflows');
const { MIB, check, alternate } = require('../shared/session');
const { summary, spread, sec, mib, x } = require('../shared/stats');
const { table } = require('../shared/report');

const LONG_SCRIPT = prose(2500);
/** Size of every part's file in the memory run. */
const PART_MIB = 10;
/** The script up to its last sentence end within 1000 characters: the node's first part. */
const FIRST_PART = LONG_SCRIPT.slice(0, Math.max(...['. ', '! ', '? '].map((end) => LONG_SCRIPT.lastIndexOf(end, 999))) + 1);

/** @param {string} text */
function scriptCode(text) {
	return wf.code('Script', `return [{ json: { audio: 'https://cdn.example.com/voices/voice.mp3', text: ${JSON.stringify(text)} } }];`);
}

function workflows() {
	const script = (/** @type {number} */ concurrency) =>
		wf.voiceCloner(
			{ ...urlClone, name: 'Long script', waitForCompletion: true, options: { longText: 'split', concurrency } },
			{ name: concurrency === 1 ? SEQ_NODE_NAME : wf.NODE_NAME },
		);
	return [
		wf.chain('b7Split', 'Bench 7 long text, concurrency 5', [wf.manualTrigger(), scriptCode(LONG_SCRIPT), script(5)]),
		wf.chain('b7SplitSeq', 'Bench 7 long text, concurrency 1', [wf.manualTrigger(), scriptCode(LONG_SCRIPT), script(1)]),
		wf.chain('b7Memory', 'Bench 7 long text memory', [wf.manualTrigger(), scriptCode(prose(10000)), script(5)]),
		wf.chain('b7OnePart', 'Bench 7 one part', [
			wf.manualTrigger(),
			scriptCode(FIRST_PART),
			wf.voiceCloner({ ...urlClone, name: 'One part', waitForCompletion: true, options: {} }),
		]),
	];
}

/** @param {import('../shared/session').Bench} bench @returns {Promise<import('../shared/session').ScenarioResult>} */
async function run(bench) {
	const { sim, log } = bench;
	const renderMs = 5000;
	/** @type {Record<'split' | 'sequential' | 'onePart', { nodeMs: number[], wallMs: number[], maxJobsInFlight: number[] }>} */
	const raw = {
		split: { nodeMs: [], wallMs: [], maxJobsInFlight: [] },
		sequential: { nodeMs: [], wallMs: [], maxJobsInFlight: [] },
		onePart: { nodeMs: [], wallMs: [], maxJobsInFlight: [] },
	};
	const variants = /** @type {const} */ ({
		split: { id: 'b7Split', node: wf.NODE_NAME, jobs: 3 },
		sequential: { id: 'b7SplitSeq', node: SEQ_NODE_NAME, jobs: 3 },
		onePart: { id: 'b7OnePart', node: wf.NODE_NAME, jobs: 1 },
	});
	await alternate(bench.reps, /** @type {const} */ (['split', 'sequential', 'onePart']), async (variant, rep) => {
		const { id, node, jobs } = variants[variant];
		bench.simulate({ renderMs, latencyMs: 50 });
		const r = await bench.execute(id, { timeoutMs: 300_000 });
		const [item] = runner.nodeOutput(r.run, node);
		check(sim.stats().jobsCreated === jobs, `${id}: ${sim.stats().jobsCreated} jobs, expected ${jobs}`);
		check(item && item.binary && item.binary.data && item.json.status === 'complete', `${id}: complete with audio`);
		if (jobs > 1) {
			const prompts = item.json.parts.map((/** @type {{ id: string }} */ part) => sim.jobs().find((job) => job.id === part.id)?.prompt);
			check(prompts.join(' ') === LONG_SCRIPT, `${id}: the parts give back the script`);
		}
		raw[variant].nodeMs.push(r.nodeMs(node));
		raw[variant].wallMs.push(r.wallMs);
		raw[variant].maxJobsInFlight.push(sim.stats().maxJobsInFlight);
		log(`7 ${variant} rep ${rep + 1}: node ${r.nodeMs(node)} ms, wall ${r.wallMs} ms, max in flight ${sim.stats().maxJobsInFlight}`);
	});
	// Memory: a 10,000-character script (the default Max Characters) with every part's file at
	// PART_MIB, against one part of that size, which is streamed to n8n's binary store.
	/** @type {Record<'joined' | 'onePart', { hwmKb: number, parts: number }>} */
	const memory = { joined: { hwmKb: 0, parts: 0 }, onePart: { hwmKb: 0, parts: 1 } };
	for (const [variant, id] of /** @type {const} */ ([['onePart', 'b7OnePart'], ['joined', 'b7Memory']])) {
		bench.simulate({ renderMs: 500, latencyMs: 0, resultBytes: PART_MIB * MIB });
		const r = await bench.execute(id, { peak: true, timeoutMs: 300_000 });
		const [item] = runner.nodeOutput(r.run, wf.NODE_NAME);
		check(item && item.binary && item.binary.data, `${id}: audio in the output`);
		memory[variant] = { hwmKb: /** @type {NonNullable<typeof r.peak>} */ (r.peak).vmHwmKb, parts: sim.stats().jobsCreated };
		log(`7 memory ${variant}: VmHWM ${mib(memory[variant].hwmKb)}, ${memory[variant].parts} parts of ${PART_MIB} MiB`);
		bench.dropStoredBinaries();
	}
	const joinedMib = memory.joined.parts * PART_MIB;
	const growthKb = memory.joined.hwmKb - memory.onePart.hwmKb;

	const split = summary(raw.split.nodeMs);
	const sequential = summary(raw.sequential.nodeMs);
	const onePart = summary(raw.onePart.nodeMs);
	const toOnePart = split.median / onePart.median;
	const speedup = sequential.median / split.median;
	const row = (/** @type {string} */ label, /** @type {keyof typeof raw} */ key) => [
		label,
		spread(summary(raw[key].nodeMs), sec),
		spread(summary(raw[key].wallMs), sec),
		Math.max(...raw[key].maxJobsInFlight),
	];
	const md = [
		`### 7. Long text: a 2,500-character script (3 parts), render ${renderMs / 1000} s per job, latency 50 ms (wait + download + join)`,
		'',
		...table(
			['variant', 'node time', 'wall time', 'max jobs in flight'],
			[
				row('Long Text = Split, Concurrency 5 (default)', 'split'),
				row('Long Text = Split, Concurrency 1: the three parts one after another', 'sequential'),
				row(`one part alone (${[...FIRST_PART].length} characters, no split)`, 'onePart'),
			],
		),
		'',
		`Split at Concurrency 5 / one part alone (medians): **${x(toOnePart)}**; Concurrency 1 / Concurrency 5: **${x(speedup)}**. ` +
			'Every run checks 3 jobs whose prompts give back the script and a complete item with the joined audio.',
		'',
		`Memory (one run each, render 0.5 s, every result file ${PART_MIB} MiB): a 10,000-character script in ${memory.joined.parts} parts, joined into ${joinedMib} MiB, ` +
			`peak RSS ${mib(memory.joined.hwmKb)}; one part of ${PART_MIB} MiB (streamed to the binary store) ${mib(memory.onePart.hwmKb)}: ` +
			`**+${mib(growthKb)}**, ${(growthKb / 1024 / joinedMib).toFixed(2)} MiB per MiB of joined audio (the parts are held in memory to be joined).`,
		'',
	];
	return {
		raw: { renderMs, latencyMs: 50, characters: 2500, ...raw, toOnePart, speedup, memory: { partMib: PART_MIB, ...memory, growthKb } },
		markdown: md.join('\n'),
		targets: [
			{ target: '7. long text, Concurrency 5: node time ≤ 1.3× one part alone', measured: x(toOnePart), ok: toOnePart <= 1.3 },
			{ target: '7. long text: ≥ 2.5× faster than the parts one after another', measured: x(speedup), ok: speedup >= 2.5 },
		],
	};
}

module.exports = { workflows, run };
