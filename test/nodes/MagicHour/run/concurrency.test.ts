/**
 * Concurrency in real workflows (n8n-core, the local simulator over HTTP, on the test clock): a number set
 * is a hard cap on the jobs at work, parts of long texts included; left unset, the run learns how many the
 * account allows, and what holds at a fixed number holds at any width: one create per item, outputs in
 * input order with pairedItem, the Stop button, long texts.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../../engine/harness';
import type { RunResult } from '../../../engine/harness';
import { cloneParameters, longProse } from '../../../builders';
import { FrozenClock, installClock, simulatorClock, testClock } from '../../../clock';
import { startSimulator } from '../../../simulator';
import type { Fault, Simulator, SimulatorOptions } from '../../../simulator';

const TOKEN = 'mhk_live_width_5b8e';
let simulator: Simulator;

beforeAll(async () => {
	// Real sockets: nock's pass-through breaks off the streamed downloads.
	nock.restore();
	simulator = await startSimulator({ token: TOKEN, clock: simulatorClock() });
});
afterAll(async () => await simulator.close());

/** Lines named `item-<index>` (each makes one job, named after it), or long texts every `longEvery` items. */
function lines(count: number, longEvery = 0): Array<{ json: IDataObject }> {
	return Array.from({ length: count }, (_, index) => ({
		json: {
			name: `item-${index}`,
			text: longEvery && index % longEvery === 0 ? longProse(2500) : `Line ${index} of the batch, spoken once.`,
		},
	}));
}

/** Clone Voice for `items`, waiting for each audio, with `options` (none: Concurrency unset, automatic). */
async function cloneBatch(items: Array<{ json: IDataObject }>, options: IDataObject, simulated: SimulatorOptions = {}): Promise<RunResult> {
	simulator.reset();
	simulator.setOptions({ renderMs: 30_000, renderVariation: 0, latencyMs: 0, faults: [], rateLimit: null, creditsPerCharacter: 0.05, credits: 100_000, ...simulated });
	return await runNode({
		credentials: { apiToken: TOKEN, baseUrl: simulator.url },
		parameters: cloneParameters({ prompt: '={{ $json.text }}', name: '={{ $json.name }}', waitForCompletion: true, options: { timeout: 3600, ...options } }),
		items,
		continueOnFail: true,
	});
}

/** The simulator's jobs by the item they were made for (the name it gave them). */
function jobsByItem(): Map<string, string[]> {
	const byItem = new Map<string, string[]>();
	for (const job of simulator.jobs()) {
		const item = /^item-\d+/.exec(job.name)![0];
		byItem.set(item, [...(byItem.get(item) ?? []), job.name]);
	}
	return byItem;
}

describe('a Concurrency set in the options is a hard cap on the jobs at work', () => {
	it.each([5, 1])('Concurrency %i: never more jobs at work, over a batch of 24 long renders', async (concurrency) => {
		const { output } = await cloneBatch(lines(24), { concurrency });
		expect(output.filter((item) => item.json.status === 'complete')).toHaveLength(24);
		expect(simulator.stats().maxJobsInFlight).toBe(concurrency);
	});

	it('counts each part of a long text as a job: Concurrency 5 with four texts of three parts has 5 at work', async () => {
		const { output } = await cloneBatch(lines(4, 1), { concurrency: 5, longText: 'split' });
		expect(output.map((item) => (item.json.parts as unknown[]).length)).toEqual([3, 3, 3, 3]);
		expect(simulator.jobs()).toHaveLength(12);
		expect(simulator.stats().maxJobsInFlight).toBe(5);
	});

	it('sends the parts of an earlier item before a later item; at Concurrency 1 one after another', async () => {
		const { output } = await cloneBatch(lines(3, 2), { concurrency: 1, longText: 'split' });
		expect(output.map((item) => item.json.status)).toEqual(['complete', 'complete', 'complete']);
		expect(simulator.jobs().map((job) => job.name)).toEqual([
			'item-0 (part 1 of 3)',
			'item-0 (part 2 of 3)',
			'item-0 (part 3 of 3)',
			'item-1',
			'item-2 (part 1 of 3)',
			'item-2 (part 2 of 3)',
			'item-2 (part 3 of 3)',
		]);
		expect(simulator.stats().maxJobsInFlight).toBe(1);
	});
});

describe('Concurrency not set: automatic', () => {
	it('starts 5 jobs, then more while Magic Hour accepts: the whole batch at once when nothing limits it', async () => {
		// Renders long enough that no job ends while the others start, however far the skipped waits move the clock.
		const { output } = await cloneBatch(lines(24), {}, { renderMs: 600_000 });
		expect(output.filter((item) => item.json.status === 'complete')).toHaveLength(24);
		expect(simulator.stats().maxJobsInFlight).toBe(24);
		const firstCreates = simulator.requests().filter((request) => request.route === 'create').slice(0, 5);
		expect(firstCreates.every((request) => request.status === 200)).toBe(true);
	});

	it('slows down under a tight request rate: few 429s, every item done with one create', async () => {
		const { output } = await cloneBatch(lines(30), {}, { renderMs: 5000, rateLimit: { perSecond: 3, burst: 3 } });
		expect(output.filter((item) => item.json.status === 'complete')).toHaveLength(30);
		expect([...jobsByItem().values()].every((jobs) => jobs.length === 1)).toBe(true);
		const api = simulator.requests().filter((request) => request.path.startsWith('/v1/'));
		const limited = api.filter((request) => request.rateLimited).length;
		expect(limited).toBeGreaterThan(0);
		expect(limited / api.length).toBeLessThan(0.25);
	});

	it('never sends a create twice for one item, with 429s, Retry-After and lost answers all over', async () => {
		const faults: Fault[] = [
			{ kind: '429', route: 'create', rate: 0.3 },
			{ kind: '429-retry-after', rate: 0.1 },
			{ kind: 'drop-after-create', rate: 0.1 },
		];
		const { output } = await cloneBatch(lines(40), {}, { renderMs: 3000, faults, rateLimit: { perSecond: 4, burst: 4, retryAfter: true } });
		expect(output).toHaveLength(40);
		const byItem = jobsByItem();
		expect([...byItem.values()].every((jobs) => jobs.length === 1)).toBe(true);
		const creates = simulator.requests().filter((request) => request.route === 'create');
		expect(creates.filter((request) => request.status === 429).length).toBeGreaterThan(10);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			// An item whose create answer was lost has a job it never saw: it says so, and was not sent again.
			if (item.json.error !== undefined) expect(item.json.error_description).toMatch(/may still have started a paid job/);
			else expect(byItem.get(`item-${index}`)).toHaveLength(1);
		});
		expect(output.filter((item) => item.json.error === undefined).length).toBeGreaterThan(25);
	});

	it('keeps input order and pairedItem with renders of different lengths and failed jobs', async () => {
		const { output } = await cloneBatch(lines(30), {}, { renderMs: 10_000, renderVariation: 0.9, faults: [{ kind: 'job-error', rate: 0.2 }] });
		expect(output).toHaveLength(30);
		const jobs = simulator.jobs();
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const job = jobs.find((each) => each.name === `item-${index}`)!;
			expect(item.json.id).toBe(job.id);
			expect(item.json.error === undefined).toBe(job.outcome === 'complete');
		});
		// Jobs ended in another order than the items came: the output is in input order all the same.
		const ends = [...jobs].sort((a, b) => a.doneAt - b.doneAt).map((job) => job.name);
		expect(ends).not.toEqual(jobs.map((job) => job.name));
	});

	it('runs long texts and short ones side by side, with no part waiting for a permit its own item holds', async () => {
		const { output } = await cloneBatch(lines(9, 3), { longText: 'split' }, { renderMs: 4000, rateLimit: { perSecond: 2, burst: 2 } });
		expect(output.map((item) => item.json.status)).toEqual(new Array(9).fill('complete'));
		expect(simulator.jobs()).toHaveLength(3 * 3 + 6);
		expect([...jobsByItem().entries()].every(([, jobs]) => new Set(jobs).size === jobs.length)).toBe(true);
	});

	it('stops everything at once when the execution is stopped: no create and no look after it', async () => {
		// A simulator on the real clock, its answers held back 250 ms of real time: the batch is still starting when
		// the execution is stopped (on the test clock the hold-back would pass at once).
		const held = await startSimulator({ token: TOKEN, renderMs: 60_000, latencyMs: 250 });
		try {
			// Waits end only when the execution is stopped: a wait that ignored the stop would hang here.
			installClock(new FrozenClock());
			const { run } = await runNode({
				credentials: { apiToken: TOKEN, baseUrl: held.url },
				parameters: cloneParameters({ prompt: '={{ $json.text }}', name: '={{ $json.name }}', waitForCompletion: true }),
				items: lines(120),
				cancelAfterMs: 500,
			});
			expect(run.status).toBe('canceled');
			const sent = held.requests().length;
			expect(held.requests().filter((request) => request.route === 'get')).toEqual([]);
			expect(held.jobs().length).toBeLessThan(120);
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect(held.requests()).toHaveLength(sent);
		} finally {
			await held.close();
		}
	});
});
