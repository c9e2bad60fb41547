/**
 * The simulator's webhook events, seen from a small local receiver: what arrives, how it is signed
 * (checked with an HMAC computed here, not with the simulator's code), retries, and each webhook fault.
 * The simulator runs on a clock the test moves (renders, deadlines, retry pauses pass when the test says
 * so); requests and answers take no time on it. The same deadline and retry pause on the wall clock:
 * test/soak/real-time.soak.ts.
 */
import { createHmac } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

import { until } from '../until';
import { ManualClock, startSimulator } from './index';
import type { AudioProject, Simulator, SimulatorOptions, WebhookDelivery } from './index';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseArgs } = require('./cli') as { parseArgs: (argv: string[]) => { options: SimulatorOptions } };

const SECRET = 'whsec_receiver_test_4f1c';
const RETRY_MS = 100;

interface Received {
	headers: http.IncomingHttpHeaders;
	raw: Buffer;
	event: { type: string; payload: AudioProject };
	at: number;
	/** Whether the simulator went away before this request was answered. */
	aborted: boolean;
}

/** Answers the n-th request (from 0); the default answers 200 at once. */
type Handler = (received: Received, n: number, res: http.ServerResponse) => void | Promise<void>;

const answer = (res: http.ServerResponse, status: number) => {
	if (res.destroyed || res.headersSent) return;
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify({ received: status < 300 }));
};

/** The clock the simulator and the receiver follow. */
const clock = new ManualClock();


/** The signature Magic Hour's documentation describes, computed independently of the simulator. */
const hmac = (secret: string, timestamp: string, raw: Buffer) =>
	createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`${timestamp}.`), raw])).digest('hex');

/** What a receiver checks: the signature over the raw bytes, and a timestamp at most 300 s off its clock. */
function verdict(r: Received): 'ok' | 'bad signature' | 'stale' {
	const timestamp = String(r.headers['magic-hour-event-timestamp']);
	if (r.headers['magic-hour-event-signature'] !== hmac(SECRET, timestamp, r.raw)) return 'bad signature';
	if (Math.abs(clock.now() / 1000 - Number(timestamp)) > 300) return 'stale';
	return 'ok';
}

class Receiver {
	readonly received: Received[] = [];
	handler: Handler = (_r, _n, res) => answer(res, 200);
	private server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const r: Received = { headers: req.headers, raw, event: JSON.parse(raw.toString('utf8')), at: clock.now(), aborted: false };
			res.on('close', () => {
				if (!res.writableFinished) r.aborted = true;
			});
			this.received.push(r);
			void this.handler(r, this.received.length - 1, res);
		});
	});
	url = '';

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/magic-hour`;
	}

	clear(): void {
		this.received.length = 0;
		this.handler = (_r, _n, res) => answer(res, 200);
		this.server.closeAllConnections();
	}

	of(type: string): Received[] {
		return this.received.filter((r) => r.event.type === type);
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}

describe('Magic Hour simulator: webhook events', () => {
	let sim: Simulator;
	const receiver = new Receiver();
	const base: SimulatorOptions = {
		renderMs: 300,
		faults: [],
		webhookSecret: SECRET,
		webhookEvents: ['audio.started', 'audio.completed', 'audio.errored'],
		webhookTimeoutMs: 1000,
		webhookRetryMs: RETRY_MS,
		webhookRetryFactor: 2,
		webhookMaxAttempts: 4,
	};

	beforeAll(async () => {
		await receiver.start();
		sim = await startSimulator({ ...base, token: 'mhk_hooks', webhookUrl: receiver.url, clock });
	});
	afterAll(async () => {
		await sim.close();
		await receiver.close();
	});
	beforeEach(() => {
		sim.reset();
		sim.setOptions({ ...base, webhookUrl: receiver.url });
		receiver.clear();
	});

	async function api(method: string, path: string, body?: unknown) {
		const res = await fetch(sim.url + path, {
			method,
			headers: { Authorization: `Bearer ${sim.token}`, 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: res.status, json: (await res.json()) as AudioProject };
	}

	async function createJob(prompt = 'Hello from the webhook test'): Promise<string> {
		return (await sim.createJob({ prompt, audioFilePath: 'https://example.com/voice.mp3' })).id;
	}

	/**
	 * Moves the clock timer by timer (a render that ends, a retry pause), each attempt under way answered
	 * before it moves on, until `done` gives something.
	 */
	async function runUntil<T>(what: string, done: () => T | undefined | false): Promise<T> {
		for (;;) {
			await until('the attempts under way to be answered', () => !sim.webhookDeliveries().some((d) => d.result === 'pending'));
			const value = done();
			if (value) return value;
			if ((await clock.next()) === undefined) throw new Error(`nothing left to happen, and still not ${what}`);
		}
	}

	/** Lets time pass until no delivery is pending (none in flight, none waiting for a retry). */
	const settled = () => runUntil('the deliveries settled', () => sim.stats().webhooks.pending === 0 && sim.stats().webhooks.events > 0);

	const attemptsOf = (type: string): WebhookDelivery[] => sim.webhookDeliveries().filter((d) => d.type === type);

	test('a job sends audio.started, then audio.completed, signed over the raw body, with what GET answers', async () => {
		sim.setOptions({ renderMs: 800 });
		const id = await createJob();
		await clock.advance(80); // a tenth of the render: it starts
		const started = await until('audio.started', () => receiver.of('audio.started')[0]);
		const getWhileRendering = await api('GET', `/v1/audio-projects/${id}`);
		await clock.advance(720);
		const completed = await until('audio.completed', () => receiver.of('audio.completed')[0]);
		const getWhenDone = await api('GET', `/v1/audio-projects/${id}`);

		expect(receiver.received.map((r) => r.event.type)).toEqual(['audio.started', 'audio.completed']);
		for (const r of [started, completed]) {
			expect(r.headers['content-type']).toBe('application/json');
			expect(r.headers.authorization).toBeUndefined();
			expect(r.headers['magic-hour-event-signature']).toMatch(/^[0-9a-f]{64}$/);
			expect(verdict(r)).toBe('ok');
			expect(Math.abs(Number(r.headers['magic-hour-event-timestamp']) - r.at / 1000)).toBeLessThan(2);
			expect(Object.keys(r.event)).toEqual(['type', 'payload']);
		}
		// the same object GET answers at that moment
		expect(started.event.payload).toEqual(getWhileRendering.json);
		expect(started.event.payload).toMatchObject({ id, status: 'rendering', downloads: [], error: null });
		const { downloads, ...rest } = completed.event.payload;
		const { downloads: getDownloads, ...getRest } = getWhenDone.json;
		expect(rest).toEqual({ ...getRest, status: 'complete' });
		expect(downloads).toHaveLength(1);
		expect(new URL(downloads[0].url).pathname).toBe(new URL(getDownloads[0].url).pathname);
		// eventBody: what a test makes up is the same event
		const madeUp = JSON.parse(sim.eventBody('audio.completed', id, { name: 'changed' }));
		expect({ ...madeUp, payload: { ...madeUp.payload, downloads: [] } }).toEqual({ type: 'audio.completed', payload: { ...rest, status: 'complete', name: 'changed', downloads: [] } });
		expect(new URL(madeUp.payload.downloads[0].url).pathname).toBe(new URL(downloads[0].url).pathname);
		// a working signed download
		const audio = await fetch(downloads[0].url);
		expect(audio.status).toBe(200);
		const bytes = Buffer.from(await audio.arrayBuffer());
		expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
		expect(bytes.length).toBe(sim.jobs()[0].resultBytes);

		expect(sim.webhookDeliveries()).toEqual([
			expect.objectContaining({ type: 'audio.started', jobId: id, attempt: 1, status: 200, result: 'ok', fault: null, retryInMs: null }),
			expect.objectContaining({ type: 'audio.completed', jobId: id, attempt: 1, status: 200, result: 'ok', fault: null, retryInMs: null }),
		]);
		for (const d of sim.webhookDeliveries()) {
			expect(d.answerMs).toBeGreaterThanOrEqual(0);
			expect(d.endedAt! - d.sentAt).toBeGreaterThanOrEqual(d.answerMs!);
		}
		expect(sim.stats().webhooks).toEqual({ events: 2, attempts: 2, delivered: 2, failed: 0, timedOut: 0, gaveUp: 0, pending: 0 });
	});

	test('an errored job sends audio.errored with its error and refund; a canceled one sends no final event', async () => {
		sim.setOptions({ faults: [{ kind: 'job-error', times: 1 }, { kind: 'job-canceled', times: 1 }] });
		const errored = await createJob();
		const canceled = await createJob();
		const event = await runUntil('audio.errored', () => receiver.of('audio.errored')[0]);
		await runUntil('both jobs to end', () => sim.jobs().every((j) => ['error', 'canceled'].includes(j.status)));
		await settled();
		expect(event.event.payload).toMatchObject({
			id: errored,
			status: 'error',
			credits_charged: 0,
			downloads: [],
			error: { message: 'Unable to clone voice from this sample', code: 'invalid_voice' },
		});
		expect(verdict(event)).toBe('ok');
		expect(receiver.received.map((r) => `${r.event.type} ${r.event.payload.id}`).sort()).toEqual(
			[`audio.started ${errored}`, `audio.errored ${errored}`, `audio.started ${canceled}`].sort(),
		);
	});

	test('only the selected events are sent; a job that ends at once skips audio.started', async () => {
		sim.setOptions({ webhookEvents: ['audio.completed'] });
		await createJob();
		await runUntil('audio.completed', () => receiver.of('audio.completed')[0]);
		sim.setOptions({ webhookEvents: ['audio.started', 'audio.completed'], renderMs: 0 });
		const fast = await createJob();
		await runUntil('the fast job', () => receiver.received.find((r) => r.event.payload.id === fast));
		await settled();
		expect(receiver.received.map((r) => r.event.type)).toEqual(['audio.completed', 'audio.completed']);
	});

	test('no endpoint: nothing is sent, and the API answers as before', async () => {
		const quietClock = new ManualClock();
		const quiet = await startSimulator({ renderMs: 50, webhookSecret: SECRET, clock: quietClock });
		try {
			const res = await fetch(`${quiet.url}/v1/ai-voice-cloner`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${quiet.token}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ assets: { audio_file_path: 'https://example.com/voice.mp3' }, style: { prompt: 'quiet' } }),
			});
			expect(res.status).toBe(200);
			await quietClock.advance(50);
			expect(quiet.jobs()[0].status).toBe('complete');
			await quietClock.advance(10_000); // long past any delivery and retry
			expect(quietClock.pending()).toEqual([]);
			expect(receiver.received).toHaveLength(0);
			expect(quiet.webhookDeliveries()).toEqual([]);
			expect(quiet.stats().webhooks).toEqual({ events: 0, attempts: 0, delivered: 0, failed: 0, timedOut: 0, gaveUp: 0, pending: 0 });
			// an endpoint removed with null: nothing more is sent either
			sim.setOptions({ webhookUrl: null });
			await createJob();
			await clock.advance(300);
			expect(sim.jobs()[0].status).toBe('complete');
			await clock.advance(10_000);
			expect(receiver.received).toHaveLength(0);
		} finally {
			await quiet.close();
		}
	});

	describe('retries', () => {
		beforeEach(() => sim.setOptions({ webhookEvents: ['audio.completed'] }));

		test('after a 500, the same body again after 100 ms, then 200 ms; none after the 2xx', async () => {
			receiver.handler = (_r, n, res) => answer(res, n < 2 ? 500 : 200);
			await createJob();
			await settled();
			await clock.advance(RETRY_MS * 30); // nothing follows the 2xx
			const attempts = attemptsOf('audio.completed');
			expect(attempts.map((d) => [d.attempt, d.status, d.result, d.retryInMs])).toEqual([
				[1, 500, 'non-2xx', RETRY_MS],
				[2, 500, 'non-2xx', RETRY_MS * 2],
				[3, 200, 'ok', null],
			]);
			expect(new Set(attempts.map((d) => d.delivery)).size).toBe(1);
			expect(receiver.received).toHaveLength(3);
			const gaps = receiver.received.slice(1).map((r, i) => r.at - receiver.received[i].at);
			expect(gaps[0]).toBeGreaterThanOrEqual(RETRY_MS);
			expect(gaps[1]).toBeGreaterThanOrEqual(RETRY_MS * 2);
			expect(gaps[1]).toBeGreaterThan(gaps[0]);
			expect(gaps).toEqual([RETRY_MS, RETRY_MS * 2]); // on the simulator's clock, exactly
			// the same event body every time, each attempt signed anew and valid
			expect(new Set(receiver.received.map((r) => r.raw.toString())).size).toBe(1);
			expect(receiver.received.map(verdict)).toEqual(['ok', 'ok', 'ok']);
			expect(sim.stats().webhooks).toMatchObject({ events: 1, attempts: 3, delivered: 1, failed: 2, gaveUp: 0, pending: 0 });
		});

		test('an answer slower than the deadline is aborted and counts as failed; the retry answered in time ends it', async () => {
			sim.setOptions({ webhookTimeoutMs: 300 });
			receiver.handler = async (_r, n, res) => {
				if (n === 0) await clock.sleep(1000);
				answer(res, 200);
			};
			await createJob();
			await clock.advance(300); // the job ends: the first attempt goes out
			await until('the first attempt', () => receiver.received.length === 1);
			await clock.advance(299);
			expect(attemptsOf('audio.completed')[0].result).toBe('pending'); // in time still
			await clock.advance(1); // the deadline
			await settled();
			const [slow, quick] = attemptsOf('audio.completed');
			expect(slow).toMatchObject({ attempt: 1, status: null, answerMs: null, result: 'timeout', retryInMs: RETRY_MS });
			expect(slow.endedAt! - slow.sentAt).toBeGreaterThanOrEqual(300);
			expect(slow.endedAt! - slow.sentAt).toBeLessThan(900);
			await until('the deadline to cut the request', () => receiver.received[0].aborted);
			expect(quick).toMatchObject({ attempt: 2, status: 200, result: 'ok' });
			expect(sim.stats().webhooks).toMatchObject({ attempts: 2, failed: 1, timedOut: 1, delivered: 1 });
		});

		test('no answer at all: retried until webhookMaxAttempts, then given up', async () => {
			const closed = http.createServer();
			await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
			const port = (closed.address() as AddressInfo).port;
			await new Promise((resolve) => closed.close(resolve));
			sim.setOptions({ webhookUrl: `http://127.0.0.1:${port}/gone`, webhookMaxAttempts: 3, webhookRetryMs: 20 });
			await createJob();
			await runUntil('three attempts', () => attemptsOf('audio.completed').length === 3 && sim.stats().webhooks.pending === 0);
			expect(attemptsOf('audio.completed').map((d) => [d.status, d.result, d.retryInMs])).toEqual([
				[null, 'no-answer', 20],
				[null, 'no-answer', 40],
				[null, 'no-answer', null],
			]);
			expect(attemptsOf('audio.completed')[0].error).toMatch(/ECONNREFUSED/);
			expect(sim.stats().webhooks).toMatchObject({ attempts: 3, failed: 3, gaveUp: 1, pending: 0 });
		});

		test('reset() and close() end pending deliveries at once', async () => {
			receiver.handler = () => undefined; // never answers
			const otherClock = new ManualClock();
			const other = await startSimulator({ ...base, renderMs: 0, webhookUrl: receiver.url, webhookTimeoutMs: 20000, clock: otherClock });
			const post = (s: Simulator) =>
				fetch(`${s.url}/v1/ai-voice-cloner`, {
					method: 'POST',
					headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
					body: JSON.stringify({ assets: { audio_file_path: 'https://example.com/voice.mp3' }, style: { prompt: 'x' } }),
				});
			await post(other);
			await otherClock.next(); // the delivery goes out
			await until('a pending delivery', () => receiver.received.length === 1);
			other.reset();
			expect(other.webhookDeliveries()).toEqual([]);
			expect(other.stats().webhooks.pending).toBe(0);
			expect(otherClock.pending()).toEqual([]); // its deadline too
			await until('the request to be cut', () => receiver.received[0].aborted);
			await post(other);
			await otherClock.next();
			await until('another pending delivery', () => receiver.received.length === 2);
			const t0 = Date.now();
			await other.close();
			expect(Date.now() - t0).toBeLessThan(1000);
			expect(otherClock.pending()).toEqual([]);
			await until('the request to be cut', () => receiver.received[1].aborted);
		});
	});

	describe('faults', () => {
		beforeEach(() => sim.setOptions({ webhookEvents: ['audio.completed'] }));
		/** A receiver that checks signatures as the trigger node does: 401 unless signed and fresh. */
		const strict: Handler = (r, _n, res) => answer(res, verdict(r) === 'ok' ? 200 : 401);

		test('bad-signature: signed with another secret, refused, then retried with the right one', async () => {
			sim.setOptions({ faults: [{ kind: 'bad-signature', route: 'webhook', times: 1 }] });
			receiver.handler = strict;
			await createJob();
			await settled();
			expect(receiver.received.map(verdict)).toEqual(['bad signature', 'ok']);
			const [bad, good] = receiver.received;
			expect(bad.headers['magic-hour-event-signature']).toMatch(/^[0-9a-f]{64}$/); // well formed, just not ours
			expect(Math.abs(Number(bad.headers['magic-hour-event-timestamp']) - bad.at / 1000)).toBeLessThan(2);
			expect(bad.raw.equals(good.raw)).toBe(true);
			expect(attemptsOf('audio.completed').map((d) => [d.fault, d.status])).toEqual([
				['bad-signature', 401],
				[null, 200],
			]);
			expect(sim.stats().faultsInjected).toEqual({ 'bad-signature': 1 });
		});

		test('stale-timestamp: 10 minutes old, correctly signed for it, refused, then retried fresh', async () => {
			sim.setOptions({ faults: [{ kind: 'stale-timestamp', times: 1 }] });
			receiver.handler = strict;
			await createJob();
			await settled();
			expect(receiver.received.map(verdict)).toEqual(['stale', 'ok']);
			const stale = receiver.received[0];
			const timestamp = String(stale.headers['magic-hour-event-timestamp']);
			expect(stale.headers['magic-hour-event-signature']).toBe(hmac(SECRET, timestamp, stale.raw));
			expect(stale.at / 1000 - Number(timestamp)).toBeGreaterThanOrEqual(599);
			expect(stale.at / 1000 - Number(timestamp)).toBeLessThan(602);
			expect(attemptsOf('audio.completed').map((d) => [d.fault, d.status])).toEqual([
				['stale-timestamp', 401],
				[null, 200],
			]);
		});

		test('duplicate: the same event body delivered again after the 2xx, validly signed', async () => {
			sim.setOptions({ faults: [{ kind: 'duplicate', times: 1 }] });
			const seen = new Set<string>();
			let started = 0;
			receiver.handler = (r, _n, res) => {
				const key = `${r.event.type}:${r.event.payload.id}`;
				if (!seen.has(key)) started++;
				seen.add(key);
				answer(res, verdict(r) === 'ok' ? 200 : 401);
			};
			const id = await createJob();
			await runUntil('two deliveries', () => receiver.received.length === 2);
			await settled();
			const [first, again] = receiver.received;
			expect(again.raw.equals(first.raw)).toBe(true);
			expect(again.event).toMatchObject({ type: 'audio.completed', payload: { id } });
			expect([verdict(first), verdict(again)]).toEqual(['ok', 'ok']);
			expect(started).toBe(1); // de-duplicating on type + payload.id starts it once
			const attempts = attemptsOf('audio.completed');
			expect(attempts.map((d) => [d.fault, d.attempt, d.status])).toEqual([
				[null, 1, 200],
				['duplicate', 1, 200],
			]);
			expect(attempts[0].delivery).not.toBe(attempts[1].delivery);
			expect(sim.stats().webhooks).toMatchObject({ events: 2, delivered: 2 });
		});

		test('unknown-event: an extra video.* delivery for the job, signed, with the same payload', async () => {
			sim.setOptions({ faults: [{ kind: 'unknown-event', times: 1 }] });
			const id = await createJob();
			await runUntil('two deliveries', () => receiver.received.length === 2);
			await settled();
			const video = receiver.of('video.completed');
			expect(video).toHaveLength(1);
			expect(verdict(video[0])).toBe('ok');
			expect(video[0].event.payload).toEqual(receiver.of('audio.completed')[0].event.payload);
			expect(video[0].event.payload.id).toBe(id);
			expect(attemptsOf('video.completed')).toEqual([expect.objectContaining({ jobId: id, fault: 'unknown-event', status: 200 })]);
		});

		test('slow-download: a receiver that downloads before answering misses the deadline', async () => {
			sim.setOptions({ faults: [{ kind: 'slow-download', times: 1 }], webhookTimeoutMs: 400 });
			const downloadedAt: number[] = [];
			receiver.handler = async (r, _n, res) => {
				const audio = await fetch(r.event.payload.downloads[0].url);
				await audio.arrayBuffer();
				downloadedAt.push(clock.now());
				answer(res, audio.status === 200 ? 200 : 500);
			};
			await createJob();
			await clock.advance(300); // the job ends: the first attempt goes out, and its receiver asks for the audio
			await until('the download to be asked for', () => sim.requests().some((request) => request.route === 'download'));
			await clock.advance(400); // the deadline
			await settled();
			const [held, free] = attemptsOf('audio.completed');
			expect(held).toMatchObject({ attempt: 1, fault: 'slow-download', result: 'timeout', status: null });
			await until('the deadline to cut the request', () => receiver.received[0].aborted);
			expect(downloadedAt[0]).toBeGreaterThanOrEqual(held.endedAt!); // the download came only after the deadline
			expect(free).toMatchObject({ attempt: 2, fault: null, result: 'ok', status: 200 });
			expect(free.answerMs!).toBeLessThan(400);
		});

		test('slow-download: a receiver that answers first gets its answer in, then its download', async () => {
			sim.setOptions({ faults: [{ kind: 'slow-download', times: 1 }], webhookTimeoutMs: 400 });
			let download: Promise<number> | undefined;
			receiver.handler = (r, _n, res) => {
				answer(res, 200);
				download = fetch(r.event.payload.downloads[0].url).then(async (audio) => {
					await audio.arrayBuffer();
					return audio.status;
				});
			};
			await createJob();
			await settled();
			expect(attemptsOf('audio.completed')).toEqual([expect.objectContaining({ fault: 'slow-download', result: 'ok', status: 200 })]);
			expect(await until('the download', () => download)).toBe(200);
		});

		test('webhook faults apply to the webhook route only, and rate and times are honoured', () => {
			expect(() => sim.setOptions({ faults: [{ kind: 'duplicate', route: 'get' }] })).toThrow(/does not apply/);
			expect(() => sim.setOptions({ faults: [{ kind: '500', route: 'webhook' }] })).toThrow(/does not apply/);
			expect(() => sim.setOptions({ webhookUrl: 'ftp://example.com/' })).toThrow(/webhookUrl/);
			expect(() => sim.setOptions({ webhookEvents: ['video.completed' as 'audio.completed'] })).toThrow(/webhookEvents/);
			expect(() => sim.setOptions({ webhookMaxAttempts: 0 })).toThrow(/webhookMaxAttempts/);
		});

		test('rate 0.5 with a seed: the same attempts get a bad signature in every run', async () => {
			sim.setOptions({ faults: [{ kind: 'bad-signature', rate: 0.5 }], seed: 7, renderMs: 0, webhookMaxAttempts: 1 });
			const run = async () => {
				sim.reset();
				receiver.clear();
				receiver.handler = strict;
				for (let i = 0; i < 12; i++) {
					await createJob(`line ${i}`);
					await runUntil(`delivery ${i}`, () => receiver.received.length === i + 1 && sim.stats().webhooks.pending === 0);
				}
				return receiver.received.map(verdict);
			};
			const first = await run();
			expect(first).toContain('ok');
			expect(first).toContain('bad signature');
			expect(await run()).toEqual(first);
		});
	});

	describe('deliveries a test makes up', () => {
		test('postWebhook posts exactly the bytes and headers given; signWebhook signs as Magic Hour does', async () => {
			receiver.handler = (r, _n, res) => {
				res.writeHead(verdict(r) === 'ok' ? 202 : 401, { 'Content-Type': 'text/plain' });
				res.end(verdict(r));
			};
			const body = '{"type":"audio.completed","payload":{"id":"cforged"}}';
			const genuine = await sim.postWebhook({ body, headers: sim.signWebhook(body) });
			expect(genuine).toMatchObject({ status: 202, body: 'ok', result: 'ok', error: null });
			expect(genuine.answerMs).toBeGreaterThanOrEqual(0);
			// the same signature over re-serialized JSON (other bytes) does not verify
			const reserialized = JSON.stringify(JSON.parse(body), null, 1);
			const tampered = await sim.postWebhook({ body: reserialized, headers: sim.signWebhook(body) });
			expect(tampered).toMatchObject({ status: 401, body: 'bad signature', result: 'non-2xx' });
			const old = await sim.postWebhook({ body, headers: sim.signWebhook(body, { timestamp: Math.floor(clock.now() / 1000) - 301 }) });
			expect(old.body).toBe('stale');
			const forged = await sim.postWebhook({ body, headers: sim.signWebhook(body, { secret: 'guessed' }) });
			expect(forged.body).toBe('bad signature');
			expect(receiver.received.map((r) => r.raw.toString())).toEqual([body, reserialized, body, body]);
			expect(receiver.received[0].headers).toMatchObject({ 'content-type': 'application/json', 'content-length': String(body.length) });
			expect(sim.webhookDeliveries()).toEqual([]); // not Magic Hour's deliveries
		});

		test('postWebhook: the answer deadline applies', async () => {
			sim.setOptions({ webhookTimeoutMs: 200 });
			receiver.handler = () => undefined;
			const t0 = clock.now();
			let answered = false;
			const posted = sim.postWebhook({ body: '{}', headers: {} }).finally(() => (answered = true));
			await until('the post', () => receiver.received.length === 1);
			await clock.advance(199);
			expect(answered).toBe(false);
			await clock.advance(1);
			const late = await posted;
			expect(late).toMatchObject({ status: null, result: 'timeout', answerMs: null });
			expect(clock.now() - t0).toBeGreaterThanOrEqual(200);
			expect(clock.now() - t0).toBeLessThan(1000);
		});
	});

	test('CLI flags set the webhook options', () => {
		const { options } = parseArgs([
			'--webhook-url', 'http://127.0.0.1:5678/webhook/abc',
			'--webhook-secret', 'whsec_cli',
			'--webhook-events', 'audio.completed,audio.errored',
			'--webhook-timeout-ms', '500',
			'--webhook-retry-ms', '50',
			'--webhook-retry-factor', '3',
			'--webhook-max-attempts', '5',
			'--fault', 'duplicate:webhook:0.5:2',
		]);
		expect(options).toMatchObject({
			webhookUrl: 'http://127.0.0.1:5678/webhook/abc',
			webhookSecret: 'whsec_cli',
			webhookEvents: ['audio.completed', 'audio.errored'],
			webhookTimeoutMs: 500,
			webhookRetryMs: 50,
			webhookRetryFactor: 3,
			webhookMaxAttempts: 5,
			faults: [{ kind: 'duplicate', route: 'webhook', rate: 0.5, times: 2 }],
		});
	});
});
