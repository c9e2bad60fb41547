'use strict';
// @ts-check
/**
 * Scenario 8, width: how many jobs at work at once, automatic (Concurrency not set) against fixed numbers, at
 * three account limits (the simulator's request rate: none, generous, tight). Three parts, each optional
 * (`--width-parts`):
 * - `matrix`: for each size in `--width-sizes` (60,200) and limit in `--width-limits`, renders of 5–20 s (the
 *   simulator's render model: 12.5 s ± 60 %, seeded, so every run gets the same render for every item), latency
 *   50 ms: automatic, then a coarse sweep of fixed Concurrency (5, `--width-sweep`, all items at once), largest
 *   first when automatic met no 429 (the limit does not hold the run: more at once is faster), else 5 first;
 *   a number slower than 1.5× the best so far ends the sweep (5 always runs), and a run is stopped once it
 *   takes 1.5× the best so far plus 30 s (counted as slower than that); then automatic again; with
 *   `--width-refine`, the geometric middles around the best fixed number (half of it when it is the
 *   smallest tried); then the best fixed number and automatic once more for every further repetition
 *   (`--width-reps`), alternating.
 * - `claims`: 60 renders of exactly 5 s, automatic against Concurrency 5, alternating `--width-claim-reps`
 *   times, at the generous limit (automatic ≥ 2.5× faster) and at the tight one (automatic no slower within
 *   10 %, its 429s ≤ 15 % of its requests).
 * - `memory`: peak RSS at the ceilings of automatic: 200 single clones whose files are 2 MiB, all rendering
 *   3 s, so that up to 200 downloads run at once; 10 long texts of 10,000 characters (110 parts, ceiling 50);
 *   each against Concurrency 5.
 * Every run: time from the first create to the end of the last download (the simulator's request log), 429s as
 * a share of the API requests, answered looks (GETs of a project) per job, peak RSS of the `n8n execute`
 * process; checks every item complete with its audio and one job per item (one create each).
 */
const runner = require('../../n8n/n8n-runner');
const wf = require('../../n8n/workflows');
const { prose } = require('../../prose');
const { cloneItemsWorkflow, urlClone } = require('../shared/workflows');
const { MIB, check } = require('../shared/session');
const { summary, spread, sec, mib, x } = require('../shared/stats');
const { table } = require('../shared/report');

/** The account limits compared: the simulator's `rateLimit`. */
const LIMITS = /** @type {const} */ ({
	none: { label: 'none', rateLimit: null },
	generous: { label: 'generous (20 requests/s)', rateLimit: { perSecond: 20, burst: 20 } },
	tight: { label: 'tight (3 requests/s)', rateLimit: { perSecond: 3, burst: 3 } },
});
/** @typedef {keyof typeof LIMITS} LimitName */

/** Renders of 5 to 20 s: 12.5 s ± 60 %, drawn per item. */
const VARIED_RENDERS = { renderMs: 12_500, renderVariation: 0.6 };
const LATENCY_MS = 50;
/** The sweep stops at a fixed number this much slower than the best so far. */
const SWEEP_STOP = 1.5;
const LONG_TEXTS = 10;
const LONG_CHARACTERS = 10_000;
const MEMORY_RESULT_MIB = 2;

/** @typedef {number | 'auto'} Width */
/** @param {number} size @param {Width} width */
const workflowId = (size, width) => `b8s${size}${width === 'auto' ? 'auto' : `c${width}`}`;
/** @param {Width} width */
const options = (width) => (width === 'auto' ? {} : { concurrency: width });
/** @param {number} size @param {Width} width */
const itemsWorkflow = (size, width) =>
	cloneItemsWorkflow(workflowId(size, width), `Bench 8 ${size} items, ${width === 'auto' ? 'automatic' : `Concurrency ${width}`}`, size, {
		waitForCompletion: true,
		options: options(width),
	});
/** @param {Width} width */
const longId = (width) => `b8long${width === 'auto' ? 'Auto' : `C${width}`}`;
/** @param {Width} width */
function longTextsWorkflow(width) {
	const items = wf.code(
		'Scripts',
		`return Array.from({ length: ${LONG_TEXTS} }, (_, i) => ({ json: { audio: 'https://cdn.example.com/voices/voice.mp3', name: 'Script ' + (i + 1), text: ${JSON.stringify(prose(LONG_CHARACTERS - 4))} + ' ' + String(i).padStart(2, '0') + '.' } }));`,
	);
	return wf.chain(longId(width), `Bench 8 long texts, ${width === 'auto' ? 'automatic' : `Concurrency ${width}`}`, [
		wf.manualTrigger(),
		items,
		wf.voiceCloner({ ...urlClone, waitForCompletion: true, options: { ...options(width), longText: 'split' } }),
	]);
}

/**
 * The coarse sweep for `size` items, smallest first: 5 (the default of a Concurrency added in the panel), the
 * values of `--width-sweep` below `size`, and all items at once.
 * @param {number[]} sweep @param {number} size
 */
const coarse = (sweep, size) => [...new Set([5, ...sweep.filter((width) => width < size), size])].sort((a, b) => a - b);
/** Sweep time beyond 1.5× the best so far, for the boot of `n8n execute`. */
const STOP_SLACK_MS = 30_000;

/** @param {import('../shared/session').Bench} bench */
function workflows(bench) {
	const { sizes, sweep, parts } = bench.cfg.width;
	const list = [];
	const wanted = new Set();
	if (parts.includes('matrix')) for (const size of sizes) for (const width of ['auto', ...coarse(sweep, size)]) wanted.add(`${size}:${width}`);
	if (parts.includes('claims')) ['auto', 5].forEach((width) => wanted.add(`60:${width}`));
	if (parts.includes('memory')) ['auto', 5].forEach((width) => wanted.add(`200:${width}`));
	for (const key of wanted) {
		const [size, width] = key.split(':');
		list.push(itemsWorkflow(Number(size), width === 'auto' ? 'auto' : Number(width)));
	}
	if (parts.includes('memory')) list.push(longTextsWorkflow('auto'), longTextsWorkflow(5));
	return list;
}

/**
 * @typedef {object} Measured one run
 * @property {number} timeMs first create to the end of the last download
 * @property {number} nodeMs
 * @property {number} requests API requests (creates, looks, …), 429s included
 * @property {number} limited of which answered 429
 * @property {number} looksPerJob answered GETs of a project per job
 * @property {number} maxJobsInFlight
 * @property {number} peakKb VmHWM of the `n8n execute` process
 * @property {boolean} [stopped] stopped at the sweep's time limit (`timeMs`): slower than that
 */

/**
 * Runs `id` against the simulator as it is set and measures it: `items` items, one job each (`parts`: long
 * texts, one job per part).
 * `limitMs`: the run is stopped after that long (whole `n8n execute`) and counted as slower.
 * @param {import('../shared/session').Bench} bench @param {string} id @param {number} items @param {boolean} [parts] @param {number} [limitMs]
 * @returns {Promise<Measured>}
 */
async function measure(bench, id, items, parts = false, limitMs = 60 * 60 * 1000) {
	const { sim } = bench;
	let r;
	try {
		r = await bench.execute(id, { peak: true, timeoutMs: limitMs });
	} catch (error) {
		if (!/timed out/.test(String(error))) throw error;
		bench.dropStoredBinaries();
		return { timeMs: limitMs, nodeMs: limitMs, requests: 0, limited: 0, looksPerJob: 0, maxJobsInFlight: sim.stats().maxJobsInFlight, peakKb: 0, stopped: true };
	}
	const out = runner.nodeOutput(r.run, wf.NODE_NAME);
	check(out.length === items, `${id}: ${out.length} items, expected ${items}`);
	check(out.every((item) => item.json.status === 'complete' && item.binary && item.binary.data), `${id}: every item complete with its audio`);
	const jobs = sim.jobs();
	check(parts ? jobs.length > items : jobs.length === items, `${id}: ${jobs.length} jobs for ${items} items`);
	check(new Set(jobs.map((job) => job.name)).size === jobs.length, `${id}: one job per item or part (one create each)`);
	const log = sim.requests();
	const api = log.filter((request) => request.origin === 'main' && request.path.startsWith('/v1/'));
	const creates = log.filter((request) => request.route === 'create');
	const downloads = log.filter((request) => request.route === 'download' && request.status === 200);
	check(downloads.length === jobs.length, `${id}: ${downloads.length} downloads`);
	const firstCreate = Math.min(...creates.map((request) => request.at));
	const lastDownload = Math.max(...downloads.map((request) => request.endedAt ?? request.at));
	bench.dropStoredBinaries();
	return {
		timeMs: lastDownload - firstCreate,
		nodeMs: r.nodeMs(wf.NODE_NAME),
		requests: api.length,
		limited: api.filter((request) => request.status === 429).length,
		looksPerJob: log.filter((request) => request.route === 'get' && request.status === 200).length / jobs.length,
		maxJobsInFlight: sim.stats().maxJobsInFlight,
		peakKb: /** @type {NonNullable<typeof r.peak>} */ (r.peak).vmHwmKb,
	};
}

/** @param {Measured[]} runs */
function pooled(runs) {
	const requests = runs.reduce((sum, run) => sum + run.requests, 0);
	const limited = runs.reduce((sum, run) => sum + run.limited, 0);
	return {
		n: runs.length,
		time: summary(runs.map((run) => run.timeMs)),
		share: requests ? limited / requests : 0,
		worstShare: Math.max(...runs.map((run) => (run.requests ? run.limited / run.requests : 0))),
		looksPerJob: runs.reduce((sum, run) => sum + run.looksPerJob, 0) / runs.length,
		peakKb: Math.max(...runs.map((run) => run.peakKb)),
		maxJobsInFlight: Math.max(...runs.map((run) => run.maxJobsInFlight)),
	};
}

const pct = (/** @type {number} */ share) => `${(100 * share).toFixed(1)} %`;

/**
 * The matrix for one size and one limit (see the top of this file).
 * @param {import('../shared/session').Bench} bench @param {number} size @param {LimitName} limit
 */
async function matrixCell(bench, size, limit) {
	const { log, cfg } = bench;
	const { sweep, reps, refine } = cfg.width;
	/** @type {Map<Width, Measured[]>} */
	const runs = new Map();
	const imported = new Set([...coarse(sweep, size), /** @type {Width} */ ('auto')].map((width) => workflowId(size, width)));
	/** @param {Width} width @param {number} [limitMs] */
	const once = async (width, limitMs) => {
		const id = workflowId(size, width);
		if (!imported.has(id)) {
			await runner.importWorkflows(bench.home, [itemsWorkflow(size, width)]);
			imported.add(id);
		}
		bench.simulate({ ...VARIED_RENDERS, latencyMs: LATENCY_MS, seed: 1, rateLimit: LIMITS[limit].rateLimit });
		const run = await measure(bench, id, size, false, limitMs);
		runs.set(width, [...(runs.get(width) ?? []), run]);
		log(
			`8 ${size} items, ${limit}, ${width}: ${run.stopped ? `stopped after ${sec(run.timeMs)}` : sec(run.timeMs)}, 429 ${run.limited}/${run.requests}, ` +
				`looks/job ${run.looksPerJob.toFixed(2)}, peak ${mib(run.peakKb)}, max in flight ${run.maxJobsInFlight}`,
		);
		return run;
	};
	const medianOf = (/** @type {Width} */ width) => summary((runs.get(width) ?? []).map((run) => run.timeMs)).median;
	const fixed = () => /** @type {number[]} */ ([...runs.keys()].filter((width) => width !== 'auto' && !runs.get(width)?.some((run) => run.stopped)));
	const bestFixed = () => fixed().sort((a, b) => medianOf(a) - medianOf(b))[0];

	await once('auto');
	/** How long a fixed number may take: past 1.5× the best so far it is no candidate, and ends the sweep. */
	const limitMs = () => (bestFixed() === undefined ? undefined : SWEEP_STOP * medianOf(bestFixed()) + STOP_SLACK_MS);
	// Where the limit does not hold the run, the most at once is fastest: largest first. Else from 5 up. Either
	// way, once a number is far slower than the best, the ones beyond it are slower still; 5 always runs in full.
	const limited = runs.get('auto')?.some((run) => run.limited > 0) ?? true;
	const order = limited ? coarse(sweep, size) : coarse(sweep, size).reverse();
	let ended = false;
	for (const width of order) {
		if (ended && width !== 5) continue;
		const measured = await once(width, width === 5 ? undefined : limitMs());
		if (measured.stopped || measured.timeMs > SWEEP_STOP * medianOf(bestFixed())) ended = true;
	}
	await once('auto');
	if (refine) {
		const tried = /** @type {number[]} */ ([...runs.keys()].filter((width) => width !== 'auto')).sort((a, b) => a - b);
		const best = bestFixed();
		const at = tried.indexOf(best);
		const middle = (/** @type {number | undefined} */ neighbour) => (neighbour === undefined ? undefined : Math.round(Math.sqrt(best * neighbour)));
		for (const width of [at > 0 ? middle(tried[at - 1]) : Math.round(best / 2), middle(tried[at + 1])]) {
			if (width !== undefined && width >= 1 && !runs.has(width) && width !== best) await once(width, limitMs());
		}
	}
	for (let rep = 1; rep < reps; rep++) {
		await once(bestFixed());
		await once('auto');
	}
	const fixedBest = bestFixed();
	return {
		size,
		limit,
		best: fixedBest,
		sweep: Object.fromEntries([...runs].map(([width, measured]) => [String(width), measured])),
		auto: pooled(/** @type {Measured[]} */ (runs.get('auto'))),
		five: pooled(/** @type {Measured[]} */ (runs.get(5))),
		bestFixed: pooled(/** @type {Measured[]} */ (runs.get(fixedBest))),
	};
}

/**
 * Automatic against Concurrency 5 for 60 renders of exactly 5 s at `limit`, alternating.
 * @param {import('../shared/session').Bench} bench @param {LimitName} limit
 */
async function claim(bench, limit) {
	/** @type {Record<Width, Measured[]>} */
	const runs = { auto: [], 5: [] };
	for (let rep = 0; rep < bench.cfg.width.claimReps; rep++) {
		for (const width of /** @type {Width[]} */ (rep % 2 ? [5, 'auto'] : ['auto', 5])) {
			bench.simulate({ renderMs: 5000, latencyMs: LATENCY_MS, seed: 1, rateLimit: LIMITS[limit].rateLimit });
			const run = await measure(bench, workflowId(60, width), 60);
			runs[width].push(run);
			bench.log(`8 claim ${limit}, ${width}: ${sec(run.timeMs)}, 429 ${run.limited}/${run.requests}, looks/job ${run.looksPerJob.toFixed(2)}`);
		}
	}
	return { limit, auto: pooled(runs.auto), five: pooled(runs[5]), runs };
}

/**
 * Peak RSS at the ceilings of automatic, against Concurrency 5.
 * @param {import('../shared/session').Bench} bench
 */
async function memory(bench) {
	/** @type {Record<string, Measured>} */
	const result = {};
	let longParts = 0;
	for (const width of /** @type {Width[]} */ (['auto', 5])) {
		bench.simulate({ renderMs: 3000, latencyMs: LATENCY_MS, resultBytes: MEMORY_RESULT_MIB * MIB });
		result[`singles ${width}`] = await measure(bench, workflowId(200, width), 200);
		bench.log(`8 memory: 200 singles of ${MEMORY_RESULT_MIB} MiB, ${width}: peak ${mib(result[`singles ${width}`].peakKb)}, max in flight ${result[`singles ${width}`].maxJobsInFlight}`);
	}
	for (const width of /** @type {Width[]} */ (['auto', 5])) {
		bench.simulate({ renderMs: 3000, latencyMs: LATENCY_MS });
		result[`long ${width}`] = await measure(bench, longId(width), LONG_TEXTS, true);
		longParts = bench.sim.jobs().length;
		bench.log(`8 memory: ${LONG_TEXTS} long texts, ${width}: peak ${mib(result[`long ${width}`].peakKb)}, max in flight ${result[`long ${width}`].maxJobsInFlight}`);
	}
	return { runs: result, longParts };
}

/** @param {Width} width */
const widthLabel = (width) => (width === 'auto' ? 'automatic' : `Concurrency ${width}`);

/**
 * @param {import('../shared/session').Bench} bench
 * @returns {Promise<import('../shared/session').ScenarioResult>}
 */
async function run(bench) {
	const { sizes, limits, parts } = bench.cfg.width;
	/** @type {Array<Awaited<ReturnType<typeof matrixCell>>>} */
	const cells = [];
	if (parts.includes('matrix')) for (const size of sizes) for (const limit of limits) cells.push(await matrixCell(bench, size, limit));
	/** @type {Array<Awaited<ReturnType<typeof claim>>>} */
	const claims = [];
	if (parts.includes('claims')) for (const limit of /** @type {LimitName[]} */ (['generous', 'tight'])) claims.push(await claim(bench, limit));
	const peaks = parts.includes('memory') ? await memory(bench) : undefined;

	/** @type {import('../shared/session').Target[]} */
	const targets = [];
	const md = [`### 8. Width: automatic Concurrency against fixed numbers`, ''];
	if (cells.length) {
		/** @param {ReturnType<typeof pooled>} p */
		const cellsOf = (p) => [spread(p.time, sec), pct(p.share), p.looksPerJob.toFixed(2), mib(p.peakKb), p.maxJobsInFlight];
		md.push(
			`Renders of 5–20 s (12.5 s ± 60 %, the same render for every item in every run), latency ${LATENCY_MS} ms, wait + download. ` +
				'Time: first create to the end of the last download (the simulator\'s request log), median (min–max) over the runs; ' +
				'429s as a share of all API requests of those runs; answered looks per job; peak RSS of `n8n execute`; most jobs in flight (simulator).',
			'',
			...table(
				['items', 'account limit', 'variant', 'runs', 'time', '429s', 'looks per job', 'peak RSS', 'most jobs in flight', 'automatic / variant'],
				cells.flatMap((cell) =>
					/** @type {Array<[string, ReturnType<typeof pooled>]>} */ ([
						['automatic', cell.auto],
						['Concurrency 5', cell.five],
						[`best fixed: Concurrency ${cell.best}`, cell.bestFixed],
					]).map(([label, p]) => [cell.size, LIMITS[cell.limit].label, label, p.n, ...cellsOf(p), x(cell.auto.time.median / p.time.median)]),
				),
			),
			'',
			'Sweeps (one run each unless noted; time and 429s):',
			'',
			...cells.map(
				(cell) =>
					`- ${cell.size} items, ${LIMITS[cell.limit].label}: ` +
					Object.entries(cell.sweep)
						.filter(([width]) => width !== 'auto')
						.sort(([a], [b]) => Number(a) - Number(b))
						.map(([width, measured]) =>
							measured.some((m) => m.stopped)
								? `${width}: over ${sec(measured[0].timeMs)} (stopped)`
								: `${width}: ${sec(summary(measured.map((m) => m.timeMs)).median)} (${pct(pooled(measured).share)})${measured.length > 1 ? ` ×${measured.length}` : ''}`,
						)
						.join(', '),
			),
			'',
		);
		for (const cell of cells) {
			const ratio = cell.auto.time.median / cell.bestFixed.time.median;
			targets.push({ target: `8. ${cell.size} items, ${cell.limit}: automatic within 1.25× of the best fixed (${cell.best})`, measured: x(ratio), ok: ratio <= 1.25 });
		}
	}
	if (claims.length) {
		md.push(
			`Automatic against Concurrency 5: 60 renders of exactly 5 s, latency ${LATENCY_MS} ms, alternating, ${bench.cfg.width.claimReps} runs each.`,
			'',
			...table(
				['account limit', 'variant', 'time', '429s (worst run)', 'looks per job', 'peak RSS', 'most jobs in flight'],
				claims.flatMap((c) =>
					/** @type {Array<[Width, ReturnType<typeof pooled>]>} */ ([
						['auto', c.auto],
						[5, c.five],
					]).map(([width, p]) => [LIMITS[c.limit].label, widthLabel(width), spread(p.time, sec), `${pct(p.share)} (${pct(p.worstShare)})`, p.looksPerJob.toFixed(2), mib(p.peakKb), p.maxJobsInFlight]),
				),
			),
			'',
		);
		for (const c of claims) {
			const speedup = c.five.time.median / c.auto.time.median;
			if (c.limit === 'generous') targets.push({ target: '8. 60 × 5 s, generous limit: automatic ≥ 2.5× faster than Concurrency 5', measured: x(speedup), ok: speedup >= 2.5 });
			if (c.limit === 'tight') {
				const ratio = c.auto.time.median / c.five.time.median;
				targets.push(
					{ target: '8. 60 × 5 s, tight limit: automatic no slower than Concurrency 5 (≤ 1.1×)', measured: x(ratio), ok: ratio <= 1.1 },
					{ target: '8. 60 × 5 s, tight limit: automatic\'s 429s ≤ 15 % of its requests (worst run)', measured: pct(c.auto.worstShare), ok: c.auto.worstShare <= 0.15 },
				);
			}
		}
	}
	if (peaks) {
		md.push(
			`Memory at the ceilings of automatic (one run each, no limit, renders of 3 s): 200 single clones whose files are ${MEMORY_RESULT_MIB} MiB, streamed to the binary store; ` +
				`${LONG_TEXTS} long texts of ${LONG_CHARACTERS.toLocaleString('en')} characters (${peaks.longParts} parts, held in memory until joined).`,
			'',
			...table(
				['run', 'variant', 'peak RSS', 'most jobs in flight', 'time'],
				Object.entries(peaks.runs).map(([key, m]) => {
					const [what, width] = key.split(' ');
					return [what === 'singles' ? `200 single clones, ${MEMORY_RESULT_MIB} MiB each` : `${LONG_TEXTS} long texts`, widthLabel(width === 'auto' ? 'auto' : Number(width)), mib(m.peakKb), m.maxJobsInFlight, sec(m.timeMs)];
				}),
			),
			'',
		);
	}
	return { raw: { cells, claims, memory: peaks }, markdown: md.join('\n'), targets };
}

module.exports = { workflows, run, LIMITS };
