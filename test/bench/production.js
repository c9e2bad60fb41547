'use strict';
// @ts-check
/**
 * Production figures: webhook calls fired at once at real n8n 2.41.1 (Node 24) running this package, in
 * regular mode (one `n8n start`, SQLite) and in queue mode (main + 1 or 2 `n8n worker`s, Redis, Postgres),
 * against the local simulator; plus which binary data modes deliver the audio in queue mode.
 *
 *   node test/bench/production.js [--reps 3] [--calls 40] [--render-ms 3000] [--only figures,modes] [--out file] [--no-build]
 *
 * Markdown to stdout, progress to stderr, raw figures to a JSON file (default ./bench-production.json).
 * Needs Debian's redis-server and postgresql (see test/production/services.js). See test/bench/README.md.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const runner = require('../n8n/n8n-runner');
const workflows = require('../n8n/workflows');
const { startSimulator } = require('../simulator');
const { generateWav } = require('../simulator/wav');
const services = require('../production/services');
const { startRegular, startQueue } = require('../production/deployments');
const load = require('../production/load');
const { summary } = require('../production/n8n-api');
const stats = require('./shared/stats');
const { progressLog, table } = require('./shared/report');

const { values: args } = (() => {
	try {
		return parseArgs({
			options: {
				reps: { type: 'string', default: '3' },
				calls: { type: 'string', default: '40' },
				'render-ms': { type: 'string', default: '3000' },
				only: { type: 'string', default: 'figures,modes' },
				out: { type: 'string', default: 'bench-production.json' },
				'no-build': { type: 'boolean', default: false },
				help: { type: 'boolean', default: false },
			},
		});
	} catch (error) {
		process.stderr.write(`${/** @type {Error} */ (error).message}\n`);
		process.exit(2);
	}
})();
if (args.help) {
	process.stdout.write('usage: node test/bench/production.js [--reps 3] [--calls 40] [--render-ms 3000] [--only figures,modes] [--out bench-production.json] [--no-build]\n');
	process.exit(0);
}
const REPS = Math.max(1, Number(args.reps));
const CALLS = Math.max(1, Number(args.calls));
const RENDER_MS = Number(args['render-ms']);
const ONLY = new Set(String(args.only).split(',').map((s) => s.trim()));
const OUT = path.resolve(String(args.out));

const TOKEN = 'mhk_live_bench_production_3e8b';
const SAMPLE_URL = 'https://cdn.example.com/voices/narrator.mp3';
const started = Date.now();
const log = progressLog('bench-production', started);
const quiet = () => {};

/** Seconds with one decimal, as the tables print them. @param {number} ms */
const seconds = (ms) => (ms / 1000).toFixed(1);
/** The median (min–max) of millisecond figures, in seconds; a single figure alone. @param {number[]} values */
const spread = (values) => stats.spread(stats.summary(values), seconds, seconds);

/** @param {string[]} lines */
const writeLines = (lines) => process.stdout.write(lines.map((line) => `${line}\n`).join(''));

/** @type {any} */
let simulator;

/**
 * `REPS` rounds of `CALLS` calls at once after one warm-up round of 5; every answer checked (audio, one create each).
 * @param {string} setup @param {string} url
 */
async function rounds(setup, url) {
	await load.fireAtOnce(url, load.cloneRequests(`warm${Date.now()}`, 5, SAMPLE_URL));
	const figures = [];
	for (let rep = 1; rep <= REPS; rep++) {
		const tag = `b${Date.now()}`;
		const round = await load.fireAtOnce(url, load.cloneRequests(tag, CALLS, SAMPLE_URL));
		const bad = round.results.map(load.checkAudio).filter((check) => !check.ok);
		const creates = simulator.jobs().filter((/** @type {any} */ job) => String(job.name).startsWith(`${tag}-`)).length;
		if (bad.length || creates !== CALLS) throw new Error(`${setup}: ${bad.length} bad answers (${bad[0]?.problem}), ${creates} creates for ${CALLS} calls`);
		const f = load.latencyFigures(round);
		log(`${setup} rep ${rep}: wall ${(f.wallMs / 1000).toFixed(1)} s, p50 ${(f.p50Ms / 1000).toFixed(1)} s, p95 ${(f.p95Ms / 1000).toFixed(1)} s`);
		figures.push(f);
	}
	return { setup, figures };
}

/** @param {string} tarball */
async function figures(tarball) {
	simulator.setOptions({ renderMs: RENDER_MS });
	const results = [];
	log('regular mode: starting n8n');
	const regular = await startRegular({ tarball, simulator, token: TOKEN, log: quiet, workflows: [workflows.webhookCloneWorkflow('benchClone')] });
	try {
		results.push(await rounds('regular mode (1 process)', regular.webhookUrl('clone')));
	} finally {
		await regular.stop();
	}
	const [redis, postgres] = await Promise.all([services.startRedis({ log: quiet }), services.startPostgres({ log: quiet })]);
	try {
		log('queue mode: starting main and worker 1');
		const queue = await startQueue({ tarball, simulator, token: TOKEN, log: quiet, redis, postgres, workers: 1, workflows: [workflows.webhookCloneWorkflow('benchClone')] });
		try {
			results.push(await rounds('queue mode, 1 worker (concurrency 10)', queue.webhookUrl('clone')));
			await queue.addWorker();
			results.push(await rounds('queue mode, 2 workers (concurrency 10 each)', queue.webhookUrl('clone')));
		} finally {
			await queue.stop();
		}
		// The flow mostly waits on Magic Hour, so a worker can hold many more executions than its default 10.
		log(`queue mode: starting main and one worker with --concurrency=${CALLS}`);
		const wide = await startQueue({
			tarball, simulator, token: TOKEN, log: quiet, redis, postgres, workers: 1, concurrency: CALLS,
			workflows: [workflows.webhookCloneWorkflow('benchClone')],
		});
		try {
			results.push(await rounds(`queue mode, 1 worker (concurrency ${CALLS})`, wide.webhookUrl('clone')));
		} finally {
			await wide.stop();
		}
	} finally {
		await Promise.all([redis.stop(), postgres.stop()]);
	}
	return results;
}

/**
 * Queue mode with each binary data mode: does the caller get the audio (URL sample, and a sample made by an
 * earlier node)? Every process has its own user folder, as on separate machines, unless the mode says shared.
 * @param {string} tarball
 */
async function modes(tarball) {
	simulator.setOptions({ renderMs: 1000 });
	const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-shared-binary-'));
	/** @type {Array<{ mode: string, env: Record<string, string> }>} */
	const variants = [
		{ mode: 'database (queue mode default)', env: {} },
		{ mode: 'filesystem, a folder per process', env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' } },
		{ mode: 'filesystem, one shared folder', env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', N8N_BINARY_DATA_STORAGE_PATH: shared } },
		{ mode: 'default (in memory, deprecated)', env: { N8N_DEFAULT_BINARY_DATA_MODE: 'default' } },
	];
	const results = [];
	try {
		for (const variant of variants) {
			const [redis, postgres] = await Promise.all([services.startRedis({ log: quiet }), services.startPostgres({ log: quiet })]);
			try {
				log(`binary data mode: ${variant.mode}`);
				const queue = await startQueue({
					tarball, simulator, token: TOKEN, log: quiet, redis, postgres, workers: 1, env: variant.env,
					workflows: [workflows.webhookCloneWorkflow('modeClone'), workflows.webhookBinarySampleWorkflow('modeBinary')],
				});
				try {
					const byUrl = await load.callWebhook(queue.webhookUrl('clone'), load.cloneRequests('mode', 1, SAMPLE_URL)[0]);
					const sample = generateWav({ durationSec: 2 });
					const byBinary = await load.callWebhook(queue.webhookUrl('clone-sample'), { text: 'Spoken from a posted sample.', sample_base64: sample.toString('base64'), name: 'mode-binary' });
					const records = [...(await queue.api.executions('modeClone')), ...(await queue.api.executions('modeBinary'))];
					const views = await Promise.all(records.map(async (record) => summary(await queue.api.execution(record.id))));
					/** @param {load.CallResult} r */
					const answer = (r) => {
						const check = load.checkAudio(r);
						return check.ok ? `${r.status}, audio ok` : `${r.status}: ${(JSON.parse(r.bytes.toString('utf8') || '{}').message ?? check.problem)}`;
					};
					results.push({ mode: variant.mode, urlSample: answer(byUrl), binarySample: answer(byBinary), executions: views.map((view) => view.status).join(', ') });
				} finally {
					await queue.stop();
				}
			} finally {
				await Promise.all([redis.stop(), postgres.stop()]);
			}
		}
	} finally {
		fs.rmSync(shared, { recursive: true, force: true });
	}
	return results;
}

async function main() {
	services.requireDebianPackages({ log });
	await runner.ensureN8n({ log });
	simulator = await startSimulator({ token: TOKEN, renderMs: RENDER_MS });
	const pack = await runner.packPackage({ build: !args['no-build'], log });
	/** @type {Record<string, unknown>} */
	const raw = { date: new Date().toISOString(), cpus: os.cpus().length, reps: REPS, calls: CALLS, renderMs: RENDER_MS };
	try {
		if (ONLY.has('figures')) {
			const results = await figures(pack.tarball);
			raw.figures = results;
			process.stdout.write(`\n### ${CALLS} webhook calls at once, render ${RENDER_MS / 1000} s (median of ${REPS}, min–max)\n\n`);
			const rows = results.map((r) => [r.setup, spread(r.figures.map((f) => f.wallMs)), spread(r.figures.map((f) => f.p50Ms)), spread(r.figures.map((f) => f.p95Ms))]);
			writeLines(table(['setup', 'wall time (s)', 'p50 latency (s)', 'p95 latency (s)'], rows));
		}
		if (ONLY.has('modes')) {
			const results = await modes(pack.tarball);
			raw.modes = results;
			process.stdout.write('\n### Binary data modes in queue mode (main + 1 worker)\n\n');
			const rows = results.map((r) => [r.mode, r.urlSample, r.binarySample, r.executions]);
			writeLines(table(['binary data mode', 'URL sample: caller gets', 'binary sample: caller gets', 'n8n records'], rows));
		}
	} finally {
		pack.cleanup();
		await simulator.close();
	}
	fs.writeFileSync(OUT, `${JSON.stringify(raw, null, 2)}\n`);
	log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; raw figures in ${OUT}`);
}

main().catch((error) => {
	process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
	process.exit(1);
});
