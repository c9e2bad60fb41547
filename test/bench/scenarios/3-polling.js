'use strict';
// @ts-check
/**
 * Scenario 3, the polling cost.
 * - Fixed renders: `cfg.pollJobs` jobs per render time in `cfg.pollRendersMs`, one run each, real time; GETs of
 *   `/v1/audio-projects/:id` per job from the simulator's request log, and how long after the render ended the
 *   node saw `complete` (its last GET). All of them are first-round jobs: today's schedule.
 * - Batches as users run them (`cfg.pollBatches`): render times that grow with the prompt and vary ±30 % from
 *   job to job, each batch run by the package built from `--baseline` (today's schedule, shared/baseline.js) and
 *   by this tree (the learnt schedule), alternating, `cfg.pollBatchReps` times with one seed per repetition, so
 *   both builds get the same render for every item. For the jobs after the first round (all but the first
 *   `concurrency` created): *done → seen* (the first GET that answered `complete`, minus the end of the render)
 *   as median and 90th percentile, and GETs per job.
 */
const wf = require('../../n8n/workflows');
const { lines } = require('../../prose');
const { cloneItemsWorkflow, urlClone } = require('../shared/workflows');
const { treeLabel } = require('../shared/baseline');
const { check, alternate } = require('../shared/session');
const { summary, spread, sec, quantile, verdict } = require('../shared/stats');
const { table } = require('../shared/report');

/**
 * @typedef {object} PollBatch
 * @property {string} id the workflow's id
 * @property {string} name the renders, e.g. '5–40 s'
 * @property {number} items
 * @property {number} concurrency
 * @property {number} renderMs the simulator's render model: fixed part
 * @property {number} renderMsPerCharacter
 * @property {number} renderVariation
 * @property {number} shortest characters of the shortest prompt
 * @property {number} longest
 * @property {{ medianMs?: number, p90Ms?: number, noWorseThanToday?: boolean }} targets
 */

/** @type {PollBatch[]} */
const POLL_BATCHES = [
	{
		id: 'b3Short',
		name: '5–40 s',
		items: 25,
		concurrency: 5,
		renderMs: 3000,
		renderMsPerCharacter: 37,
		renderVariation: 0.3,
		shortest: 54,
		longest: 1000,
		targets: { medianMs: 1000, p90Ms: 2000 },
	},
	{
		id: 'b3Long',
		name: '60–120 s',
		items: 15,
		concurrency: 5,
		renderMs: 50_000,
		renderMsPerCharacter: 70,
		renderVariation: 0.3,
		shortest: 143,
		longest: 1000,
		targets: { noWorseThanToday: true },
	},
];

/** @param {import('../shared/session').Bench} bench */
function workflows(bench) {
	return [
		cloneItemsWorkflow('b3Poll', 'Bench 3 polling', bench.cfg.pollJobs, { waitForCompletion: true, options: {} }),
		...bench.cfg.pollBatches.map((batch) =>
			wf.chain(batch.id, `Bench 3 batch ${batch.name}`, [
				wf.manualTrigger(),
				wf.code('Items', `return ${JSON.stringify(lines(batch.items, batch.shortest, batch.longest))}.map((text, i) => ({ json: { text, name: 'Bench ' + (i + 1), audio: 'https://cdn.example.com/voices/voice-' + (i % 10) + '.mp3' } }));`),
				wf.voiceCloner({ ...urlClone, waitForCompletion: true, options: { concurrency: batch.concurrency, timeout: 900 } }),
			]),
		),
	];
}

/**
 * The jobs of the last run after its first round: how long after its render ended each was seen done, its GETs.
 * @param {import('../shared/session').Bench['sim']} sim @param {number} concurrency
 */
function laterJobs(sim, concurrency) {
	const gets = sim.requests().filter((request) => request.route === 'get');
	return sim
		.jobs()
		.sort((a, b) => a.createdAt - b.createdAt)
		.slice(concurrency)
		.map((job) => {
			const looks = gets.filter((request) => request.path === `/v1/audio-projects/${job.id}`);
			const seen = looks.find((look) => look.projectStatus === 'complete');
			check(seen, `job ${job.id} seen complete`);
			return { prompt: job.prompt, renderMs: job.doneAt - job.createdAt, lagMs: /** @type {{ at: number }} */ (seen).at - job.doneAt, looks: looks.length };
		});
}

/** @typedef {{ median: number, p90: number, looksPerJob: number, jobs: number, node: ReturnType<typeof summary> }} BatchFigures */

/**
 * One batch by both builds, alternating, `cfg.pollBatchReps` times (seed = repetition).
 * @param {import('../shared/session').Bench} bench @param {import('../shared/baseline').Baseline} before @param {PollBatch} batch
 */
async function runBatch(bench, before, batch) {
	const { sim, log, cfg } = bench;
	const variants = /** @type {const} */ (['today', 'learnt']);
	/** @type {Record<'today' | 'learnt', { lagMs: number[], looks: number[], nodeMs: number[] }>} */
	const raw = { today: { lagMs: [], looks: [], nodeMs: [] }, learnt: { lagMs: [], looks: [], nodeMs: [] } };
	/** @type {Map<string, number>[]} render time per prompt in each repetition: both builds must get the same */
	const renders = [];
	await alternate(cfg.pollBatchReps, variants, async (variant, rep) => {
		const { renderMs, renderMsPerCharacter, renderVariation } = batch;
		bench.simulate({ renderMs, renderMsPerCharacter, renderVariation, seed: rep + 1 });
		const r = await bench.execute(batch.id, { timeoutMs: 1_200_000, ...(variant === 'today' ? { inHome: before.home } : {}) });
		check(sim.jobs().length === batch.items && sim.jobs().every((job) => job.status === 'complete'), `${batch.id} ${variant}: ${batch.items} jobs complete`);
		const seen = (renders[rep] ??= new Map());
		for (const job of sim.jobs()) {
			const known = seen.get(job.prompt);
			check(known === undefined || known === job.doneAt - job.createdAt, `${batch.id}: the same render for the same item in both builds`);
			seen.set(job.prompt, job.doneAt - job.createdAt);
		}
		const jobs = laterJobs(sim, batch.concurrency);
		const row = raw[variant];
		row.lagMs.push(...jobs.map((job) => job.lagMs));
		row.looks.push(...jobs.map((job) => job.looks));
		row.nodeMs.push(r.nodeMs(wf.NODE_NAME));
		const lags = jobs.map((job) => job.lagMs);
		log(
			`3 ${batch.name} ${variant} rep ${rep + 1}: later jobs done → seen median ${sec(quantile(lags, 0.5))}, p90 ${sec(quantile(lags, 0.9))}, ` +
				`GETs/job ${mean(jobs.map((job) => job.looks)).toFixed(2)}, node ${r.nodeMs(wf.NODE_NAME)} ms`,
		);
		bench.dropStoredBinaries(variant === 'today' ? before.home : bench.home);
	});
	/** @param {{ lagMs: number[], looks: number[], nodeMs: number[] }} row @returns {BatchFigures} */
	const figures = (row) => ({
		median: quantile(row.lagMs, 0.5),
		p90: quantile(row.lagMs, 0.9),
		looksPerJob: mean(row.looks),
		jobs: row.looks.length,
		node: summary(row.nodeMs),
	});
	return { batch, raw, today: figures(raw.today), learnt: figures(raw.learnt) };
}

/** @param {number[]} values */
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * @param {import('../shared/session').Bench} bench @param {{ before: import('../shared/baseline').Baseline }} inputs
 * @returns {Promise<import('../shared/session').ScenarioResult>}
 */
async function run(bench, { before }) {
	const { sim, log, cfg } = bench;
	/** @type {Array<{ renderMs: number, getsPerJob: number[], lagMs: number[], nodeMs: number }>} */
	const raw = [];
	for (const renderMs of cfg.pollRendersMs) {
		bench.simulate({ renderMs, latencyMs: 0 });
		const r = await bench.execute('b3Poll', { timeoutMs: renderMs + 180_000 });
		const jobs = sim.jobs();
		check(jobs.length === cfg.pollJobs, `b3Poll: ${jobs.length} jobs`);
		const gets = sim.requests().filter((q) => q.route === 'get');
		const getsPerJob = jobs.map((job) => gets.filter((q) => q.path === `/v1/audio-projects/${job.id}`).length);
		// When the node saw "complete": its last GET of the job; the lag is that minus the render's end.
		const lagMs = jobs.map((job) => {
			const last = Math.max(...gets.filter((q) => q.path === `/v1/audio-projects/${job.id}`).map((q) => q.at));
			return last - (job.createdAt + renderMs);
		});
		check(getsPerJob.reduce((a, b) => a + b, 0) === gets.length, 'every GET belongs to a job');
		raw.push({ renderMs, getsPerJob, lagMs, nodeMs: r.nodeMs(wf.NODE_NAME) });
		log(`3 render ${renderMs} ms: GETs per job ${getsPerJob.join(', ')}; detection lag ${lagMs.join(', ')} ms`);
	}
	const md = [
		`### 3. Polling cost: GET /v1/audio-projects/:id per job (${cfg.pollJobs} jobs per render time, one run each, latency 0)`,
		'',
		...table(
			['render time', 'GETs per job', 'target ≤ render/3 s + 3', 'seen complete after render end', 'node time'],
			raw.map((row) => {
				const limit = row.renderMs / 3000 + 3;
				const g = summary(row.getsPerJob);
				return [`${row.renderMs / 1000} s`, spread(g, (v) => String(v)), `≤ ${limit.toFixed(1)} ${verdict(g.max <= limit)}`, spread(summary(row.lagMs), sec), sec(row.nodeMs)];
			}),
		),
		'',
		"Counted from the simulator's request log (`requests()`: route `get`, grouped by project id); the lag is the last GET of a job minus its creation time + render time.",
		'',
	];
	const targets = raw.map((row) => {
		const limit = row.renderMs / 3000 + 3;
		const worst = Math.max(...row.getsPerJob);
		return { target: `3. render ${row.renderMs / 1000} s: GETs/job ≤ ${limit.toFixed(1)}`, measured: String(worst), ok: worst <= limit };
	});

	const batches = [];
	for (const batch of cfg.pollBatches) batches.push(await runBatch(bench, before, batch));
	const labels = { today: `today's (${before.label})`, learnt: `learnt (${treeLabel()})` };
	md.push(
		`#### Batches as users run them: render times that grow with the prompt, ±30 % from job to job`,
		'',
		...table(
			['renders', 'schedule', 'jobs after the first round', 'done → seen, median', 'done → seen, p90', 'GETs per job', 'node time'],
			batches.flatMap(({ batch, today, learnt }) =>
				/** @type {const} */ (['today', 'learnt']).map((variant) => {
					const f = variant === 'today' ? today : learnt;
					return [batch.name, labels[variant], f.jobs, sec(f.median), sec(f.p90), f.looksPerJob.toFixed(2), spread(f.node, sec)];
				}),
			),
		),
		'',
		...batches.map(
			({ batch }) =>
				`${batch.name}: ${batch.items} items at Concurrency ${batch.concurrency}, prompts of ${batch.shortest} to ${batch.longest} characters, ` +
				`render ${batch.renderMs / 1000} s + ${batch.renderMsPerCharacter} ms per character, × a factor within ±${batch.renderVariation * 100} % (simulator render model); ` +
				`both builds alternating, ${cfg.pollBatchReps} repetition${cfg.pollBatchReps === 1 ? '' : 's'} each, seed = repetition, so both get the same render for every item.`,
		),
		'',
		'*Done → seen*: the first GET of a job that answered `complete` (request log `projectStatus`), minus the end of its render (`jobs()` `doneAt`); ' +
			'the jobs after the first round are all but the first `concurrency` created in each run; GETs per job counts every GET of those jobs. p90 by linear interpolation.',
		'',
	);
	for (const { batch, today, learnt } of batches) {
		const { medianMs, p90Ms, noWorseThanToday } = batch.targets;
		const fewerLooks = learnt.looksPerJob <= today.looksPerJob;
		const looks = `${learnt.looksPerJob.toFixed(2)} vs ${today.looksPerJob.toFixed(2)}`;
		if (medianMs !== undefined) targets.push({ target: `3. ${batch.name}: later jobs done → seen median ≤ ${sec(medianMs)}`, measured: `${sec(learnt.median)} (today's ${sec(today.median)})`, ok: learnt.median <= medianMs });
		if (p90Ms !== undefined) targets.push({ target: `3. ${batch.name}: later jobs done → seen p90 ≤ ${sec(p90Ms)}`, measured: `${sec(learnt.p90)} (today's ${sec(today.p90)})`, ok: learnt.p90 <= p90Ms });
		if (noWorseThanToday) targets.push({ target: `3. ${batch.name}: later jobs done → seen median no worse than today's`, measured: `${sec(learnt.median)} vs ${sec(today.median)}`, ok: learnt.median <= today.median });
		targets.push({ target: `3. ${batch.name}: GETs per job no more than today's`, measured: looks, ok: fewerLooks });
	}
	return {
		raw: { fixed: raw, batches: batches.map(({ batch, raw: runs, today, learnt }) => ({ batch, baseline: before.label, runs, today, learnt })) },
		markdown: md.join('\n'),
		targets,
	};
}

module.exports = { POLL_BATCHES, workflows, run };
