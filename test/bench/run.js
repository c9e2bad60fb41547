'use strict';
// @ts-check
/**
 * Benchmarks of the Magic Hour Voice Cloner node in real n8n (2.41.1 on Node 24) against the local
 * simulator. `npm run bench` = `node test/bench/run.js [--reps N] [--only 1,3] [--quick] [--out file]
 * [--seq-reps N] [--batch-reps N] [--no-build] [--baseline REF]`. Markdown to stdout, progress to stderr, raw
 * figures to a JSON file (default ./bench-results.json). See test/bench/README.md.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runner = require('../n8n/n8n-runner');
const wf = require('../n8n/workflows');
const { startSimulator } = require('../simulator');
const { generateWav } = require('../simulator/wav');
const { MIB, writeWav, createSession } = require('./shared/session');
const { verdict } = require('./shared/stats');
const { progressLog, table } = require('./shared/report');
const { prepareBaseline } = require('./shared/baseline');
const { POLL_BATCHES } = require('./scenarios/3-polling');
const packageScenario = require('./scenarios/5-package');

/** The scenarios by number, run in this order: each file builds its workflows and runs its measurements. */
const SCENARIOS = /** @type {const} */ ([
	[1, require('./scenarios/1-create')],
	[2, require('./scenarios/2-full-job')],
	[3, require('./scenarios/3-polling')],
	[4, require('./scenarios/4-memory')],
	[5, packageScenario],
	[6, require('./scenarios/6-shared-sample')],
	[7, require('./scenarios/7-long-text')],
	[8, require('./scenarios/8-width')],
]);

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

const known = new Set([
	'reps', 'only', 'quick', 'out', 'seq-reps', 'batch-reps', 'no-build', 'baseline', 'help',
	'width-sizes', 'width-limits', 'width-sweep', 'width-reps', 'width-claim-reps', 'width-parts', 'width-refine',
]);
for (const arg of process.argv.slice(2)) {
	const m = /^--([a-z-]+)/.exec(arg);
	if (m && !known.has(m[1])) {
		process.stderr.write(`unknown option ${arg}\n`);
		process.exit(2);
	}
}
if (flag('help')) {
	process.stdout.write(
		'usage: node test/bench/run.js [--reps N (3; --quick: 1)] [--only 1,3] [--quick] [--out bench-results.json] [--seq-reps N (1)] [--batch-reps N (2)] [--no-build] [--baseline main]\n' +
			'  scenario 8: [--width-parts matrix,claims,memory] [--width-sizes 60,200] [--width-limits none,generous,tight] [--width-sweep 5,10,20,40,80]\n' +
			'              [--width-reps N (1)] [--width-claim-reps N (3; --quick: 1)] [--width-refine]\n',
	);
	process.exit(0);
}

const QUICK = flag('quick') !== undefined;
const REPS = Math.max(1, Number(flag('reps') ?? (QUICK ? 1 : 3)));
const SEQ_REPS = Math.max(1, Number(flag('seq-reps') ?? 1));
/** Scenario 3's batches of varied renders: repetitions of each schedule (each takes minutes). */
const BATCH_REPS = Math.max(1, Number(flag('batch-reps') ?? 2));
const ONLY = new Set((flag('only') ?? '1,2,3,4,5,6,7,8').split(',').map((s) => Number(s.trim())));
const OUT = path.resolve(flag('out') ?? 'bench-results.json');
const BUILD = flag('no-build') === undefined;
/** Scenarios 2, 3 and 6 compare this tree with the package built from this git ref ("today's" build). */
const BASELINE = flag('baseline') ?? 'main';
const COMPARED = [2, 3, 6];

/** @param {string} name @param {string} fallback */
const list = (name, fallback) => (flag(name) ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
/** Scenario 8 (width): what to run, and how often. */
const WIDTH = {
	parts: list('width-parts', 'matrix,claims,memory'),
	sizes: list('width-sizes', QUICK ? '60' : '60,200').map(Number),
	limits: /** @type {Array<'none' | 'generous' | 'tight'>} */ (list('width-limits', 'none,generous,tight')),
	sweep: list('width-sweep', '5,10,20,40,80').map(Number),
	reps: Math.max(1, Number(flag('width-reps') ?? 1)),
	claimReps: Math.max(1, Number(flag('width-claim-reps') ?? (QUICK ? 1 : 3))),
	refine: flag('width-refine') !== undefined,
};

const CFG = QUICK
	? { createItems: 50, fullItems: 10, pollRendersMs: [3000, 20000], pollJobs: 3, pollBatches: [{ ...POLL_BATCHES[0], items: 10 }], pollBatchReps: 1, memMiB: [20, 50], sharedItems: 50, sharedMiB: 5, width: WIDTH }
	: { createItems: 200, fullItems: 50, pollRendersMs: [3000, 20000, 60000], pollJobs: 3, pollBatches: POLL_BATCHES, pollBatchReps: BATCH_REPS, memMiB: [20, 50, 100, 200], sharedItems: 50, sharedMiB: 5, width: WIDTH };

const TOKEN = 'mhk_live_bench_token_5e1d';
const started = Date.now();
const log = progressLog('bench', started);

/** Temp folders of this run (sample files, the baseline's source): removed at the end, on exit and on Ctrl-C. */
/** @type {Set<string>} */
const tempDirs = new Set();
/** @param {string} prefix */
function tempDir(prefix) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tempDirs.add(dir);
	return dir;
}
function removeFiles() {
	for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
	tempDirs.clear();
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
	const date = new Date().toISOString();
	const cpu = os.cpus();
	log(`${cpu.length} cores, reps ${REPS}${QUICK ? ', quick' : ''}, scenarios ${[...ONLY].join(',')}`);

	const sim = await startSimulator({ token: TOKEN });

	/** @type {Record<number | 'shared', string>} */
	const files = {};
	const filesDir = ONLY.has(4) || ONLY.has(6) ? tempDir('n8n-bench-files-') : undefined;
	if (ONLY.has(6) && filesDir) {
		files.shared = path.join(filesDir, 'shared-voice.wav');
		await writeWav(files.shared, CFG.sharedMiB * MIB);
	}
	if (ONLY.has(4) && filesDir) {
		fs.writeFileSync(path.join(filesDir, 'voice-0.wav'), generateWav({ durationSec: 1 }));
		files[0] = path.join(filesDir, 'voice-0.wav');
		for (const size of CFG.memMiB) {
			files[size] = path.join(filesDir, `voice-${size}.wav`);
			await writeWav(files[size], size * MIB);
		}
		log(`wrote samples ${Object.values(files).map((f) => `${path.basename(f)} ${fs.statSync(f).size}`).join(', ')}`);
	}

	log(`packing (build: ${BUILD})`);
	const pack = await runner.packPackage({ build: BUILD, log: () => {} });
	const t0 = Date.now();
	const home = await runner.createN8nHome({ tarball: pack.tarball, log: () => {} });
	const firstInstallMs = Date.now() - t0;
	const installMs = ONLY.has(5) ? await packageScenario.timeInstalls(pack.tarball, firstInstallMs, REPS) : [firstInstallMs];
	const bench = createSession({
		cfg: CFG,
		reps: REPS,
		seqReps: SEQ_REPS,
		token: TOKEN,
		log,
		home,
		sim,
		n8nEnv: filesDir ? { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } : {},
		n8nInstallDir: n8n.installDir,
		tempDir,
	});
	await runner.importCredentials(home, [wf.credential(sim.url, TOKEN)]);
	const workflows = SCENARIOS.filter(([number]) => ONLY.has(number)).flatMap(([, scenario]) => scenario.workflows(bench, files));
	await runner.importWorkflows(home, workflows);
	log(`home ready: ${workflows.length} workflows imported`);
	/** @type {import('./shared/baseline').Baseline | undefined} */
	let before;
	if (COMPARED.some((number) => ONLY.has(number))) {
		log(`packing the baseline ${BASELINE}`);
		before = await prepareBaseline(bench, BASELINE, workflows);
		log(`baseline home ready: ${before.label}`);
	}

	/** @type {Record<string, any>} */
	const results = {};
	/** @type {string[]} */
	const sections = [];
	/** @type {import('./shared/session').Target[]} */
	const targets = [];
	try {
		for (const [number, scenario] of SCENARIOS) {
			if (!ONLY.has(number)) continue;
			const t = Date.now();
			log(`scenario ${number} ...`);
			const result = await scenario.run(bench, { files, pack, installMs, before: /** @type {NonNullable<typeof before>} */ (before) });
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
				...table(
					['target', 'measured', 'result'],
					targets.map((t) => [t.target, t.measured, t.ok === null ? '–' : verdict(t.ok)]),
				),
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
