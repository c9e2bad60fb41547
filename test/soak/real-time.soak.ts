/**
 * The simulator's waits on the wall clock, as the CLI, `npm run dev` and the real-n8n suites run it. The
 * unit tests (test/simulator/*.test.ts) pass the same renders, latency, drips, webhook answer deadlines and
 * retry pauses on a clock they move; here each takes its real time, measured with Date.now(). A timer may
 * end up to 1 ms before Date.now() says it is due, and a loaded machine only adds time: lower bounds are
 * the waits, upper bounds what a wait must come before (an answer the receiver holds back for longer).
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import { startSimulator } from '../simulator';
import type { AudioProject, Simulator, SimulatorOptions } from '../simulator';
import { until } from '../until';

const TOKEN = 'mhk_live_wall_clock_5b1d';
/** What a timer may be early by, as Date.now() measures it. */
const EARLY_MS = 1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Received {
	type: string;
	downloadUrl: string | undefined;
	at: number;
	/** Whether the simulator cut the request before it was answered. */
	aborted: boolean;
}

/** A webhook endpoint whose answers the test writes: `handler(received, n, answer)`. */
class Receiver {
	readonly received: Received[] = [];
	handler: (received: Received, n: number, answer: (status: number) => void) => void | Promise<void> = (_r, _n, answer) => answer(200);
	url = '';
	private readonly server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; payload?: AudioProject };
			const received: Received = { type: event.type, downloadUrl: event.payload?.downloads[0]?.url, at: Date.now(), aborted: false };
			res.on('close', () => {
				if (!res.writableFinished) received.aborted = true;
			});
			this.received.push(received);
			const answer = (status: number) => {
				if (!res.destroyed && !res.headersSent) res.writeHead(status).end();
			};
			void this.handler(received, this.received.length - 1, answer);
		});
	});

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}

const receiver = new Receiver();
let simulator: Simulator;
const base: SimulatorOptions = { renderMs: 200, latencyMs: 0, faults: [], webhookEvents: ['audio.completed'], webhookRetryMs: 100, webhookRetryFactor: 2, webhookMaxAttempts: 4 };

beforeAll(async () => {
	await receiver.start();
	simulator = await startSimulator({ token: TOKEN });
});
afterAll(async () => {
	await simulator?.close();
	await receiver.close();
});
beforeEach(() => {
	simulator.reset();
	simulator.setOptions({ ...base, webhookUrl: null });
	receiver.received.length = 0;
	receiver.handler = (_r, _n, answer) => answer(200);
});

const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

async function look(id: string): Promise<string> {
	const res = await fetch(`${simulator.url}/v1/audio-projects/${id}`, { headers });
	return ((await res.json()) as AudioProject).status;
}

const attempts = () => simulator.webhookDeliveries();
const settled = () => until('the deliveries to settle', () => simulator.stats().webhooks.events > 0 && simulator.stats().webhooks.pending === 0);

describe('the simulator on the wall clock', () => {
	it('a job renders for renderMs after its create, and every answer waits latencyMs', async () => {
		simulator.setOptions({ renderMs: 2000, latencyMs: 100 });
		const { id } = await simulator.createJob({ prompt: 'On the wall clock.' });
		const job = simulator.jobs()[0];
		expect(job.doneAt - job.createdAt).toBe(2000);
		expect(await look(id)).not.toBe('complete');
		await sleep(Math.max(0, job.doneAt - Date.now()));
		expect(await look(id)).toBe('complete');
		const requests = simulator.requests();
		expect(requests.map((request) => request.projectStatus)).toEqual([null, expect.stringMatching(/^(queued|rendering)$/), 'complete']);
		// no look was answered complete before the render's end
		for (const request of requests.filter((r) => r.projectStatus === 'complete')) expect(request.endedAt!).toBeGreaterThanOrEqual(job.doneAt - EARLY_MS);
		for (const request of requests) expect(request.endedAt! - request.at).toBeGreaterThanOrEqual(100 - EARLY_MS);
	});

	it('a slow-drip download sends dripBytes every dripMs', async () => {
		simulator.setOptions({ renderMs: 0 });
		const { id } = await simulator.createJob({ prompt: 'Dripping.' });
		const project = (await (await fetch(`${simulator.url}/v1/audio-projects/${id}`, { headers })).json()) as AudioProject;
		simulator.setOptions({ faults: [{ kind: 'slow-drip', route: 'download' }], dripMs: 100, dripBytes: 2 });
		const res = await fetch(project.downloads[0].url);
		const reader = res.body!.getReader();
		const started = Date.now();
		let bytes = 0;
		while (bytes < 6) bytes += (await reader.read()).value!.length;
		expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 100 - EARLY_MS);
		await reader.cancel();
	});

	it('a webhook answer slower than the deadline is cut at the deadline; the retries follow after 100 ms, then 200 ms', async () => {
		simulator.setOptions({ webhookUrl: receiver.url, webhookTimeoutMs: 1000 });
		receiver.handler = async (_r, n, answer) => {
			if (n === 0) await sleep(3000);
			answer(n < 2 ? 500 : 200);
		};
		await simulator.createJob({ prompt: 'Answered late, then refused, then taken.' });
		await settled();
		const [late, refused, taken] = attempts();
		expect([late, refused, taken].map((attempt) => [attempt.attempt, attempt.result, attempt.retryInMs])).toEqual([
			[1, 'timeout', 100],
			[2, 'non-2xx', 200],
			[3, 'ok', null],
		]);
		// cut at the deadline, well before the receiver's answer would have come
		expect(late.endedAt! - late.sentAt).toBeGreaterThanOrEqual(1000 - EARLY_MS);
		expect(late.endedAt! - late.sentAt).toBeLessThan(3000);
		await until('the deadline to cut the first request', () => receiver.received[0].aborted);
		expect(refused.sentAt - late.endedAt!).toBeGreaterThanOrEqual(100 - EARLY_MS);
		expect(taken.sentAt - refused.endedAt!).toBeGreaterThanOrEqual(200 - EARLY_MS);
		expect(receiver.received.map((r) => r.type)).toEqual(['audio.completed', 'audio.completed', 'audio.completed']);
	});

	it('slow-download: a receiver that downloads before it answers misses the deadline, and gets its audio after it', async () => {
		simulator.setOptions({ webhookUrl: receiver.url, webhookTimeoutMs: 1000, faults: [{ kind: 'slow-download', route: 'webhook', times: 1 }] });
		const downloadedAt: number[] = [];
		receiver.handler = async (received, _n, answer) => {
			const audio = await fetch(received.downloadUrl!);
			await audio.arrayBuffer();
			downloadedAt.push(Date.now());
			answer(audio.status === 200 ? 200 : 500);
		};
		await simulator.createJob({ prompt: 'Downloaded before the answer.' });
		await settled();
		const [held, free] = attempts();
		expect(held).toMatchObject({ attempt: 1, fault: 'slow-download', result: 'timeout', status: null });
		expect(held.endedAt! - held.sentAt).toBeGreaterThanOrEqual(1000 - EARLY_MS);
		expect(downloadedAt[0]).toBeGreaterThanOrEqual(held.endedAt!);
		expect(free).toMatchObject({ attempt: 2, fault: null, result: 'ok', status: 200 });
	});

	it("postWebhook: an answer that does not come is given up at the deadline", async () => {
		simulator.setOptions({ webhookTimeoutMs: 1000 });
		receiver.handler = () => undefined;
		const started = Date.now();
		const answer = await simulator.postWebhook({ body: '{}', url: receiver.url });
		expect(answer).toMatchObject({ status: null, result: 'timeout', answerMs: null });
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000 - EARLY_MS);
	});
});
