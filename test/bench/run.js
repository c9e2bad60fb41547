'use strict';
// @ts-check
/**
 * Benchmarks of the Magic Hour Voice Cloner node in real n8n (2.41.1 on Node 24) against the local
 * simulator. `npm run bench` = `node test/bench/run.js [--reps N] [--only 1,3] [--quick] [--out file]
 * [--seq-reps N] [--no-build]`. Markdown to stdout, progress to stderr, raw figures to a JSON file
 * (default ./bench-results.json). See test/bench/README.md.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { pipeline } = require('node:stream/promises');

const runner = require('../n8n/n8n-runner');
const wf = require('../n8n/workflows');
const { startSimulator } = require('../simulator');
/** @type {{ createWavStream(o: { totalBytes: number }): import('node:stream').Readable, generateWav(o: { durationSec: number }): Buffer }} */
const wav = /** @type {any} */ (require('../simulator/wav')); // createWavStream is in wav.js, not (yet) in wav.d.ts
const { watchPeakRss } = require('./proc-peak');
const { prose } = require('../prose');

// ---------------------------------------------------------------------------------------------
// Command line

/** @param {string} name */
function flag(name) {
	const argv = process.argv.slice(2);
	const index = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
	if (index < 0) return undefined;
	const hit = argv[index];
	if (hit.includes('=')) return hit.slice(hit.indexOf('=') + 1);
	const next = argv[index + 1];
	return next !== undefined && !next.startsWith('--') ? next : 'true';
}

const known = new Set(['reps', 'only', 'quick', 'out', 'seq-reps', 'no-build', 'baseline', 'help']);
for (const arg of process.argv.slice(2)) {
	const m = /^--([a-z-]+)/.exec(arg);
	if (m && !known.has(m[1])) {
		process.stderr.write(`unknown option ${arg}\n`);
		process.exit(2);
	}
}
if (flag('help')) {
	process.stdout.write(
		'usage: node test/bench/run.js [--reps N (3; --quick: 1)] [--only 1,3] [--quick] [--out bench-results.json] [--seq-reps N (1)] [--no-build] [--baseline main]\n',
	);
	process.exit(0);
}

const QUICK = flag('quick') !== undefined;
const REPS = Math.max(1, Number(flag('reps') ?? (QUICK ? 1 : 3)));
const SEQ_REPS = Math.max(1, Number(flag('seq-reps') ?? 1));
const ONLY = new Set((flag('only') ?? '1,2,3,4,5,6,7').split(',').map((s) => Number(s.trim())));
const OUT = path.resolve(flag('out') ?? 'bench-results.json');
const BUILD = flag('no-build') === undefined;
/** Scenario 6 compares this tree with the package built from this git ref. */
const BASELINE = flag('baseline') ?? 'main';

const CFG = QUICK
	? { createItems: 50, fullItems: 10, pollRendersMs: [3000, 20000], pollJobs: 3, memMiB: [20, 50], sharedItems: 50, sharedMiB: 5 }
	: { createItems: 200, fullItems: 50, pollRendersMs: [3000, 20000, 60000], pollJobs: 3, memMiB: [20, 50, 100, 200], sharedItems: 50, sharedMiB: 5 };

const TOKEN = 'mhk_live_bench_token_5e1d';
const MIB = 1024 * 1024;
const HTTP_NODE_NAME = 'HTTP Request';
const HTTP_DOWNLOAD_NODE_NAME = 'HTTP Download';
const SEQ_NODE_NAME = 'Voice Cloner Sequential';
/** n8n settings for every `n8n execute` (the file node may only read our own temp folder). */
let n8nEnv = /** @type {Record<string, string>} */ ({});

// ---------------------------------------------------------------------------------------------
// Small helpers

const started = Date.now();
/** @param {string} msg */
function log(msg) {
	const s = ((Date.now() - started) / 1000).toFixed(0).padStart(5);
	process.stderr.write(`[bench ${s}s] ${msg}\n`);
}

/** @param {number[]} values */
function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
/** @param {number[]} values */
function summary(values) {
	return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length, values };
}
/** @param {{ median: number, min: number, max: number, n: number }} s @param {(v: number) => string} f */
function spread(s, f) {
	return s.n > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : `${f(s.median)} (n=1)`;
}
const sec = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(2)} s`;
const msf = (/** @type {number} */ ms) => `${ms.toFixed(1)} ms`;
const mib = (/** @type {number} */ kb) => `${(kb / 1024).toFixed(0)} MiB`;
const x = (/** @type {number} */ r) => `${r.toFixed(2)}×`;
/** @param {boolean} ok */
const verdict = (ok) => (ok ? 'met' : '**missed**');

/** @param {unknown} cond @param {string} msg */
function check(cond, msg) {
	if (!cond) throw new Error(`check failed: ${msg}`);
}

// ---------------------------------------------------------------------------------------------
// Workflows

/** @param {number} count */
function itemsCode(count) {
	return wf.code(
		'Items',
		`return Array.from({ length: ${count} }, (_, i) => ({ json: { name: 'Bench ' + (i + 1), audio: 'https://cdn.example.com/voices/voice-' + (i % 10) + '.mp3', text: 'Line number ' + (i + 1) + ' spoken by the benchmark.' } }));`,
	);
}

const urlClone = {
	operation: 'clone',
	audioSource: 'url',
	audioUrl: '={{ $json.audio }}',
	prompt: '={{ $json.text }}',
	name: '={{ $json.name }}',
};

/** @param {string} simUrl */
function httpCreateNode(simUrl) {
	return {
		id: 'httpRequest',
		name: HTTP_NODE_NAME,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.5,
		position: [660, 300],
		parameters: {
			method: 'POST',
			url: `${simUrl}/v1/ai-voice-cloner`,
			sendHeaders: true,
			specifyHeaders: 'keypair',
			headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${TOKEN}` }] },
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody:
				'={{ JSON.stringify({ name: $json.name, assets: { audio_file_path: $json.audio }, style: { prompt: $json.text } }) }}',
			options: {},
		},
	};
}

/** n8n's HTTP Request node fetching the result link our node returned, as a file (streamed). */
function httpDownloadNode() {
	return {
		id: 'httpDownload',
		name: HTTP_DOWNLOAD_NODE_NAME,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.5,
		position: [660, 300],
		parameters: {
			method: 'GET',
			url: '={{ $json.downloads[0].url }}',
			options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
		},
	};
}

/** @param {string} filePath */
const readFileNode = (filePath) => wf.readFile(filePath, 'Read Sample');

const LONG_SCRIPT = prose(2500);
/** Size of every part's file in the memory run of scenario 7. */
const PART_MIB = 10;
/** The script up to its last sentence end within 1000 characters: the node's first part. */
const FIRST_PART = LONG_SCRIPT.slice(0, Math.max(...['. ', '! ', '? '].map((end) => LONG_SCRIPT.lastIndexOf(end, 999))) + 1);

/** @param {string} text */
function scriptCode(text) {
	return wf.code('Script', `return [{ json: { audio: 'https://cdn.example.com/voices/voice.mp3', text: ${JSON.stringify(text)} } }];`);
}

const trivialWorkflow = () =>
	wf.chain('b5Trivial', 'Bench 5 trivial', [
		wf.manualTrigger(),
		{ id: 'noop', name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 300], parameters: {} },
	]);

/** Read one sample → `sharedItems` lines that all carry its binary → ours (binary sample, wait off). @param {string} file */
function sharedSampleWorkflow(file) {
	return wf.chain('b6Shared', 'Bench 6 one sample, many lines', [
		wf.manualTrigger(),
		readFileNode(file),
		wf.code(
			'Lines',
			`const voice = $('Read Sample').first().binary;\nreturn Array.from({ length: ${CFG.sharedItems} }, (_, i) => ({ json: { text: 'Line number ' + (i + 1) + ' in the shared voice.' }, binary: voice }));`,
		),
		wf.voiceCloner({ operation: 'clone', audioSource: 'binary', binaryPropertyName: 'data', prompt: '={{ $json.text }}', waitForCompletion: false }),
	]);
}

/** @param {number} miB */
const upId = (miB) => `b4Up${miB}`;

/** @param {string} simUrl @param {Record<number | 'shared', string>} files size in MiB (0 = tiny) → path; 'shared': scenario 6's sample */
function allWorkflows(simUrl, files) {
	/** @type {object[]} */
	const list = [];
	if (ONLY.has(1)) {
		list.push(
			wf.chain('b1Ours', 'Bench 1 ours', [
				wf.manualTrigger(),
				itemsCode(CFG.createItems),
				wf.voiceCloner({ ...urlClone, waitForCompletion: false }),
			]),
			wf.chain('b1Http', 'Bench 1 HTTP Request', [wf.manualTrigger(), itemsCode(CFG.createItems), httpCreateNode(simUrl)]),
		);
	}
	if (ONLY.has(2)) {
		list.push(
			wf.chain('b2Default', 'Bench 2 default', [
				wf.manualTrigger(),
				itemsCode(CFG.fullItems),
				wf.voiceCloner({ ...urlClone, waitForCompletion: true, options: {} }),
			]),
			wf.chain('b2Sequential', 'Bench 2 concurrency 1', [
				wf.manualTrigger(),
				itemsCode(CFG.fullItems),
				wf.voiceCloner({ ...urlClone, waitForCompletion: true, options: { concurrency: 1 } }, { name: SEQ_NODE_NAME }),
			]),
		);
	}
	if (ONLY.has(3)) {
		list.push(
			wf.chain('b3Poll', 'Bench 3 polling', [
				wf.manualTrigger(),
				itemsCode(CFG.pollJobs),
				wf.voiceCloner({ ...urlClone, waitForCompletion: true, options: {} }),
			]),
		);
	}
	if (ONLY.has(4)) {
		for (const [miB, file] of Object.entries(files)) {
			list.push(
				wf.chain(upId(Number(miB)), `Bench 4 upload ${miB} MiB`, [
					wf.manualTrigger(),
					readFileNode(file),
					wf.voiceCloner({
						operation: 'clone',
						audioSource: 'binary',
						binaryPropertyName: 'data',
						prompt: 'Memory benchmark.',
						waitForCompletion: false,
					}),
				]),
			);
		}
		const largest = CFG.memMiB[CFG.memMiB.length - 1];
		list.push(
			// Controls: n8n's own nodes moving the same bytes, to tell our share from n8n's.
			wf.chain('b4ReadOnly', `Bench 4 control: read ${largest} MiB`, [wf.manualTrigger(), readFileNode(files[largest])]),
			wf.chain('b4HttpDown', 'Bench 4 control: HTTP Request download', [
				wf.manualTrigger(),
				wf.voiceCloner({
					operation: 'clone',
					audioSource: 'url',
					audioUrl: 'https://cdn.example.com/voice.mp3',
					prompt: 'Memory benchmark.',
					waitForCompletion: true,
					options: { downloadAudio: false },
				}),
				httpDownloadNode(),
			]),
		);
		list.push(
			wf.chain('b4Down', 'Bench 4 download', [
				wf.manualTrigger(),
				wf.voiceCloner({
					operation: 'clone',
					audioSource: 'url',
					audioUrl: 'https://cdn.example.com/voice.mp3',
					prompt: 'Memory benchmark.',
					waitForCompletion: true,
					options: { maxDownloadSize: 1000 },
				}),
			]),
		);
	}
	if (ONLY.has(5)) list.push(trivialWorkflow());
	if (ONLY.has(6)) list.push(sharedSampleWorkflow(files.shared));
	if (ONLY.has(7)) {
		const script = (/** @type {number} */ concurrency) =>
			wf.voiceCloner(
				{ ...urlClone, name: 'Long script', waitForCompletion: true, options: { longText: 'split', concurrency } },
				{ name: concurrency === 1 ? SEQ_NODE_NAME : wf.NODE_NAME },
			);
		list.push(
			wf.chain('b7Split', 'Bench 7 long text, concurrency 5', [wf.manualTrigger(), scriptCode(LONG_SCRIPT), script(5)]),
			wf.chain('b7SplitSeq', 'Bench 7 long text, concurrency 1', [wf.manualTrigger(), scriptCode(LONG_SCRIPT), script(1)]),
			wf.chain('b7Memory', 'Bench 7 long text memory', [wf.manualTrigger(), scriptCode(prose(10000)), script(5)]),
			wf.chain('b7OnePart', 'Bench 7 one part', [
				wf.manualTrigger(),
				scriptCode(FIRST_PART),
				wf.voiceCloner({ ...urlClone, name: 'One part', waitForCompletion: true, options: {} }),
			]),
		);
	}
	return list;
}

// ---------------------------------------------------------------------------------------------
// Running workflows

/** @type {Awaited<ReturnType<typeof runner.createN8nHome>>} */
let home;
/** @type {Awaited<ReturnType<typeof startSimulator>>} */
let sim;
let n8nInstallDir = '';

/**
 * @param {string} id
 * @param {{ timeoutMs?: number, inHome?: typeof home, peak?: boolean }} [options]
 */
async function execute(id, options = {}) {
	const target = options.inHome ?? home;
	const watch = options.peak
		? watchPeakRss(
				(argv, _pid, environ) =>
					argv.includes(target.n8n.n8nBin) &&
					argv.includes('execute') &&
					argv.includes(`--id=${id}`) &&
					environ()?.N8N_USER_FOLDER === target.dir,
				{ intervalMs: 50 },
			)
		: undefined;
	const r = await runner.executeWorkflow(target, id, { env: n8nEnv, timeoutMs: options.timeoutMs ?? 180_000 });
	const peak = watch?.stop();
	if (!r.run) {
		throw new Error(
			`${id}: n8n printed no run (exit ${r.rawExitCode}, signal ${r.signal}${r.timedOut ? ', timed out' : ''}):\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`,
		);
	}
	const error = runner.runError(r.run);
	if (error || r.exitCode !== 0) throw new Error(`${id}: run failed: ${error ? error.message : `exit ${r.exitCode}`}`);
	/** @param {string} nodeName */
	const nodeMs = (nodeName) => {
		const runs = r.run.data.resultData.runData[nodeName];
		check(runs && runs[0], `${id}: node ${nodeName} ran`);
		return /** @type {number} */ (runs[0].executionTime);
	};
	return { wallMs: r.durationMs, nodeMs, run: r.run, crashedAtExit: r.crashedAtExit, peak };
}

/** The simulator's state for the next run. @param {import('../simulator').SimulatorOptions} options */
function simulate(options) {
	sim.setOptions({ renderMs: 3000, latencyMs: 0, resultBytes: null, maxUploadBytes: 200 * MIB, ...options });
	sim.reset();
}

// ---------------------------------------------------------------------------------------------
// Scenarios. Each returns { raw, markdown, targets: [{ target, measured, ok }] }.

/** @typedef {{ target: string, measured: string, ok: boolean | null }} Target */

async function scenario1() {
	const n = CFG.createItems;
	/** @type {Record<'ours' | 'http', { nodeMs: number[], wallMs: number[] }>} */
	const raw = { ours: { nodeMs: [], wallMs: [] }, http: { nodeMs: [], wallMs: [] } };
	for (let rep = 0; rep < REPS; rep++) {
		for (const variant of /** @type {Array<'ours' | 'http'>} */ (rep % 2 ? ['http', 'ours'] : ['ours', 'http'])) {
			simulate({ latencyMs: 0 });
			const id = variant === 'ours' ? 'b1Ours' : 'b1Http';
			const nodeName = variant === 'ours' ? wf.NODE_NAME : HTTP_NODE_NAME;
			const r = await execute(id);
			const out = runner.nodeOutput(r.run, nodeName);
			const jobs = sim.jobs();
			check(out.length === n, `${id}: ${out.length} output items, expected ${n}`);
			check(out.every((item) => typeof item.json.id === 'string'), `${id}: every item has a job id`);
			check(sim.stats().jobsCreated === n, `${id}: simulator created ${sim.stats().jobsCreated} jobs, expected ${n}`);
			check(new Set(jobs.map((j) => j.prompt)).size === n, `${id}: ${n} distinct prompts`);
			raw[variant].nodeMs.push(r.nodeMs(nodeName));
			raw[variant].wallMs.push(r.wallMs);
			log(`1 ${variant} rep ${rep + 1}: node ${r.nodeMs(nodeName)} ms, wall ${r.wallMs} ms, ${n} jobs created`);
		}
	}
	const ours = { node: summary(raw.ours.nodeMs), wall: summary(raw.ours.wallMs) };
	const http = { node: summary(raw.http.nodeMs), wall: summary(raw.http.wallMs) };
	const ratio = ours.node.median / http.node.median;
	const perItem = (/** @type {ReturnType<typeof summary>} */ s) => summary(s.values.map((v) => v / n));
	const md = [
		`### 1. Create only: ${n} items, simulator latency 0 ms`,
		'',
		'| variant | node time | per item | wall time (`n8n execute`) | jobs created |',
		'| --- | --- | --- | --- | --- |',
		`| ours, wait off, concurrency 5 | ${spread(ours.node, sec)} | ${spread(perItem(ours.node), msf)} | ${spread(ours.wall, sec)} | ${n} ✓ |`,
		`| HTTP Request 4.5 | ${spread(http.node, sec)} | ${spread(perItem(http.node), msf)} | ${spread(http.wall, sec)} | ${n} ✓ |`,
		'',
		`Node-time ratio ours / HTTP Request (medians): **${x(ratio)}**; wall-time ratio ${x(ours.wall.median / http.wall.median)}. ` +
			'HTTP Request sends all items at once (no batching set); ours keeps 5 in flight.',
		'',
	];
	return {
		raw: { items: n, ...raw, ratioNode: ratio },
		markdown: md.join('\n'),
		targets: [{ target: `1. create ${n}: ours / HTTP Request node time ≤ 1.0`, measured: x(ratio), ok: ratio <= 1.0 }],
	};
}

async function scenario2() {
	const n = CFG.fullItems;
	const renderMs = 3000;
	const concurrency = 5;
	const ideal = Math.ceil(n / concurrency) * renderMs;
	/** @type {Record<'default' | 'sequential', { nodeMs: number[], wallMs: number[], maxJobsInFlight: number[] }>} */
	const raw = {
		default: { nodeMs: [], wallMs: [], maxJobsInFlight: [] },
		sequential: { nodeMs: [], wallMs: [], maxJobsInFlight: [] },
	};
	for (let rep = 0; rep < REPS; rep++) {
		/** @type {Array<'default' | 'sequential'>} */
		const order = rep < SEQ_REPS ? (rep % 2 ? ['sequential', 'default'] : ['default', 'sequential']) : ['default'];
		for (const variant of order) {
			simulate({ renderMs, latencyMs: 50 });
			const id = variant === 'default' ? 'b2Default' : 'b2Sequential';
			const nodeName = variant === 'default' ? wf.NODE_NAME : SEQ_NODE_NAME;
			const r = await execute(id, { timeoutMs: (n * 12 + 120) * 1000 });
			const out = runner.nodeOutput(r.run, nodeName);
			check(out.length === n, `${id}: ${out.length} items`);
			check(out.every((item) => item.json.status === 'complete' && item.binary && item.binary.data), `${id}: all complete with audio`);
			check(sim.stats().requests['GET /signed/download'] === n, `${id}: ${n} downloads`);
			raw[variant].nodeMs.push(r.nodeMs(nodeName));
			raw[variant].wallMs.push(r.wallMs);
			raw[variant].maxJobsInFlight.push(sim.stats().maxJobsInFlight);
			log(`2 ${variant} rep ${rep + 1}: node ${r.nodeMs(nodeName)} ms, wall ${r.wallMs} ms, max in flight ${sim.stats().maxJobsInFlight}`);
		}
	}
	const def = { node: summary(raw.default.nodeMs), wall: summary(raw.default.wallMs) };
	const seq = { node: summary(raw.sequential.nodeMs), wall: summary(raw.sequential.wallMs) };
	const toIdeal = def.node.median / ideal;
	const speedup = seq.node.median / def.node.median;
	const seqIdeal = n * renderMs;
	const md = [
		`### 2. Full job: ${n} items, render ${renderMs / 1000} s, latency 50 ms (wait + download)`,
		'',
		'| variant | node time | wall time | ideal | node time / ideal | max jobs in flight |',
		'| --- | --- | --- | --- | --- | --- |',
		`| ours, defaults (concurrency 5) | ${spread(def.node, sec)} | ${spread(def.wall, sec)} | ${sec(ideal)} | ${x(toIdeal)} | ${Math.max(...raw.default.maxJobsInFlight)} |`,
		`| ours, concurrency 1 | ${spread(seq.node, sec)} | ${spread(seq.wall, sec)} | ${sec(seqIdeal)} | ${x(seq.node.median / seqIdeal)} | ${Math.max(...raw.sequential.maxJobsInFlight)} |`,
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

async function scenario3() {
	/** @type {Array<{ renderMs: number, getsPerJob: number[], lagMs: number[], nodeMs: number }>} */
	const raw = [];
	for (const renderMs of CFG.pollRendersMs) {
		simulate({ renderMs, latencyMs: 0 });
		const r = await execute('b3Poll', { timeoutMs: renderMs + 180_000 });
		const jobs = sim.jobs();
		check(jobs.length === CFG.pollJobs, `b3Poll: ${jobs.length} jobs`);
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
		`### 3. Polling cost: GET /v1/audio-projects/:id per job (${CFG.pollJobs} jobs per render time, one run each, latency 0)`,
		'',
		'| render time | GETs per job | target ≤ render/3 s + 3 | seen complete after render end | node time |',
		'| --- | --- | --- | --- | --- |',
		...raw.map((row) => {
			const limit = row.renderMs / 3000 + 3;
			const g = summary(row.getsPerJob);
			return `| ${row.renderMs / 1000} s | ${spread(g, (v) => String(v))} | ≤ ${limit.toFixed(1)} ${verdict(g.max <= limit)} | ${spread(summary(row.lagMs), sec)} | ${sec(row.nodeMs)} |`;
		}),
		'',
		"Counted from the simulator's request log (`requests()`: route `get`, grouped by project id); the lag is the last GET of a job minus its creation time + render time.",
		'',
	];
	return {
		raw,
		markdown: md.join('\n'),
		targets: raw.map((row) => {
			const limit = row.renderMs / 3000 + 3;
			const worst = Math.max(...row.getsPerJob);
			return { target: `3. render ${row.renderMs / 1000} s: GETs/job ≤ ${limit.toFixed(1)}`, measured: String(worst), ok: worst <= limit };
		}),
	};
}

/** @param {string} file @param {number} bytes */
async function writeWav(file, bytes) {
	await pipeline(wav.createWavStream({ totalBytes: bytes }), fs.createWriteStream(file));
}

/** Binary data n8n stored for earlier runs (filesystem mode): removed so big runs do not fill the disk. */
function dropStoredBinaries(target = home) {
	fs.rmSync(path.join(target.dir, '.n8n', 'storage', 'workflows'), { recursive: true, force: true });
}

/** @param {Record<number, string>} files */
async function scenario4(files) {
	const sizes = [0, ...CFG.memMiB];
	/** @type {Record<'upload' | 'download', Record<number, { hwmKb: number[], nodeMs: number[], wallMs: number[] }>>} */
	const raw = { upload: {}, download: {} };
	for (const dir of /** @type {const} */ (['upload', 'download'])) {
		for (const size of sizes) raw[dir][size] = { hwmKb: [], nodeMs: [], wallMs: [] };
	}
	const largest = CFG.memMiB[CFG.memMiB.length - 1];
	/** @type {Record<'readOnly' | 'httpDownload', { hwmKb: number[], nodeMs: number[] }>} */
	const controls = { readOnly: { hwmKb: [], nodeMs: [] }, httpDownload: { hwmKb: [], nodeMs: [] } };
	for (let rep = 0; rep < REPS; rep++) {
		for (const size of rep % 2 ? [...sizes].reverse() : sizes) {
			for (const dir of /** @type {const} */ (['upload', 'download'])) {
				const bytes = size * MIB;
				if (dir === 'upload') {
					simulate({ latencyMs: 0, maxUploadBytes: 1024 * MIB });
				} else {
					simulate({ latencyMs: 0, renderMs: 500, resultBytes: size ? bytes : null });
				}
				const id = dir === 'upload' ? upId(size) : 'b4Down';
				const r = await execute(id, { peak: true, timeoutMs: 300_000 });
				const peak = /** @type {NonNullable<typeof r.peak>} */ (r.peak);
				check(peak.samples > 0, `${id}: found the n8n process and read its memory`);
				if (dir === 'upload') {
					const [upload] = sim.uploads();
					check(upload && upload.size === fs.statSync(files[size]).size, `${id}: simulator received the whole file`);
				} else {
					const [item] = runner.nodeOutput(r.run, wf.NODE_NAME);
					check(item.binary && item.binary.data, `${id}: audio in the output`);
					if (size) check(sim.stats().downloadsBytes === bytes, `${id}: simulator sent ${sim.stats().downloadsBytes} bytes`);
				}
				raw[dir][size].hwmKb.push(peak.vmHwmKb);
				raw[dir][size].nodeMs.push(r.nodeMs(wf.NODE_NAME));
				raw[dir][size].wallMs.push(r.wallMs);
				log(`4 ${dir} ${size || 'tiny'} MiB rep ${rep + 1}: VmHWM ${mib(peak.vmHwmKb)} (pid ${peak.pid}, ${peak.samples} samples), node ${r.nodeMs(wf.NODE_NAME)} ms`);
				dropStoredBinaries();
			}
		}
		for (const control of /** @type {const} */ (['readOnly', 'httpDownload'])) {
			const bytes = largest * MIB;
			if (control === 'readOnly') simulate({ latencyMs: 0 });
			else simulate({ latencyMs: 0, renderMs: 500, resultBytes: bytes });
			const id = control === 'readOnly' ? 'b4ReadOnly' : 'b4HttpDown';
			const nodeName = control === 'readOnly' ? 'Read Sample' : HTTP_DOWNLOAD_NODE_NAME;
			const r = await execute(id, { peak: true, timeoutMs: 300_000 });
			const peak = /** @type {NonNullable<typeof r.peak>} */ (r.peak);
			check(peak.samples > 0, `${id}: found the n8n process and read its memory`);
			const [item] = runner.nodeOutput(r.run, nodeName);
			check(item.binary && item.binary.data, `${id}: file in the output`);
			if (control === 'httpDownload') check(sim.stats().downloadsBytes === bytes, `${id}: whole result downloaded`);
			controls[control].hwmKb.push(peak.vmHwmKb);
			controls[control].nodeMs.push(r.nodeMs(nodeName));
			log(`4 control ${control} ${largest} MiB rep ${rep + 1}: VmHWM ${mib(peak.vmHwmKb)}, node ${r.nodeMs(nodeName)} ms`);
			dropStoredBinaries();
		}
	}
	const rows = [];
	/** @type {Target[]} */
	const targets = [];
	/** @type {Record<string, Record<number, number>>} */
	const growthKb = { upload: {}, download: {} };
	/** @type {Record<string, number>} */
	const controlGrowthKb = {};
	for (const dir of /** @type {const} */ (['upload', 'download'])) {
		const base = summary(raw[dir][0].hwmKb);
		rows.push(`| ${dir} | tiny (baseline) | ${spread(base, mib)} | – | ${spread(summary(raw[dir][0].nodeMs), sec)} |`);
		for (const size of CFG.memMiB) {
			const s = summary(raw[dir][size].hwmKb);
			const growth = s.median - base.median;
			growthKb[dir][size] = growth;
			rows.push(`| ${dir} | ${size} MiB | ${spread(s, mib)} | ${mib(growth)} | ${spread(summary(raw[dir][size].nodeMs), sec)} |`);
		}
		const control = dir === 'upload' ? controls.readOnly : controls.httpDownload;
		const c = summary(control.hwmKb);
		controlGrowthKb[dir] = c.median - base.median;
		rows.push(
			`| ${dir} | control: ${dir === 'upload' ? "n8n's Read/Write Files from Disk alone" : "our node (download off) → n8n's HTTP Request downloading the link as a file"}, ${largest} MiB | ${spread(c, mib)} | ${mib(controlGrowthKb[dir])} | ${spread(summary(control.nodeMs), sec)} |`,
		);
		const growth = growthKb[dir][largest];
		targets.push({
			target: `4. ${dir} ${largest} MiB: peak RSS growth < 64 MiB`,
			measured: `${mib(growth)} (n8n's own nodes, same bytes: ${mib(controlGrowthKb[dir])})`,
			ok: growth < 64 * 1024,
		});
	}
	/** RSS growth per MiB of file between the two largest sizes: about 0 = flat, about 1 = the file is held in memory. */
	const flatness = (/** @type {'upload' | 'download'} */ dir) => {
		const [a, b] = CFG.memMiB.slice(-2);
		const slope = (growthKb[dir][b] - growthKb[dir][a]) / 1024 / (b - a);
		return `${dir}: ${slope.toFixed(2)} MiB of RSS per MiB of file from ${a} to ${b} MiB (${Math.abs(slope) < 0.15 ? 'flat' : 'grows with the file'})`;
	};
	const md = [
		'### 4. Memory: peak RSS (VmHWM) of the `n8n execute` process, one file',
		'',
		'| direction | file | peak RSS | growth over baseline (medians) | node time |',
		'| --- | --- | --- | --- | --- |',
		...rows,
		'',
		`Upload: Read/Write Files from Disk → ours (binary sample, wait off). Download: ours (URL sample, wait + download; simulator \`resultBytes\` = size). ` +
			`n8n binary data mode: filesystem (n8n 2.x default). ${flatness('upload')}; ${flatness('download')}.`,
		'',
	];
	return { raw: { ...raw, controls, growthKb, controlGrowthKb }, markdown: md.join('\n'), targets };
}

/**
 * One voice sample, many lines: `sharedItems` items carrying the same binary sample of
 * `sharedMiB` MiB, cloned (wait off) by the package built from `--baseline` ("before") and by this
 * tree ("after"), alternating, in two homes against the same simulator.
 * @param {typeof home} beforeHome @param {string} beforeLabel @param {number} sampleBytes
 */
async function scenario6(beforeHome, beforeLabel, sampleBytes) {
	const n = CFG.sharedItems;
	const variants = /** @type {const} */ (['before', 'after']);
	/** @type {Record<'before' | 'after', { uploadUrls: number[], puts: number[], bytes: number[], nodeMs: number[], wallMs: number[] }>} */
	const raw = {
		before: { uploadUrls: [], puts: [], bytes: [], nodeMs: [], wallMs: [] },
		after: { uploadUrls: [], puts: [], bytes: [], nodeMs: [], wallMs: [] },
	};
	for (let rep = 0; rep < REPS; rep++) {
		for (const variant of rep % 2 ? [...variants].reverse() : variants) {
			simulate({ latencyMs: 0 });
			const target = variant === 'before' ? beforeHome : home;
			const r = await execute('b6Shared', { inHome: target, timeoutMs: 300_000 });
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
			dropStoredBinaries(target);
		}
	}
	const mb = (/** @type {number} */ bytes) => `${(bytes / MIB).toFixed(1)} MiB`;
	/** Counts are the same every run when the code is right: then one number, else the spread. */
	const count = (/** @type {number[]} */ values, /** @type {(v: number) => string} */ f = String) =>
		values.every((v) => v === values[0]) ? `${f(values[0])} every run` : spread(summary(values), f);
	const rows = variants.map((variant) => {
		const row = raw[variant];
		const label = variant === 'before' ? `before: ${beforeLabel}` : `after: ${treeLabel()}`;
		return `| ${label} | ${count(row.uploadUrls)} | ${count(row.puts)} | ${count(row.bytes, mb)} | ${spread(summary(row.nodeMs), sec)} | ${spread(summary(row.wallMs), sec)} |`;
	});
	const speedup = median(raw.before.nodeMs) / median(raw.after.nodeMs);
	const md = [
		`### 6. One voice, many lines: ${n} items sharing one ${CFG.sharedMiB} MiB binary sample (wait off, concurrency 5, latency 0 ms)`,
		'',
		'| variant | upload-URL requests | PUTs | bytes uploaded | node time | wall time |',
		'| --- | --- | --- | --- | --- | --- |',
		...rows,
		'',
		`Read/Write Files from Disk → Code node giving each of the ${n} lines the file's binary (same binary id) → ours. ` +
			`Counted by the simulator; both variants made ${n} jobs each run. Node time before / after (medians): **${x(speedup)}**.`,
		'',
	];
	const after = raw.after;
	return {
		raw: { items: n, sampleBytes, beforeLabel, ...raw, speedup },
		markdown: md.join('\n'),
		/** @type {Target[]} */
		targets: [
			{
				target: `6. ${n} items, one sample: 1 upload-URL request and ${mb(sampleBytes)} uploaded`,
				measured: `${Math.max(...after.uploadUrls)} / ${mb(Math.max(...after.bytes))}`,
				ok: after.uploadUrls.every((v) => v === 1) && after.bytes.every((v) => v === sampleBytes),
			},
		],
	};
}

/** This working tree as a label: its commit, and whether it has uncommitted changes. */
function treeLabel() {
	const repoDir = path.resolve(__dirname, '..', '..');
	const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoDir, encoding: 'utf8' }).stdout.trim();
	const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoDir, encoding: 'utf8' }).stdout.trim();
	return `this tree @ ${head || 'unknown'}${dirty ? ' + uncommitted changes' : ''}`;
}

/**
 * Packs the package as it is at git ref `ref` (exported with `git archive`, built with this
 * tree's dev dependencies), for the "before" of scenario 6.
 * @param {string} ref
 */
async function packBaseline(ref) {
	const repoDir = path.resolve(__dirname, '..', '..');
	const commit = spawnSync('git', ['rev-parse', '--short', `${ref}^{commit}`], { cwd: repoDir, encoding: 'utf8' });
	if (commit.status !== 0) throw new Error(`--baseline ${ref} is not a commit of this repository: ${commit.stderr.trim()}`);
	baselineDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-baseline-'));
	const archive = spawnSync('git', ['archive', '--format=tar', ref], { cwd: repoDir, maxBuffer: 256 * MIB });
	if (archive.status !== 0) throw new Error(`git archive ${ref} failed: ${archive.stderr}`);
	const untar = spawnSync('tar', ['-x', '-C', baselineDir], { input: archive.stdout });
	if (untar.status !== 0) throw new Error(`unpacking ${ref} failed: ${untar.stderr}`);
	fs.symlinkSync(fs.realpathSync(path.join(repoDir, 'node_modules')), path.join(baselineDir, 'node_modules'));
	const pack = await runner.packPackage({ repoDir: baselineDir, log: () => {} });
	return { pack, label: `${ref} @ ${commit.stdout.trim()}` };
}

/**
 * Time to load the package's node and credential classes in a fresh Node 24 process, the way
 * n8n's package loader does (require + constructor), with n8n-workflow (which n8n loads anyway)
 * required first, from where the package resolves it, and not counted.
 * @param {string} packageDir @param {string} n8nModules
 */
function directLoadMs(packageDir, n8nModules) {
	const script = `
const path = require('path');
const pkgFile = path.join(${JSON.stringify(packageDir)}, 'package.json');
require('module').createRequire(pkgFile)('n8n-workflow');
const pkg = require(pkgFile);
const t0 = process.hrtime.bigint();
for (const file of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
	const mod = require(path.join(${JSON.stringify(packageDir)}, file));
	for (const Cls of Object.values(mod)) if (typeof Cls === 'function') new Cls();
}
process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));`;
	const r = spawnSync(home.n8n.nodeBin, ['-e', script], {
		cwd: os.tmpdir(),
		env: { ...process.env, NODE_PATH: n8nModules, NODE_OPTIONS: '' },
		encoding: 'utf8',
	});
	if (r.status !== 0) throw new Error(`direct load failed: ${r.stderr}`);
	return Number(r.stdout);
}

/** @param {{ size: number, unpackedSize: number, files: number, tarball: string }} pack @param {number[]} installMs */
async function scenario5(pack, installMs) {
	const bare = await runner.createN8nHome({ log: () => {} });
	try {
		await runner.importWorkflows(bare, [trivialWorkflow()]);
		const reps = Math.max(REPS, 5);
		/** @type {{ withPackage: number[], without: number[], directMs: number[] }} */
		const raw = { withPackage: [], without: [], directMs: [] };
		for (let rep = 0; rep < reps; rep++) {
			for (const variant of /** @type {Array<'withPackage' | 'without'>} */ (rep % 2 ? ['without', 'withPackage'] : ['withPackage', 'without'])) {
				const r = await execute('b5Trivial', { inHome: variant === 'withPackage' ? home : bare });
				raw[variant].push(r.wallMs);
			}
		}
		const n8nModules = path.join(n8nInstallDir, 'n8n', 'node_modules');
		for (let rep = 0; rep < 10; rep++) raw.directMs.push(directLoadMs(home.packageDir, n8nModules));
		const withPkg = summary(raw.withPackage);
		const without = summary(raw.without);
		const direct = summary(raw.directMs);
		const install = summary(installMs);
		const md = [
			'### 5. Package',
			'',
			'| measure | value |',
			'| --- | --- |',
			`| tarball (\`npm pack\`) | ${(pack.size / 1024).toFixed(1)} KiB, ${pack.files} files, ${(pack.unpackedSize / 1024).toFixed(1)} KiB unpacked |`,
			`| install into n8n (\`createN8nHome\`: unpack into \`.n8n/nodes/node_modules\`, ${install.n} runs) | ${spread(install, msf)} |`,
			`| load: require + construct node and credential classes, fresh Node 24 process (10 runs) | ${spread(direct, msf)} |`,
			`| \`n8n execute\` of a trivial workflow, package installed (${withPkg.n} runs) | ${spread(withPkg, sec)} |`,
			`| same, no package (${without.n} runs) | ${spread(without, sec)} |`,
			`| difference of medians (boot noise is ± several 100 ms) | ${sec(withPkg.median - without.median)} |`,
			'',
		];
		return {
			raw: { tarballBytes: pack.size, unpackedBytes: pack.unpackedSize, files: pack.files, installMs, ...raw },
			markdown: md.join('\n'),
			/** @type {Target[]} */
			targets: [],
		};
	} finally {
		await bare.cleanup();
	}
}

async function scenario7() {
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
	for (let rep = 0; rep < REPS; rep++) {
		/** @type {Array<keyof typeof variants>} */
		const order = rep % 2 ? ['onePart', 'sequential', 'split'] : ['split', 'sequential', 'onePart'];
		for (const variant of order) {
			const { id, node, jobs } = variants[variant];
			simulate({ renderMs, latencyMs: 50 });
			const r = await execute(id, { timeoutMs: 300_000 });
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
		}
	}
	// Memory: a 10,000-character script (the default Max Characters) with every part's file at
	// PART_MIB, against one part of that size, which is streamed to n8n's binary store.
	/** @type {Record<'joined' | 'onePart', { hwmKb: number, parts: number }>} */
	const memory = { joined: { hwmKb: 0, parts: 0 }, onePart: { hwmKb: 0, parts: 1 } };
	for (const [variant, id] of /** @type {const} */ ([['onePart', 'b7OnePart'], ['joined', 'b7Memory']])) {
		simulate({ renderMs: 500, latencyMs: 0, resultBytes: PART_MIB * MIB });
		const r = await execute(id, { peak: true, timeoutMs: 300_000 });
		const [item] = runner.nodeOutput(r.run, wf.NODE_NAME);
		check(item && item.binary && item.binary.data, `${id}: audio in the output`);
		memory[variant] = { hwmKb: /** @type {NonNullable<typeof r.peak>} */ (r.peak).vmHwmKb, parts: sim.stats().jobsCreated };
		log(`7 memory ${variant}: VmHWM ${mib(memory[variant].hwmKb)}, ${memory[variant].parts} parts of ${PART_MIB} MiB`);
		dropStoredBinaries();
	}
	const joinedMib = memory.joined.parts * PART_MIB;
	const growthKb = memory.joined.hwmKb - memory.onePart.hwmKb;

	const split = summary(raw.split.nodeMs);
	const sequential = summary(raw.sequential.nodeMs);
	const onePart = summary(raw.onePart.nodeMs);
	const toOnePart = split.median / onePart.median;
	const speedup = sequential.median / split.median;
	const row = (/** @type {string} */ label, /** @type {keyof typeof raw} */ key) =>
		`| ${label} | ${spread(summary(raw[key].nodeMs), sec)} | ${spread(summary(raw[key].wallMs), sec)} | ${Math.max(...raw[key].maxJobsInFlight)} |`;
	const md = [
		`### 7. Long text: a 2,500-character script (3 parts), render ${renderMs / 1000} s per job, latency 50 ms (wait + download + join)`,
		'',
		'| variant | node time | wall time | max jobs in flight |',
		'| --- | --- | --- | --- |',
		row('Long Text = Split, Concurrency 5 (default)', 'split'),
		row('Long Text = Split, Concurrency 1: the three parts one after another', 'sequential'),
		row(`one part alone (${[...FIRST_PART].length} characters, no split)`, 'onePart'),
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

// ---------------------------------------------------------------------------------------------
// Main

/** @type {string | undefined} */
let filesDir;
/** @type {string | undefined} */
let baselineDir;
function removeFiles() {
	for (const dir of [filesDir, baselineDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
	filesDir = undefined;
	baselineDir = undefined;
}
process.on('exit', removeFiles);
for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
	process.on(sig, () => {
		removeFiles();
		process.exit(130); // the toolkit's exit hook then kills n8n and removes its temp homes
	});
}

async function main() {
	const n8n = await runner.ensureN8n({ log: () => {} });
	n8nInstallDir = n8n.installDir;
	const date = new Date().toISOString();
	const cpu = os.cpus();
	log(`${cpu.length} cores, reps ${REPS}${QUICK ? ', quick' : ''}, scenarios ${[...ONLY].join(',')}`);

	sim = await startSimulator({ token: TOKEN });

	/** @type {Record<number | 'shared', string>} */
	const files = {};
	if (ONLY.has(4) || ONLY.has(6)) filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-files-'));
	if (ONLY.has(6) && filesDir) {
		files.shared = path.join(filesDir, 'shared-voice.wav');
		await writeWav(files.shared, CFG.sharedMiB * MIB);
	}
	if (ONLY.has(4) && filesDir) {
		fs.writeFileSync(path.join(filesDir, 'voice-0.wav'), wav.generateWav({ durationSec: 1 }));
		files[0] = path.join(filesDir, 'voice-0.wav');
		for (const size of CFG.memMiB) {
			files[size] = path.join(filesDir, `voice-${size}.wav`);
			await writeWav(files[size], size * MIB);
		}
		log(`wrote samples ${Object.values(files).map((f) => `${path.basename(f)} ${fs.statSync(f).size}`).join(', ')}`);
	}
	n8nEnv = filesDir ? { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } : {};

	log(`packing (build: ${BUILD})`);
	const pack = await runner.packPackage({ build: BUILD, log: () => {} });
	/** @type {number[]} */
	const installMs = [];
	let t0 = Date.now();
	home = await runner.createN8nHome({ tarball: pack.tarball, log: () => {} });
	installMs.push(Date.now() - t0);
	if (ONLY.has(5)) {
		for (let rep = 1; rep < Math.max(REPS, 5); rep++) {
			t0 = Date.now();
			const extra = await runner.createN8nHome({ tarball: pack.tarball, log: () => {} });
			installMs.push(Date.now() - t0);
			await extra.cleanup();
		}
	}
	await runner.importCredentials(home, [wf.credential(sim.url, TOKEN)]);
	const workflows = allWorkflows(sim.url, files);
	await runner.importWorkflows(home, workflows);
	log(`home ready: ${workflows.length} workflows imported`);
	/** @type {{ home: typeof home, label: string, cleanup: () => Promise<void> } | undefined} */
	let before;
	if (ONLY.has(6)) {
		log(`packing the baseline ${BASELINE}`);
		const baseline = await packBaseline(BASELINE);
		const beforeHome = await runner.createN8nHome({ tarball: baseline.pack.tarball, log: () => {} });
		await runner.importCredentials(beforeHome, [wf.credential(sim.url, TOKEN)]);
		await runner.importWorkflows(beforeHome, [sharedSampleWorkflow(files.shared)]);
		before = {
			home: beforeHome,
			label: baseline.label,
			cleanup: async () => {
				await beforeHome.cleanup();
				baseline.pack.cleanup();
			},
		};
		log(`baseline home ready: ${baseline.label}`);
	}

	/** @type {Record<string, any>} */
	const results = {};
	/** @type {string[]} */
	const sections = [];
	/** @type {Target[]} */
	const targets = [];
	/** @type {Array<[number, () => Promise<{ raw: any, markdown: string, targets: Target[] }>]>} */
	const plan = [
		[1, scenario1],
		[2, scenario2],
		[3, scenario3],
		[4, () => scenario4(files)],
		[5, () => scenario5(pack, installMs)],
		[6, () => scenario6(/** @type {NonNullable<typeof before>} */ (before).home, /** @type {NonNullable<typeof before>} */ (before).label, fs.statSync(files.shared).size)],
		[7, scenario7],
	];
	try {
		for (const [number, run] of plan) {
			if (!ONLY.has(number)) continue;
			const t = Date.now();
			log(`scenario ${number} ...`);
			const result = await run();
			results[`scenario${number}`] = { ...result.raw, durationMs: Date.now() - t };
			sections.push(result.markdown);
			targets.push(...result.targets);
			log(`scenario ${number} done in ${((Date.now() - t) / 1000).toFixed(0)} s`);
		}
	} finally {
		removeFiles();
		await before?.cleanup();
		await home.cleanup();
		pack.cleanup();
		await sim.close();
	}

	const totalMs = Date.now() - started;
	const header = [
		'## Magic Hour Voice Cloner benchmark',
		'',
		`${date} · ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB · ` +
			`n8n ${n8n.n8nVersion} on Node ${n8n.nodeVersion} (bench runner Node ${process.versions.node}) · ` +
			`repetitions ${REPS}${QUICK ? ' · **quick** sizes' : ''} · total ${(totalMs / 60000).toFixed(1)} min`,
		'',
		'Times are medians with (min–max). "Node time" is n8n\'s own `executionTime` of the node in the run; "wall time" is the whole `n8n execute` process (boot included).',
		'',
	];
	const summaryTable = targets.length
		? [
				'### Targets',
				'',
				'| target | measured | result |',
				'| --- | --- | --- |',
				...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.ok === null ? '–' : verdict(t.ok)} |`),
				'',
			]
		: [];
	process.stdout.write(`${[...header, ...sections, ...summaryTable].join('\n')}\n`);
	fs.writeFileSync(
		OUT,
		JSON.stringify(
			{
				date,
				machine: { cores: cpu.length, cpu: cpu[0]?.model, totalMemBytes: os.totalmem() },
				n8n: n8n.n8nVersion,
				n8nNode: n8n.nodeVersion,
				runnerNode: process.versions.node,
				reps: REPS,
				quick: QUICK,
				config: CFG,
				totalMs,
				targets,
				results,
			},
			null,
			2,
		),
	);
	log(`done in ${(totalMs / 60000).toFixed(1)} min; raw figures in ${OUT}`);
}

main().catch((error) => {
	process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
	removeFiles();
	process.exit(1);
});
