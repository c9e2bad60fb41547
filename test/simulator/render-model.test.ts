/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The simulator's render model (render-model.js): render times that grow with the prompt and vary from job
 * to job by a seeded factor, an optional queue delay, and the clock they follow. Jobs are read on a clock the
 * test moves by hand, so nothing here waits for a render.
 */
import { ManualClock, startSimulator } from './index';
import type { Simulator, SimulatorOptions } from './index';

const { parseArgs } = require('./cli') as { parseArgs(argv: string[]): { options: SimulatorOptions } };

const TOKEN = 'mhk_render_model';
const clock = new ManualClock(1_000_000);
let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ token: TOKEN, clock });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.setOptions({ renderMs: 3000, renderMsPerCharacter: 0, renderVariation: 0, queueMs: 0, seed: 1, faults: [] });
	sim.reset();
});

const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

async function create(prompt: string): Promise<string> {
	const body = { assets: { audio_file_path: 'https://example.com/voice.mp3' }, style: { prompt } };
	const res = await fetch(`${sim.url}/v1/ai-voice-cloner`, { method: 'POST', headers, body: JSON.stringify(body) });
	expect(res.status).toBe(200);
	return ((await res.json()) as { id: string }).id;
}

async function status(id: string): Promise<string> {
	const res = await fetch(`${sim.url}/v1/audio-projects/${id}`, { headers });
	return ((await res.json()) as { status: string }).status;
}

/** Prompts of 20, 120, … 920 characters. */
const prompts = Array.from({ length: 10 }, (_, index) => `${index}`.padEnd(20 + index * 100, ' words'));

/** The render times the simulator gives these prompts, in the order they were created. */
async function renderTimes(list: string[]): Promise<number[]> {
	sim.reset();
	for (const prompt of list) await create(prompt);
	return sim.jobs().map((job) => job.renderMs);
}

describe('render times', () => {
	it('renderMs alone: every job takes exactly renderMs, with no queue delay, as before', async () => {
		for (const renderMs of [0, 750, 42_000]) {
			sim.setOptions({ renderMs });
			sim.reset();
			for (const prompt of prompts.slice(0, 3)) await create(prompt);
			for (const job of sim.jobs()) {
				expect(job).toMatchObject({ queueMs: 0, renderMs, doneAt: job.createdAt + renderMs });
			}
		}
	});

	it('grow with the prompt: renderMs plus renderMsPerCharacter per code point', async () => {
		sim.setOptions({ renderMs: 2000, renderMsPerCharacter: 35 });
		const times = await renderTimes([...prompts, '😀'.repeat(100)]);
		expect(times).toEqual([...prompts.map((prompt) => 2000 + 35 * prompt.length), 2000 + 35 * 100]);
	});

	it.each([0.1, 0.3, 0.5])('vary from job to job within ±%s, the same for the same items in another run', async (variation) => {
		sim.setOptions({ renderMs: 1000, renderMsPerCharacter: 40, renderVariation: variation });
		const times = await renderTimes(prompts);
		const factors = times.map((ms, index) => ms / (1000 + 40 * prompts[index].length));
		for (const factor of factors) {
			expect(factor).toBeGreaterThanOrEqual(1 - variation - 0.001);
			expect(factor).toBeLessThanOrEqual(1 + variation + 0.001);
		}
		// spread, not one factor for all
		expect(Math.max(...factors) - Math.min(...factors)).toBeGreaterThan(variation / 2);
		// the same items in another order get the same times; the same prompt twice gets two draws
		const reversed = await renderTimes([...prompts].reverse());
		expect(reversed.reverse()).toEqual(times);
		const twice = await renderTimes([prompts[3], prompts[3], prompts[3]]);
		expect(new Set(twice).size).toBe(3);
		expect(twice[0]).toBe(times[3]);
	});

	it('another seed draws other times', async () => {
		sim.setOptions({ renderMsPerCharacter: 40, renderVariation: 0.3, seed: 1 });
		const first = await renderTimes(prompts);
		sim.setOptions({ seed: 2 });
		const second = await renderTimes(prompts);
		expect(second).not.toEqual(first);
	});

	it('draws without touching the fault PRNG: the same faults with and without variation', async () => {
		const faultsSeen = async (renderVariation: number) => {
			sim.setOptions({ renderVariation, faults: [{ kind: 'job-error', route: 'create', rate: 0.5 }] });
			sim.reset();
			for (const prompt of prompts) await create(prompt);
			return sim.jobs().map((job) => job.outcome);
		};
		expect(await faultsSeen(0.3)).toEqual(await faultsSeen(0));
	});
});

describe('a job follows its times on the simulator clock', () => {
	it.each([
		{ renderMs: 4000, renderMsPerCharacter: 0, renderVariation: 0, queueMs: 0 },
		{ renderMs: 1000, renderMsPerCharacter: 30, renderVariation: 0.3, queueMs: 0 },
		{ renderMs: 1000, renderMsPerCharacter: 30, renderVariation: 0.3, queueMs: 20_000 },
	])('queued, rendering after its queue delay and a tenth of its render, complete at doneAt (%o)', async (options) => {
		sim.setOptions(options);
		for (const prompt of prompts.slice(0, 4)) {
			const id = await create(prompt);
			const job = sim.jobs().find((candidate) => candidate.id === id)!;
			expect(job.doneAt).toBe(job.createdAt + job.queueMs + job.renderMs);
			expect(job.queueMs).toBeLessThanOrEqual(options.queueMs);
			const renderingAt = job.createdAt + job.queueMs + Math.ceil(job.renderMs * 0.1);
			const to = (at: number) => clock.advance(at - clock.now());
			expect(await status(id)).toBe('queued');
			await to(renderingAt - 1);
			expect(await status(id)).toBe('queued');
			await to(renderingAt);
			expect(await status(id)).toBe('rendering');
			await to(job.doneAt - 1);
			expect(await status(id)).toBe('rendering');
			await to(job.doneAt);
			expect(await status(id)).toBe('complete');
		}
		// the request log says when each look came (on the same clock) and what it answered
		const looks = sim.requests().filter((request) => request.route === 'get');
		expect(looks.map((look) => look.projectStatus).slice(0, 5)).toEqual(['queued', 'queued', 'rendering', 'rendering', 'complete']);
		expect(looks[4].at).toBe(sim.jobs()[0].doneAt);
	});

	it('queueMs draws a different delay per job, up to queueMs', async () => {
		sim.setOptions({ queueMs: 10_000 });
		for (const prompt of prompts) await create(prompt);
		const delays = sim.jobs().map((job) => job.queueMs);
		expect(Math.max(...delays)).toBeLessThanOrEqual(10_000);
		expect(new Set(delays).size).toBeGreaterThan(5);
	});
});

describe('options', () => {
	it('refuses a variation of 1 or more, negative times, and a clock changed on a running simulator', () => {
		expect(() => sim.setOptions({ renderVariation: 1 })).toThrow(/renderVariation/);
		expect(() => sim.setOptions({ renderVariation: -0.1 })).toThrow(/renderVariation/);
		expect(() => sim.setOptions({ renderMsPerCharacter: -1 })).toThrow(/renderMsPerCharacter/);
		expect(() => sim.setOptions({ queueMs: -5 })).toThrow(/queueMs/);
		expect(() => sim.setOptions({ clock: new ManualClock() })).toThrow(/clock cannot be changed/);
	});

	it('has command-line flags', () => {
		const { options } = parseArgs(['--render-ms', '3000', '--render-ms-per-character', '37', '--render-variation', '0.3', '--queue-ms=5000']);
		expect(options).toMatchObject({ renderMs: 3000, renderMsPerCharacter: 37, renderVariation: 0.3, queueMs: 5000 });
	});
});
