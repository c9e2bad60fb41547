'use strict';
// @ts-check
/**
 * What every scenario runs with: the n8n home holding the package and the imported workflows, the simulator,
 * the settings of this run, and the helpers that run one workflow, set the simulator up and check results.
 */
const fs = require('node:fs');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');

const runner = require('../../n8n/n8n-runner');
/** @type {{ createWavStream(o: { totalBytes: number }): import('node:stream').Readable }} */
const wav = /** @type {any} */ (require('../../simulator/wav')); // createWavStream is in wav.js, not (yet) in wav.d.ts
const { watchPeakRss } = require('./proc-peak');

const MIB = 1024 * 1024;

/** @typedef {import('../../n8n/n8n-runner').N8nHome} N8nHome */
/**
 * Scenario 8's settings (`--width-…`).
 * @typedef {object} WidthSettings
 * @property {string[]} parts `matrix`, `claims`, `memory`
 * @property {number[]} sizes items per run in the matrix
 * @property {Array<'none' | 'generous' | 'tight'>} limits the account limits of the matrix
 * @property {number[]} sweep the fixed Concurrency values tried (all items at once is always tried)
 * @property {number} reps runs of automatic and the best fixed number per matrix cell
 * @property {number} claimReps runs of automatic and Concurrency 5 for the 60 × 5 s claims
 * @property {boolean} refine try the geometric middles around the best fixed number
 */
/** @typedef {Awaited<ReturnType<typeof import('../../simulator').startSimulator>>} Simulator */
/** @typedef {{ target: string, measured: string, ok: boolean | null }} Target */
/** What a scenario gives back: raw figures for the JSON file, its markdown section, its targets. */
/** @typedef {{ raw: any, markdown: string, targets: Target[] }} ScenarioResult */

/**
 * @typedef {object} Settings
 * @property {{ createItems: number, fullItems: number, pollRendersMs: number[], pollJobs: number, pollBatches: import('../scenarios/3-polling').PollBatch[], pollBatchReps: number, memMiB: number[], sharedItems: number, sharedMiB: number, width: WidthSettings }} cfg
 *   sizes (`--quick` makes them smaller)
 * @property {number} reps          `--reps`
 * @property {number} seqReps       `--seq-reps`
 * @property {string} token         the simulator's API token
 * @property {(msg: string) => void} log
 * @property {N8nHome} home         the package installed, the credential and the workflows imported
 * @property {Simulator} sim
 * @property {Record<string, string>} n8nEnv   n8n settings for every `n8n execute`
 * @property {string} n8nInstallDir the n8n install (`ensureN8n().installDir`)
 * @property {(prefix: string) => string} tempDir  a temp folder removed when the run ends
 */

/** @param {unknown} cond @param {string} msg */
function check(cond, msg) {
	if (!cond) throw new Error(`check failed: ${msg}`);
}

/**
 * The order of `variants` in repetition `rep`: as given, reversed every other repetition, so that whatever
 * drifts during a run weighs on every variant alike.
 * @template T @param {readonly T[]} variants @param {number} rep @returns {readonly T[]}
 */
const ordered = (variants, rep) => (rep % 2 ? [...variants].reverse() : variants);

/**
 * `reps` repetitions of `measure(variant, rep)` for every variant, in alternating order (see `ordered`).
 * `variants` may depend on the repetition.
 * @template T
 * @param {number} reps @param {readonly T[] | ((rep: number) => readonly T[])} variants
 * @param {(variant: T, rep: number) => Promise<void>} measure
 */
async function alternate(reps, variants, measure) {
	for (let rep = 0; rep < reps; rep++) {
		for (const variant of ordered(typeof variants === 'function' ? variants(rep) : variants, rep)) await measure(variant, rep);
	}
}

/** A WAV file of `bytes` bytes, streamed to disk. @param {string} file @param {number} bytes */
async function writeWav(file, bytes) {
	await pipeline(wav.createWavStream({ totalBytes: bytes }), fs.createWriteStream(file));
}

/** @param {Settings} settings */
function createSession(settings) {
	const { home, sim } = settings;

	/**
	 * `n8n execute` of an imported workflow, which must succeed; with `peak`, the peak RSS of that process.
	 * @param {string} id
	 * @param {{ timeoutMs?: number, inHome?: N8nHome, peak?: boolean }} [options]
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
		const r = await runner.executeWorkflow(target, id, { env: settings.n8nEnv, timeoutMs: options.timeoutMs ?? 180_000 });
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

	/**
	 * The simulator's state for the next run: `options` over the defaults, so that nothing an earlier scenario set
	 * (a render model, an account limit) carries over. @param {import('../../simulator').SimulatorOptions} options
	 */
	function simulate(options) {
		sim.setOptions({
			renderMs: 3000,
			renderMsPerCharacter: 0,
			renderVariation: 0,
			queueMs: 0,
			latencyMs: 0,
			resultBytes: null,
			maxUploadBytes: 200 * MIB,
			rateLimit: null,
			renderSlots: null,
			...options,
		});
		sim.reset();
	}

	/** Binary data n8n stored for earlier runs (filesystem mode): removed so big runs do not fill the disk. */
	function dropStoredBinaries(target = home) {
		fs.rmSync(path.join(target.dir, '.n8n', 'storage', 'workflows'), { recursive: true, force: true });
	}

	return { ...settings, execute, simulate, dropStoredBinaries };
}

/** @typedef {ReturnType<typeof createSession>} Bench */

module.exports = { MIB, check, ordered, alternate, writeWav, createSession };
