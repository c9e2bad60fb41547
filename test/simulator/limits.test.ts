/**
 * The account's limits in the simulator: its request rate (rate-limit.js) and its render slots
 * (render-slots.js), on a clock the test moves by hand.
 */
import { startSimulator } from './index';
import type { Simulator, SimulatorOptions } from './index';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseArgs } = require('./cli') as { parseArgs: (argv: string[]) => { options: SimulatorOptions } };

let now = 1_000_000;
let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ token: 'mhk_limits', clock: { now: () => now } });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.setOptions({ rateLimit: null, renderSlots: null, renderMs: 1000, faults: [] });
	sim.reset();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; retryAfter: string | null; json: any }> {
	const response = await fetch(sim.url + path, {
		method,
		headers: { Authorization: `Bearer ${sim.token}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, retryAfter: response.headers.get('retry-after'), json: text ? JSON.parse(text) : undefined };
}

const account = async () => await call('GET', '/v1/account');
const create = async (prompt: string) =>
	await call('POST', '/v1/ai-voice-cloner', { assets: { audio_file_path: 'https://example.com/v.mp3' }, style: { prompt } });

describe('request rate', () => {
	it('lets a burst through, then answers 429 rate_limited until tokens come back; a refused request takes none', async () => {
		sim.setOptions({ rateLimit: { perSecond: 2, burst: 3 } });
		sim.reset();
		expect((await Promise.all([account(), account(), account()])).map((answer) => answer.status)).toEqual([200, 200, 200]);
		const refused = await account();
		expect(refused).toMatchObject({ status: 429, retryAfter: null, json: { code: 'rate_limited' } });
		expect((await account()).status).toBe(429);
		now += 500; // one token at 2 a second
		expect((await account()).status).toBe(200);
		expect((await account()).status).toBe(429);
		now += 10_000; // the bucket holds no more than its burst
		expect((await Promise.all([1, 2, 3, 4].map(async () => (await account()).status))).sort()).toEqual([200, 200, 200, 429]);

		expect(sim.stats().rateLimited).toBe(4);
		const log = sim.requests();
		expect(log.filter((request) => request.rateLimited)).toHaveLength(4);
		expect(log.filter((request) => request.rateLimited).every((request) => request.status === 429 && request.fault === null)).toBe(true);
	});

	it('counts creates and looks alike, and makes no job for a refused create', async () => {
		sim.setOptions({ rateLimit: { perSecond: 1, burst: 1 } });
		sim.reset();
		const created = await create('One.');
		expect(created.status).toBe(200);
		expect((await call('GET', `/v1/audio-projects/${created.json.id}`)).status).toBe(429);
		expect((await create('Two.')).status).toBe(429);
		expect(sim.jobs()).toHaveLength(1);
	});

	it('says when to come back with Retry-After when asked to: whole seconds until the next token', async () => {
		sim.setOptions({ rateLimit: { perSecond: 0.4, burst: 1, retryAfter: true } });
		sim.reset();
		expect((await account()).status).toBe(200);
		expect(await account()).toMatchObject({ status: 429, retryAfter: '3' });
		now += 2000;
		expect(await account()).toMatchObject({ status: 429, retryAfter: '1' });
	});

	it('leaves signed links alone: they are storage, not the API', async () => {
		sim.setOptions({ rateLimit: { perSecond: 1, burst: 1 }, renderMs: 0 });
		sim.reset();
		const created = await create('Three.');
		now += 1000;
		const project = await call('GET', `/v1/audio-projects/${created.json.id}`);
		expect(project.json.status).toBe('complete');
		for (let download = 0; download < 3; download++) expect((await fetch(project.json.downloads[0].url)).status).toBe(200);
		expect(sim.stats().rateLimited).toBe(0);
	});

	it('starts full after reset() and after a new rate; null removes it', async () => {
		sim.setOptions({ rateLimit: { perSecond: 1, burst: 2 } });
		sim.reset();
		await account();
		await account();
		expect((await account()).status).toBe(429);
		sim.reset();
		expect((await account()).status).toBe(200);
		sim.setOptions({ rateLimit: { perSecond: 1, burst: 1 } });
		expect((await account()).status).toBe(200);
		expect((await account()).status).toBe(429);
		sim.setOptions({ rateLimit: null });
		expect((await Promise.all([1, 2, 3, 4, 5].map(account))).every((answer) => answer.status === 200)).toBe(true);
	});

	it.each([{ perSecond: 0 }, { perSecond: 2, burst: 0.5 }, { perSecond: 2, retryAfter: 'yes' }, { perSecond: 2, per: 1 }])(
		'refuses the option %j',
		(rateLimit) => {
			expect(() => sim.setOptions({ rateLimit: rateLimit as never })).toThrow(/invalid simulator option rateLimit/);
		},
	);
});

describe('render slots', () => {
	it('keeps a job queued until a slot frees, first come first served', async () => {
		sim.setOptions({ renderSlots: 2, renderMs: 1000 });
		sim.reset();
		const ids: string[] = [];
		for (const prompt of ['A.', 'B.', 'C.', 'D.', 'E.']) ids.push((await create(prompt)).json.id);
		const queueMs = () => ids.map((id) => sim.jobs().find((job) => job.id === id)!.queueMs);
		expect(queueMs()).toEqual([0, 0, 1000, 1000, 2000]);
		const status = async (id: string) => (await call('GET', `/v1/audio-projects/${id}`)).json.status;
		now += 500;
		expect(await status(ids[2])).toBe('queued');
		expect(sim.jobsInFlight()).toBe(5);
		now += 1000;
		expect([await status(ids[0]), await status(ids[2]), await status(ids[4])]).toEqual(['complete', 'rendering', 'queued']);
		now += 1000;
		expect(await status(ids[3])).toBe('complete');
		// every slot free again: a new job renders at once
		now += 1000;
		expect((await create('F.')).status).toBe(200);
		expect(sim.jobs().at(-1)!.queueMs).toBe(0);
	});

	it('renders every job at once without slots', async () => {
		for (const prompt of ['A.', 'B.', 'C.']) await create(prompt);
		expect(sim.jobs().map((job) => job.queueMs)).toEqual([0, 0, 0]);
	});
});

describe('the command line', () => {
	it('reads the request rate and the render slots', () => {
		expect(parseArgs(['--rate-limit', '3', '--rate-burst=5', '--rate-retry-after', '--render-slots', '4']).options).toMatchObject({
			rateLimit: { perSecond: 3, burst: 5, retryAfter: true },
			renderSlots: 4,
		});
		expect(parseArgs(['--rate-limit', '3']).options.rateLimit).toEqual({ perSecond: 3 });
		expect(() => parseArgs(['--rate-burst', '3'])).toThrow('--rate-burst and --rate-retry-after need --rate-limit');
		expect(() => parseArgs(['--rate-limit', 'fast'])).toThrow('--rate-limit: "fast" is not a number');
	});
});
