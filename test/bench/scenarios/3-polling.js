'use strict';
// @ts-check
/**
 * Scenario 3, the polling cost: `cfg.pollJobs` jobs per render time in `cfg.pollRendersMs`, one run each, real
 * time; GETs of `/v1/audio-projects/:id` per job from the simulator's request log, and how long after the
 * render ended the node saw `complete` (its last GET).
 */
const wf = require('../../n8n/workflows');
const { cloneItemsWorkflow } = require('../shared/workflows');
const { check } = require('../shared/session');
const { summary, spread, sec, verdict } = require('../shared/stats');
const { table } = require('../shared/report');

/** @param {import('../shared/session').Bench} bench */
function workflows(bench) {
	return [cloneItemsWorkflow('b3Poll', 'Bench 3 polling', bench.cfg.pollJobs, { waitForCompletion: true, options: {} })];
}

/** @param {import('../shared/session').Bench} bench @returns {Promise<import('../shared/session').ScenarioResult>} */
async function run(bench) {
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

module.exports = { workflows, run };
