/**
 * The learnt poll schedule in real workflows (n8n-core, the local simulator over HTTP): render times that
 * grow with the prompt and vary from job to job, a queue delay, failed jobs. The simulator follows the
 * test clock, so a 40 s render ends after 40 s of skipped waits and nothing sleeps; every request takes
 * LATENCY_MS on it, as requests to Magic Hour take time. No render time is fixed: every batch draws its
 * own from a seed.
 */
import nock from 'nock';

import { pollInterval, todaysLooksUntil, todaysPauseAt } from '../../../../nodes/MagicHour/run/polling';
import { MIN_FINISHED_JOBS } from '../../../../nodes/MagicHour/run/renderTimes';
import { runNode } from '../../../engine/harness';
import { cloneParameters } from '../../../builders';
import { lines as prompts } from '../../../prose';
import { simulatorClock, testClock } from '../../../clock';
import { startSimulator } from '../../../simulator';
import type { Fault, Simulator, SimulatorOptions } from '../../../simulator';

const TOKEN = 'mhk_live_learning_7c2e';
/** The time every request takes on the test clock: the simulator's latency of the benchmark's full-job scenario. */
const LATENCY_MS = 50;
/** The audio of every job: a short WAV. What is checked here is when each job is looked at, not its audio (1000 characters would be 1.9 MB). */
const RESULT_BYTES = 4096;
let simulator: Simulator;

beforeAll(async () => {
	// Real sockets, as the hostile-answers tests use: nock's pass-through breaks off the streamed downloads.
	nock.restore();
	simulator = await startSimulator({ token: TOKEN, clock: simulatorClock() });
});
afterAll(async () => await simulator.close());

interface SeenJob {
	/** From the create to the end of the render, queue included (the simulator's clock). */
	renderMs: number;
	looks: number;
	/** From the end of the render to the first look that saw it complete. */
	lagMs: number;
}

/** Clones `texts` with the render model in `render`; every job as the simulator saw it, in the order they were created. */
async function batch(
	texts: string[],
	render: SimulatorOptions,
	options: { concurrency: number; faults?: Fault[] },
): Promise<{ jobs: SeenJob[]; failed: number }> {
	simulator.reset();
	simulator.setOptions({ resultBytes: RESULT_BYTES, latencyMs: LATENCY_MS, renderMs: 0, renderMsPerCharacter: 0, renderVariation: 0, queueMs: 0, seed: 1, faults: [], ...render, ...(options.faults ? { faults: options.faults } : {}) });
	const { output, error } = await runNode({
		credentials: { apiToken: TOKEN, baseUrl: simulator.url },
		parameters: cloneParameters({ prompt: '={{ $json.text }}', waitForCompletion: true, options: { concurrency: options.concurrency, timeout: 3600 } }),
		items: texts.map((text) => ({ json: { text } })),
		continueOnFail: true,
	});
	expect(error).toBeUndefined();
	const gets = simulator.requests().filter((request) => request.route === 'get');
	const jobs = simulator
		.jobs()
		.sort((a, b) => a.createdAt - b.createdAt)
		.filter((job) => job.outcome === 'complete')
		.map((job) => {
			const looks = gets.filter((request) => request.path === `/v1/audio-projects/${job.id}`);
			const seen = looks.find((look) => look.projectStatus === 'complete');
			expect(seen).toBeDefined();
			return { renderMs: job.doneAt - job.createdAt, looks: looks.length, lagMs: seen!.at - job.doneAt };
		});
	expect(output.filter((item) => item.json.status === 'complete')).toHaveLength(jobs.length);
	return { jobs, failed: output.filter((item) => item.json.error).length };
}

/** What today's schedule would have done with the same job. */
function today(job: SeenJob): { looks: number; lagMs: number } {
	const looks = todaysLooksUntil(job.renderMs);
	let seenAt = 0;
	for (let look = 0; look < looks; look++) seenAt += pollInterval(look);
	return { looks, lagMs: seenAt - job.renderMs };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** Each look takes LATENCY_MS on top of the skipped waits. */
const HTTP_SLACK_MS = 300;

/** Concurrency 1 keeps the skipped time faithful: with items side by side, one item's skipped wait may pass while another's request is on the way. */
describe('a run learns render times and looks at later jobs around their expected end', () => {
	/** Jobs after the first MIN_FINISHED_JOBS, compared with today's schedule for the same render times. */
	function compare(later: SeenJob[]) {
		const todays = later.map(today);
		return {
			looks: sum(later.map((job) => job.looks)),
			todaysLooks: sum(todays.map((job) => job.looks)),
			lag: median(later.map((job) => job.lagMs)),
			todaysLag: median(todays.map((job) => job.lagMs)),
		};
	}

	it('renders of 5 to 40 s, ±30 % from job to job: later jobs seen in less than half today\'s delay, at fewer looks', async () => {
		const later: SeenJob[] = [];
		for (const seed of [1, 2, 3]) {
			const { jobs } = await batch(prompts(15, 54, 1000), { renderMs: 3000, renderMsPerCharacter: 37, renderVariation: 0.3, seed }, { concurrency: 1 });
			expect(jobs).toHaveLength(15);
			// every job, also those far from what was expected, within twice today's pause
			for (const job of jobs) expect(job.lagMs).toBeLessThanOrEqual(2 * todaysPauseAt(job.renderMs) + HTTP_SLACK_MS);
			later.push(...jobs.slice(MIN_FINISHED_JOBS));
		}
		const figures = compare(later);
		expect(figures.looks).toBeLessThanOrEqual(figures.todaysLooks);
		expect(figures.lag).toBeLessThan(figures.todaysLag / 2);
	}, 60_000);

	it('renders of 60 to 120 s: later jobs seen sooner, at no more looks', async () => {
		const later: SeenJob[] = [];
		for (const seed of [4, 5]) {
			const { jobs } = await batch(prompts(10, 143, 1000), { renderMs: 50_000, renderMsPerCharacter: 70, renderVariation: 0.3, seed }, { concurrency: 1 });
			for (const job of jobs) expect(job.lagMs).toBeLessThanOrEqual(2 * todaysPauseAt(job.renderMs) + HTTP_SLACK_MS);
			later.push(...jobs.slice(MIN_FINISHED_JOBS));
		}
		const figures = compare(later);
		expect(figures.looks).toBeLessThanOrEqual(figures.todaysLooks);
		expect(figures.lag).toBeLessThan(figures.todaysLag);
	}, 60_000);

	it('a queue delay of up to 30 s, longer than many renders: every job still seen within twice today\'s pause', async () => {
		const { jobs } = await batch(prompts(12, 40, 600), { renderMs: 2000, renderMsPerCharacter: 30, renderVariation: 0.3, queueMs: 30_000, seed: 6 }, { concurrency: 1 });
		expect(jobs).toHaveLength(12);
		for (const job of jobs) expect(job.lagMs).toBeLessThanOrEqual(2 * todaysPauseAt(job.renderMs) + HTTP_SLACK_MS);
	}, 60_000);

	it('25 items at Concurrency 5, as a user\'s batch runs: the jobs after the first round seen sooner, at no more looks', async () => {
		const { jobs } = await batch(prompts(25, 54, 1000), { renderMs: 3000, renderMsPerCharacter: 37, renderVariation: 0.3, seed: 8 }, { concurrency: 5 });
		expect(jobs).toHaveLength(25);
		const figures = compare(jobs.slice(5));
		expect(figures.looks).toBeLessThanOrEqual(figures.todaysLooks);
		expect(figures.lag).toBeLessThan(figures.todaysLag);
	}, 60_000);
});

describe("today's schedule while nothing is learnt", () => {
	const todaysPauses = new Set(Array.from({ length: 12 }, (_, look) => pollInterval(look)));

	it.each([
		[80, 1],
		[500, 2],
		[950, 3],
	])('a single item of %i characters (seed %i) is looked at on today\'s schedule', async (characters, seed) => {
		const { jobs } = await batch(prompts(2, characters, characters).slice(0, 1), { renderMs: 2000, renderMsPerCharacter: 37, renderVariation: 0.3, seed }, { concurrency: 1 });
		expect(jobs).toHaveLength(1);
		expect(testClock().waits).toEqual(Array.from({ length: jobs[0].looks }, (_, look) => pollInterval(look)));
	});

	it('failed jobs teach nothing: after four failures and two completions, the seventh job still follows today', async () => {
		const texts = prompts(8, 100, 800);
		const render = { renderMs: 2000, renderMsPerCharacter: 37, renderVariation: 0.3, seed: 7 };
		const faults: Fault[] = [{ kind: 'job-error', route: 'create', times: 4 }];
		const { jobs, failed } = await batch(texts.slice(0, 7), render, { concurrency: 1, faults });
		expect(failed).toBe(4);
		expect(jobs).toHaveLength(3);
		expect(testClock().waits.every((ms) => todaysPauses.has(ms))).toBe(true);
		// the control: once three jobs completed, the eighth is planned from them
		await batch(texts, render, { concurrency: 1, faults });
		expect(testClock().waits.some((ms) => !todaysPauses.has(ms))).toBe(true);
	});
});
