/* eslint-disable @typescript-eslint/no-require-imports */
import * as http from 'http';
import { spawn } from 'child_process';
import * as path from 'path';

import { until } from '../until';
import { call } from './client';
import { ManualClock, startSimulator } from './index';
import type { AudioProject as Project, Fault, Simulator as Sim, SimulatorOptions as SimOptions } from './index';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The clock of the simulator most tests here use: renders, latency and drips pass when the test moves it. */
const clock = new ManualClock();

async function uploadSample(sim: Sim, bytes = Buffer.from('RIFF....WAVEfake sample bytes')): Promise<string> {
	const u = await call(sim, 'POST', '/v1/files/upload-urls', { items: [{ type: 'audio', extension: 'wav' }] });
	expect(u.status).toBe(200);
	const put = await fetch(u.json.items[0].upload_url, {
		method: 'PUT',
		body: bytes,
		headers: { 'Content-Type': 'application/octet-stream' },
	});
	expect(put.status).toBe(200);
	return u.json.items[0].file_path;
}

const URL_SAMPLE = 'https://example.com/samples/voice.mp3';

function createBody(prompt: string, extra: Record<string, unknown> = {}) {
	return { assets: { audio_file_path: URL_SAMPLE }, style: { prompt }, ...extra };
}

/** Looks at the job every 25 ms of the simulator's clock until it ends. */
async function waitTerminal(sim: Sim, id: string, timeoutMs = 3000): Promise<Project> {
	const end = clock.now() + timeoutMs;
	for (;;) {
		const r = await call(sim, 'GET', `/v1/audio-projects/${id}`);
		expect(r.status).toBe(200);
		if (['complete', 'error', 'canceled'].includes(r.json.status)) return r.json;
		if (clock.now() > end) throw new Error(`job ${id} still ${r.json.status}`);
		await clock.advance(25);
	}
}

/** Independent WAV header check (does not use wav.js). */
function checkWav(buf: Buffer, totalBytes: number) {
	expect(buf.toString('ascii', 0, 4)).toBe('RIFF');
	expect(buf.readUInt32LE(4)).toBe(totalBytes - 8);
	expect(buf.toString('ascii', 8, 12)).toBe('WAVE');
	expect(buf.toString('ascii', 12, 16)).toBe('fmt ');
	expect(buf.readUInt32LE(16)).toBe(16);
	expect(buf.readUInt16LE(20)).toBe(1); // PCM
	const channels = buf.readUInt16LE(22);
	const sampleRate = buf.readUInt32LE(24);
	const byteRate = buf.readUInt32LE(28);
	const bits = buf.readUInt16LE(34);
	expect(channels).toBe(1);
	expect(bits).toBe(16);
	expect(sampleRate).toBeGreaterThanOrEqual(8000);
	expect(byteRate).toBe(sampleRate * channels * (bits / 8));
	expect(buf.readUInt16LE(32)).toBe(channels * (bits / 8));
	expect(buf.toString('ascii', 36, 40)).toBe('data');
	const dataBytes = buf.readUInt32LE(40);
	expect(dataBytes).toBe(totalBytes - 44);
	return { sampleRate, dataBytes, durationSec: dataBytes / byteRate };
}

describe('Magic Hour simulator', () => {
	let sim: Sim;
	beforeAll(async () => {
		sim = await startSimulator({ renderMs: 150, token: 'mhk_test', clock });
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(() => {
		sim.setOptions({ renderMs: 150, latencyMs: 0, faults: [], credits: 100000, creditsPerCharacter: 0.05, resultBytes: null, resultFormat: 'wav', dripMs: 1000, dripBytes: 1 });
		sim.reset();
	});

	describe('auth and routing', () => {
		test('401 without, with a wrong, or with a non-Bearer Authorization', async () => {
			for (const auth of [undefined, 'Bearer nope', `Basic ${sim.token}`, sim.token, 'Bearer ']) {
				const res = await fetch(`${sim.url}/v1/account`, { headers: auth === undefined ? {} : { Authorization: auth } });
				expect(res.status).toBe(401);
				expect(await res.json()).toEqual({ message: 'Unauthorized' });
			}
			// also on unknown /v1 paths and on create (nothing is made)
			const res = await fetch(`${sim.url}/v1/ai-voice-cloner`, { method: 'POST', body: JSON.stringify(createBody('hi')), headers: { 'Content-Type': 'application/json' } });
			expect(res.status).toBe(401);
			expect(sim.stats().jobsCreated).toBe(0);
		});

		test('GET /v1/account', async () => {
			const r = await call(sim, 'GET', '/v1/account');
			expect(r.status).toBe(200);
			expect(r.json).toEqual({ id: expect.any(String), email: expect.any(String), name: expect.any(String), credits: 100000 });
		});

		test('404s', async () => {
			for (const [m, p] of [
				['GET', '/v1/nope'],
				['GET', '/v1/ai-voice-cloner'],
				['GET', '/v1/audio-projects/doesnotexist'],
				['DELETE', '/v1/audio-projects/doesnotexist'],
				['GET', '/v1/audio-projects/'],
				['GET', '/'],
				['POST', '/signed/download/x/output.wav'],
			]) {
				const r = await call(sim, m, p);
				expect([m, p, r.status]).toEqual([m, p, 404]);
				expect(r.json).toEqual({ message: 'Not Found' });
			}
		});
	});

	describe('upload flow', () => {
		test('upload-urls, signed PUT, create with the file_path', async () => {
			// A job is "queued" for the first 10 % of its render, and the clock stays.
			sim.setOptions({ renderMs: 60_000 });
			const u = await call(sim, 'POST', '/v1/files/upload-urls', {
				items: [
					{ type: 'audio', extension: 'mp3' },
					{ type: 'image', extension: 'png' },
				],
			});
			expect(u.status).toBe(200);
			expect(u.json.items).toHaveLength(2);
			const [a, b] = u.json.items;
			expect(a.file_path).toMatch(/^api-assets\/[a-z0-9]+\/0\.mp3$/);
			expect(b.file_path).toMatch(/^api-assets\/[a-z0-9]+\/1\.png$/);
			expect(a.upload_url.startsWith(`${sim.url}/signed/upload/${a.file_path}?`)).toBe(true);
			expect(a.upload_url).toMatch(/[?&]sig=[0-9a-f]{64}/);
			expect(a.upload_url).toMatch(/[?&]expires=\d+/);
			expect(Date.parse(a.expires_at)).toBeGreaterThan(clock.now());

			// not uploaded yet: unusable
			let c = await call(sim, 'POST', '/v1/ai-voice-cloner', { assets: { audio_file_path: a.file_path }, style: { prompt: 'Hi' } });
			expect(c.status).toBe(422);
			expect(c.json.message).toBe('Unable to clone voice');

			const bytes = Buffer.alloc(12345, 7);
			const put = await fetch(a.upload_url, { method: 'PUT', body: bytes, headers: { 'Content-Type': 'application/octet-stream' } });
			expect(put.status).toBe(200);
			expect(sim.uploads()).toEqual([expect.objectContaining({ file_path: a.file_path, size: 12345, extension: 'mp3' })]);
			expect(sim.stats().uploadsBytes).toBe(12345);

			c = await call(sim, 'POST', '/v1/ai-voice-cloner', { name: 'Mine', assets: { audio_file_path: a.file_path }, style: { prompt: 'Hi' } });
			expect(c.status).toBe(200);
			expect(c.json).toEqual({ id: expect.any(String), credits_charged: 1 });
			expect(sim.jobs()[0]).toMatchObject({ id: c.json.id, name: 'Mine', prompt: 'Hi', audio_file_path: a.file_path, status: 'queued' });

			// an uploaded image is no voice sample
			const putImage = await fetch(b.upload_url, { method: 'PUT', body: Buffer.from('png') });
			expect(putImage.status).toBe(200);
			c = await call(sim, 'POST', '/v1/ai-voice-cloner', { assets: { audio_file_path: b.file_path }, style: { prompt: 'Hi' } });
			expect(c.status).toBe(422);
		});

		test('upload-urls validation', async () => {
			let r = await call(sim, 'POST', '/v1/files/upload-urls', { items: [{ type: 'audio', extension: 'mp3', size: 3 }] });
			expect(r.status).toBe(400);
			expect(r.json.message).toContain('items[0].size');
			r = await call(sim, 'POST', '/v1/files/upload-urls', { items: [{ type: 'audio', extension: 'mp3' }], purpose: 'x' });
			expect(r.status).toBe(400);
			expect(r.json.message).toContain('purpose');
			r = await call(sim, 'POST', '/v1/files/upload-urls', { items: [] });
			expect(r.status).toBe(400);
			r = await call(sim, 'POST', '/v1/files/upload-urls', { items: [{ type: 'sound', extension: 'mp3' }] });
			expect(r.status).toBe(400);
			expect(r.json.message).toContain('items[0].type');
			r = await call(sim, 'POST', '/v1/files/upload-urls', { items: [{ type: 'audio', extension: 'mp4' }] });
			expect(r.status).toBe(422);
			expect(r.json.message).toBe(
				"'mp4' is an invalid audio extension. Possible extensions are 'mp3, wav, aac, flac, webm, weba, m4a, opus, ogg, oga, aiff, amr'",
			);
			for (const ext of ['.mp3', 'MP3', 'mp3 ']) {
				r = await call(sim, 'POST', '/v1/files/upload-urls', { items: [{ type: 'audio', extension: ext }] });
				expect(r.status).toBe(422);
			}
			r = await call(sim, 'POST', '/v1/files/upload-urls', undefined);
			expect(r.status).toBe(400);
		});

		test('signed PUT: no credentials, valid signature, non-empty body', async () => {
			const u = await call(sim, 'POST', '/v1/files/upload-urls', { items: [{ type: 'audio', extension: 'wav' }] });
			const url: string = u.json.items[0].upload_url;

			let put = await fetch(url, { method: 'PUT', body: Buffer.from('abc'), headers: { Authorization: `Bearer ${sim.token}` } });
			expect(put.status).toBe(403);
			expect(await put.json()).toEqual({ message: 'Signed URLs must not carry credentials', code: 'credentials_on_signed_url' });
			expect(sim.stats().authOnSignedUrls).toBe(1);
			expect(sim.requests().filter((r) => r.signed && r.authorization)).toHaveLength(1);

			const tampered = url.replace(/sig=([0-9a-f])/, (_m, c: string) => `sig=${c === '0' ? '1' : '0'}`);
			put = await fetch(tampered, { method: 'PUT', body: Buffer.from('abc') });
			expect(put.status).toBe(403);
			expect(((await put.json()) as { code: string }).code).toBe('invalid_signature');
			const longer = url.replace(/expires=(\d+)/, (_m, e: string) => `expires=${Number(e) + 3600}`);
			put = await fetch(longer, { method: 'PUT', body: Buffer.from('abc') });
			expect(put.status).toBe(403);

			put = await fetch(url, { method: 'PUT', body: Buffer.alloc(0) });
			expect(put.status).toBe(400);
			expect(sim.uploads()).toHaveLength(0);

			put = await fetch(url, { method: 'PUT', body: Buffer.from('abc') });
			expect(put.status).toBe(200);
			expect(sim.uploads()[0].size).toBe(3);
		});
	});

	describe('create validation', () => {
		test('unknown fields at any level, wrong types, missing parts', async () => {
			const cases: [unknown, number, string][] = [
				[{ ...createBody('hi'), voice: 'x' }, 400, 'voice'],
				[{ assets: { audio_file_path: URL_SAMPLE, extra: 1 }, style: { prompt: 'hi' } }, 400, 'assets.extra'],
				[{ assets: { audio_file_path: URL_SAMPLE }, style: { prompt: 'hi', pitch: 1 } }, 400, 'style.pitch'],
				[{ assets: { audio_file_path: URL_SAMPLE }, style: { prompt: 5 } }, 400, 'style.prompt'],
				[{ assets: { audio_file_path: URL_SAMPLE }, style: { prompt: '' } }, 400, 'style.prompt'],
				[{ assets: { audio_file_path: URL_SAMPLE }, style: {} }, 400, 'style.prompt'],
				[{ assets: { audio_file_path: URL_SAMPLE } }, 400, 'style'],
				[{ style: { prompt: 'hi' } }, 400, 'assets'],
				[{ assets: { audio_file_path: '' }, style: { prompt: 'hi' } }, 400, 'assets.audio_file_path'],
				[{ assets: { audio_file_path: 7 }, style: { prompt: 'hi' } }, 400, 'assets.audio_file_path'],
				[{ assets: { audio_file_path: '/tmp/a.mp3' }, style: { prompt: 'hi' } }, 400, 'assets.audio_file_path'],
				[{ ...createBody('hi'), name: 3 }, 400, 'name'],
				[{ ...createBody('hi'), name: null }, 400, 'name'],
				[[createBody('hi')], 400, 'object'],
				[{ assets: { audio_file_path: 'https://example.com/voice' }, style: { prompt: 'hi' } }, 422, 'Unable to clone voice'],
				[{ assets: { audio_file_path: 'https://example.com/voice.txt' }, style: { prompt: 'hi' } }, 422, 'Unable to clone voice'],
				[{ assets: { audio_file_path: 'api-assets/nope/0.mp3' }, style: { prompt: 'hi' } }, 422, 'Unable to clone voice'],
			];
			for (const [body, status, needle] of cases) {
				const r = await call(sim, 'POST', '/v1/ai-voice-cloner', body);
				expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), status]);
				expect(r.json.message).toContain(needle);
			}
			const bad = await call(sim, 'POST', '/v1/ai-voice-cloner', '{"assets":');
			expect(bad.status).toBe(400);
			const noCt = await call(sim, 'POST', '/v1/ai-voice-cloner', JSON.stringify(createBody('hi')), { 'Content-Type': 'text/plain' });
			expect(noCt.status).toBe(400);
			expect(sim.stats().jobsCreated).toBe(0);
			expect(sim.stats().credits).toBe(100000);
		});

		test('prompt length is counted in code points (1..1000); charge = ceil(n * rate)', async () => {
			let r = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('a'.repeat(1000)));
			expect(r.status).toBe(200);
			expect(r.json.credits_charged).toBe(50);
			r = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('a'.repeat(1001)));
			expect(r.status).toBe(400);
			expect(r.json.message).toContain('style.prompt');
			// 1000 emoji = 2000 UTF-16 units: still fine
			r = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('😀'.repeat(1000)));
			expect(r.status).toBe(200);
			expect(r.json.credits_charged).toBe(50);
			r = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('😀'.repeat(1001)));
			expect(r.status).toBe(400);
			expect(r.json.message).toContain('style.prompt');
			r = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('héllo wörld 😀'.repeat(3)));
			expect(r.json.credits_charged).toBe(Math.ceil(39 * 0.05)); // 13 code points x 3
			sim.setOptions({ creditsPerCharacter: 0.1 });
			r = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('b'.repeat(30)));
			expect(r.json.credits_charged).toBe(3);
			expect(sim.stats().credits).toBe(100000 - 50 - 50 - 2 - 3);
			const acct = await call(sim, 'GET', '/v1/account');
			expect(acct.json.credits).toBe(100000 - 105);
		});

		test('402 when credits do not cover the charge; no job is made', async () => {
			sim.setOptions({ credits: 2 });
			const r = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('x'.repeat(60))); // 3 credits
			expect(r.status).toBe(402);
			expect(r.json).toEqual({ message: 'Not enough credits', code: 'insufficient_credits' });
			expect(sim.stats().jobsCreated).toBe(0);
			expect(sim.stats().credits).toBe(2);
			const ok = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('x'.repeat(40))); // 2 credits
			expect(ok.status).toBe(200);
			expect(sim.stats().credits).toBe(0);
		});
	});

	describe('jobs', () => {
		test('queued -> rendering -> complete, then a valid WAV download', async () => {
			sim.setOptions({ renderMs: 300 });
			const prompt = 'Hello, this is my cloned voice speaking for a little while.'; // 59 code points
			const c = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody(prompt));
			const first = await call(sim, 'GET', `/v1/audio-projects/${c.json.id}`);
			expect(first.json).toEqual({
				id: c.json.id,
				name: expect.stringMatching(/^Voice Cloner - \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
				status: 'queued',
				type: 'VOICE_CLONER',
				created_at: expect.any(String),
				enabled: true,
				credits_charged: 3,
				downloads: [],
				error: null,
			});
			expect(Math.abs(Date.parse(first.json.created_at) - clock.now())).toBeLessThan(5000);
			await clock.advance(100);
			expect((await call(sim, 'GET', `/v1/audio-projects/${c.json.id}`)).json.status).toBe('rendering');
			expect(sim.jobsInFlight()).toBe(1);
			const done = await waitTerminal(sim, c.json.id);
			expect(done.status).toBe('complete');
			expect(done.downloads).toHaveLength(1);
			const { url, expires_at } = done.downloads[0];
			expect(url).toMatch(new RegExp(`^${sim.url}/signed/download/${c.json.id}/output\\.wav\\?sig=[0-9a-f]{64}&expires=\\d+$`));
			expect(Date.parse(expires_at) - clock.now()).toBeGreaterThan(23.9 * 3600 * 1000);
			expect(sim.jobsInFlight()).toBe(0);

			const res = await fetch(url);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('audio/wav');
			const buf = Buffer.from(await res.arrayBuffer());
			expect(Number(res.headers.get('content-length'))).toBe(buf.length);
			const info = checkWav(buf, buf.length);
			expect(info.durationSec).toBeCloseTo(59 * 0.06, 2);
			const samples = new Int16Array(buf.buffer, buf.byteOffset + 44, info.dataBytes / 2);
			expect(Math.max(...samples.subarray(0, 4000))).toBeGreaterThan(1000); // a tone, not silence
			expect(sim.stats().downloadsBytes).toBe(buf.length);
			expect(sim.jobs()[0].requestCount).toBeGreaterThanOrEqual(3);
			const requests = sim.requests().length;
			expect((await sim.renderedAudio(c.json.id)).equals(buf)).toBe(true); // what a receiver should hold
			expect(sim.requests()).toHaveLength(requests);

			// short texts last at least 0.5 s
			const c2 = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('Hi'));
			const d2 = await waitTerminal(sim, c2.json.id);
			const b2 = Buffer.from(await (await fetch(d2.downloads[0].url)).arrayBuffer());
			expect(checkWav(b2, b2.length).durationSec).toBeCloseTo(0.5, 3);
		});

		test('download URL: no credentials, signature and existence checked', async () => {
			const c = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('Token check'));
			const done = await waitTerminal(sim, c.json.id);
			const url = done.downloads[0].url;
			let res = await fetch(url, { headers: { Authorization: `Bearer ${sim.token}` } });
			expect(res.status).toBe(403);
			expect(await res.json()).toEqual({ message: 'Signed URLs must not carry credentials', code: 'credentials_on_signed_url' });
			expect(sim.stats().authOnSignedUrls).toBe(1);
			res = await fetch(url.replace(/expires=\d+/, 'expires=9999999999'));
			expect(res.status).toBe(403);
			res = await fetch(url.split('?')[0]);
			expect(res.status).toBe(403);
			res = await fetch(url);
			expect(res.status).toBe(200);
			await res.arrayBuffer();
		});

		test('DELETE: 204 without body, enabled false, download gone', async () => {
			const c = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('Delete me'));
			const done = await waitTerminal(sim, c.json.id);
			const url = done.downloads[0].url;
			const del = await call(sim, 'DELETE', `/v1/audio-projects/${c.json.id}`);
			expect(del.status).toBe(204);
			expect(del.text).toBe('');
			const after = await call(sim, 'GET', `/v1/audio-projects/${c.json.id}`);
			expect(after.json).toMatchObject({ id: c.json.id, status: 'complete', enabled: false, downloads: [] });
			const res = await fetch(url);
			expect(res.status).toBe(404);
			expect(await res.json()).toEqual({ message: 'Not Found' });
		});

		test('maxJobsInFlight and jobsInFlight()', async () => {
			const ids = await Promise.all([1, 2, 3].map((i) => call(sim, 'POST', '/v1/ai-voice-cloner', createBody(`job ${i}`))));
			expect(ids.map((r) => r.status)).toEqual([200, 200, 200]);
			expect(sim.jobsInFlight()).toBe(3);
			expect(sim.stats().maxJobsInFlight).toBe(3);
			await clock.advance(200);
			expect(sim.jobsInFlight()).toBe(0);
			await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('one more'));
			expect(sim.stats()).toMatchObject({ maxJobsInFlight: 3, jobsInFlight: 1, jobsCreated: 4 });
		});

		test('resultFormat mp3 serves audio/mpeg frames at a .mp3 URL', async () => {
			sim.setOptions({ resultFormat: 'mp3' });
			const c = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('mp3 please'));
			const done = await waitTerminal(sim, c.json.id);
			expect(done.downloads[0].url).toMatch(/\/output\.mp3\?/);
			const res = await fetch(done.downloads[0].url);
			expect(res.headers.get('content-type')).toBe('audio/mpeg');
			const buf = Buffer.from(await res.arrayBuffer());
			expect(buf.length).toBe(Number(res.headers.get('content-length')));
			// As ffmpeg writes it: an ID3v2 tag, a LAME Info frame, then 128 kbit/s 44.1 kHz mono frames
			// of 417 bytes, as many as the text's duration (60 ms per code point, at least 0.5 s) needs.
			expect(buf.toString('latin1', 0, 3)).toBe('ID3');
			const audioStart = 10 + buf[9];
			expect(buf.toString('latin1', audioStart + 21, audioStart + 25)).toBe('Info');
			const frames = Math.ceil((Math.max(0.5, 10 * 0.06) * 44100) / 1152);
			expect(buf.readUInt32BE(audioStart + 29)).toBe(frames);
			expect(buf.length).toBe(audioStart + (frames + 1) * 417);
			for (let frame = 0; frame <= frames; frame++) {
				expect([...buf.subarray(audioStart + frame * 417, audioStart + frame * 417 + 4)]).toEqual([0xff, 0xfb, 0x90, 0xc4]);
			}
		});

		test('latencyMs delays every answer', async () => {
			sim.setOptions({ latencyMs: 120 });
			const t0 = clock.now();
			let answered = false;
			const answer = call(sim, 'GET', '/v1/account').finally(() => (answered = true));
			await until('the request', () => sim.requests().length === 1);
			await clock.advance(119);
			expect(answered).toBe(false);
			await clock.advance(1);
			const r = await answer;
			expect(r.status).toBe(200);
			expect(clock.now() - t0).toBeGreaterThanOrEqual(100);
			expect(sim.requests()[0].endedAt! - sim.requests()[0].at).toBe(120);
		});

		test('the request log says when each request ended, so requests open at once can be counted', async () => {
			sim.setOptions({ latencyMs: 120 });
			const answers = Promise.all([1, 2, 3].map(() => call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'))));
			await until('three requests', () => sim.requests().length === 3);
			await clock.advance(120);
			await answers;
			const creates = sim.requests();
			expect(creates).toHaveLength(3);
			for (const request of creates) expect(request.endedAt).toBeGreaterThanOrEqual(request.at + 100);
			// All three arrived before the first one was answered.
			expect(Math.max(...creates.map((request) => request.at))).toBeLessThan(Math.min(...creates.map((request) => request.endedAt!)));
		});
	});

	describe('hostile answers', () => {
		async function completedJob(): Promise<Project> {
			sim.setOptions({ renderMs: 0 });
			const created = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello there'));
			return (await call(sim, 'GET', `/v1/audio-projects/${created.json.id}`)).json;
		}

		it('slow-drip download: headers at once, then dripBytes every dripMs', async () => {
			const project = await completedJob();
			sim.setOptions({ faults: [{ kind: 'slow-drip', route: 'download' }], dripMs: 50, dripBytes: 2 });
			const res = await fetch(project.downloads[0].url);
			expect(res.status).toBe(200);
			const reader = res.body!.getReader();
			const started = clock.now();
			let bytes = 0;
			const reading = (async () => {
				while (bytes < 6) bytes += (await reader.read()).value!.length;
			})();
			for (const expected of [2, 4, 6]) {
				await clock.advance(50);
				await until(`${expected} bytes`, () => bytes >= expected);
			}
			await reading;
			expect(clock.now() - started).toBeGreaterThanOrEqual(100);
			await reader.cancel();
		});

		it('slow-drip upload: the body is read so slowly that no answer comes', async () => {
			sim.setOptions({ faults: [{ kind: 'slow-drip', route: 'upload' }], dripMs: 1000 });
			const u = await call(sim, 'POST', '/v1/files/upload-urls', { items: [{ type: 'audio', extension: 'wav' }] });
			const put = fetch(u.json.items[0].upload_url, { method: 'PUT', body: Buffer.alloc(4096) }).then((r) => r.status);
			await until('the upload', () => sim.requests().some((request) => request.route === 'upload'));
			await clock.advance(3000); // three bytes of 4096 read
			const answer = await Promise.race([put, sleep(300).then(() => 'no answer')]);
			expect(answer).toBe('no answer');
			expect(sim.uploads()).toEqual([]);
		});

		it('redirect-foreign: an API route answers 307 to the foreign origin, which records the token it gets', async () => {
			sim.setOptions({ faults: [{ kind: 'redirect-foreign', route: 'account', times: 1 }] });
			const r = await fetch(`${sim.url}/v1/account`, { headers: { Authorization: `Bearer ${sim.token}` }, redirect: 'manual' });
			expect(r.status).toBe(307);
			expect(r.headers.get('location')).toBe(`${sim.foreignUrl}/v1/account`);
			const abroad = await fetch(r.headers.get('location')!, { headers: { Authorization: `Bearer ${sim.token}` } });
			expect(abroad.status).toBe(200);
			expect(sim.stats().tokenAtForeignOrigin).toBe(1);
			expect(sim.requests().map((request) => [request.origin, request.tokenSeen])).toEqual([
				['main', true],
				['foreign', true],
			]);
		});

		it('redirect-foreign: a signed download is served by the foreign origin too, without faults', async () => {
			const project = await completedJob();
			sim.setOptions({ faults: [{ kind: 'redirect-foreign', route: 'download' }] });
			const res = await fetch(project.downloads[0].url);
			expect(res.status).toBe(200);
			expect(res.url.startsWith(sim.foreignUrl)).toBe(true);
			expect(sim.stats().tokenAtForeignOrigin).toBe(0);
		});

		it('echo-token: an error whose message and code hold the token', async () => {
			sim.setOptions({ faults: [{ kind: 'echo-token', route: 'create' }] });
			const r = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'));
			expect(r.status).toBe(422);
			expect(r.json.message).toContain(sim.token);
			expect(r.json.code).toContain(sim.token);
		});

		it('echo-token-fields: a project answer with the token in every text field but ids and links', async () => {
			const project = await completedJob();
			sim.setOptions({ faults: [{ kind: 'echo-token-fields', route: 'get' }] });
			const echoed = (await call(sim, 'GET', `/v1/audio-projects/${project.id}`)).json;
			expect(echoed.name).toContain(sim.token);
			expect(echoed.type).toContain(sim.token);
			expect(echoed.id).toBe(project.id);
			expect(echoed.downloads[0].url).not.toContain(sim.token);
		});

		it('job-error-echo: the failed job\'s error message and code hold the token', async () => {
			sim.setOptions({ renderMs: 0, faults: [{ kind: 'job-error-echo' }] });
			const created = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'));
			const project = (await call(sim, 'GET', `/v1/audio-projects/${created.json.id}`)).json;
			expect(project.status).toBe('error');
			expect(project.error.message).toContain(sim.token);
			expect(project.error.code).toContain(sim.token);
			expect(sim.requests()[0].jobId).toBe(created.json.id);
		});
	});

	describe('faults', () => {
		test.each<Fault['kind']>(['429', '429-retry-after', '500', '502', '503'])('%s on create: answered instead, no job', async (kind) => {
			sim.setOptions({ faults: [{ kind, route: 'create', times: 1 }] });
			const r = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'));
			expect(r.status).toBe(Number(kind.slice(0, 3)));
			expect(typeof r.json.message).toBe('string');
			expect(r.headers.get('retry-after')).toBe(kind === '429-retry-after' ? '1' : null);
			expect(sim.stats().jobsCreated).toBe(0);
			expect(sim.stats().credits).toBe(100000);
			expect(sim.stats().faultsInjected).toEqual({ [kind]: 1 });
			// times: 1 -> the next one goes through
			const ok = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'));
			expect(ok.status).toBe(200);
		});

		test('502-html answers an HTML body', async () => {
			sim.setOptions({ faults: [{ kind: '502-html', route: 'get' }] });
			const c = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'));
			const r = await call(sim, 'GET', `/v1/audio-projects/${c.json.id}`);
			expect(r.status).toBe(502);
			expect(r.headers.get('content-type')).toBe('text/html');
		});

		test('500-after-create: the job is made and charged, the answer is 500', async () => {
			sim.setOptions({ faults: [{ kind: '500-after-create' }], renderMs: 60_000 });
			const r = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('x'.repeat(100)));
			expect(r.status).toBe(500);
			expect(sim.stats().jobsCreated).toBe(1);
			expect(sim.stats().credits).toBe(100000 - 5);
			expect(sim.jobs()[0].status).toBe('queued');
		});

		test('drop-after-create: the job is made, the connection is cut', async () => {
			sim.setOptions({ faults: [{ kind: 'drop-after-create' }] });
			await expect(call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'))).rejects.toThrow();
			expect(sim.stats().jobsCreated).toBe(1);
			expect(sim.requests()[0].status).toBeNull();
		});

		test('drop: the connection is cut, nothing is done', async () => {
			sim.setOptions({ faults: [{ kind: 'drop', route: 'create' }] });
			await expect(call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'))).rejects.toThrow();
			expect(sim.stats().jobsCreated).toBe(0);
			expect(sim.stats().faultsInjected).toEqual({ drop: 1 });
		});

		test('malformed-json on create: job made, body truncated', async () => {
			sim.setOptions({ faults: [{ kind: 'malformed-json', route: 'create' }] });
			const r = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'));
			expect(r.status).toBe(200);
			expect(r.json).toBeUndefined();
			expect(() => JSON.parse(r.text)).toThrow();
			expect(sim.stats().jobsCreated).toBe(1);
		});

		test('job-error: ends in error with the error object; credits refunded', async () => {
			sim.setOptions({ faults: [{ kind: 'job-error' }] });
			const c = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('x'.repeat(200)));
			expect(c.json.credits_charged).toBe(10);
			expect(sim.stats().credits).toBe(100000 - 10);
			const done = await waitTerminal(sim, c.json.id);
			expect(done).toMatchObject({
				status: 'error',
				credits_charged: 0,
				downloads: [],
				error: { message: 'Unable to clone voice from this sample', code: 'invalid_voice' },
			});
			expect(sim.stats().credits).toBe(100000);
		});

		test('job-canceled: ends in canceled', async () => {
			sim.setOptions({ faults: [{ kind: 'job-canceled' }] });
			const c = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'));
			const done = await waitTerminal(sim, c.json.id);
			expect(done).toMatchObject({ status: 'canceled', downloads: [], error: null });
		});

		test('expired-download: the URL given is already expired; a fresh GET gives a good one', async () => {
			sim.setOptions({ faults: [{ kind: 'expired-download', times: 1 }] });
			const c = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'));
			await clock.advance(200);
			const first = await call(sim, 'GET', `/v1/audio-projects/${c.json.id}`);
			expect(Date.parse(first.json.downloads[0].expires_at)).toBeLessThan(clock.now());
			let res = await fetch(first.json.downloads[0].url);
			expect(res.status).toBe(403);
			expect(await res.json()).toEqual({ message: 'Request has expired', code: 'expired' });
			const second = await call(sim, 'GET', `/v1/audio-projects/${c.json.id}`);
			res = await fetch(second.json.downloads[0].url);
			expect(res.status).toBe(200);
			await res.arrayBuffer();
		});

		test('upload-fail: the signed PUT answers 500 and nothing is stored', async () => {
			sim.setOptions({ faults: [{ kind: 'upload-fail' }] });
			const u = await call(sim, 'POST', '/v1/files/upload-urls', { items: [{ type: 'audio', extension: 'mp3' }] });
			const put = await fetch(u.json.items[0].upload_url, { method: 'PUT', body: Buffer.alloc(1000, 1) });
			expect(put.status).toBe(500);
			expect(sim.uploads()).toHaveLength(0);
		});

		test('truncated-download: fewer bytes than Content-Length', async () => {
			sim.setOptions({ faults: [{ kind: 'truncated-download' }], resultBytes: 1_000_000 });
			const c = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'));
			const done = await waitTerminal(sim, c.json.id);
			await expect(fetch(done.downloads[0].url).then((r) => r.arrayBuffer())).rejects.toThrow();
		});

		test('slow: the client times out; close() is still fast', async () => {
			const slowSim = await startSimulator({ faults: [{ kind: 'slow', route: 'account' }], slowMs: 20000 });
			await expect(
				fetch(`${slowSim.url}/v1/account`, { headers: { Authorization: `Bearer ${slowSim.token}` }, signal: AbortSignal.timeout(150) }),
			).rejects.toThrow();
			const pending = fetch(`${slowSim.url}/v1/account`, { headers: { Authorization: `Bearer ${slowSim.token}` } }).catch((e: Error) => e);
			await sleep(50);
			const t0 = Date.now();
			await slowSim.close();
			expect(Date.now() - t0).toBeLessThan(1000);
			expect(await pending).toHaveProperty('message'); // fetch failed (an Error from another realm)
		});

		test('route filter, rate and times; setOptions rejects nonsense', async () => {
			sim.setOptions({ faults: [{ kind: '503', route: 'get', times: 2 }] });
			const c = await call(sim, 'POST', '/v1/ai-voice-cloner', createBody('hello'));
			expect(c.status).toBe(200);
			const statuses = [];
			for (let i = 0; i < 3; i++) statuses.push((await call(sim, 'GET', `/v1/audio-projects/${c.json.id}`)).status);
			expect(statuses).toEqual([503, 503, 200]);
			expect(() => sim.setOptions({ faults: [{ kind: 'nope' as Fault['kind'] }] })).toThrow(/unknown fault kind/);
			expect(() => sim.setOptions({ faults: [{ kind: 'job-error', route: 'get' }] })).toThrow(/does not apply/);
			expect(() => sim.setOptions({ faults: [{ kind: '500', rate: 2 }] })).toThrow(/rate/);
		});

		test('a seed reproduces a run', async () => {
			const run = async (s: Sim) => {
				const out: number[] = [];
				for (let i = 0; i < 24; i++) out.push((await call(s, 'GET', '/v1/account')).status);
				return out;
			};
			const faults: Fault[] = [{ kind: '500', route: 'account', rate: 0.5 }];
			const a = await startSimulator({ seed: 42, faults });
			const b = await startSimulator({ seed: 42, faults });
			const other = await startSimulator({ seed: 43, faults });
			try {
				const ra = await run(a);
				expect(ra).toContain(500);
				expect(ra).toContain(200);
				expect(await run(b)).toEqual(ra);
				a.reset();
				expect(await run(a)).toEqual(ra);
				expect(await run(other)).not.toEqual(ra);
			} finally {
				await Promise.all([a.close(), b.close(), other.close()]);
			}
		});
	});

	describe('large bodies are streamed', () => {
		const SIZE = 50 * 1024 * 1024;

		test(
			'50 MB upload and 50 MB download',
			async () => {
				sim.setOptions({ resultBytes: SIZE });
				const u = await call(sim, 'POST', '/v1/files/upload-urls', { items: [{ type: 'audio', extension: 'wav' }] });
				const rss0 = process.memoryUsage().rss;
				let peak = rss0;
				const sample = () => {
					peak = Math.max(peak, process.memoryUsage().rss);
				};

				// upload: http.request with Content-Length, written chunk by chunk with backpressure
				const status = await new Promise<number>((resolve, reject) => {
					const req = http.request(u.json.items[0].upload_url, {
						method: 'PUT',
						headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': SIZE },
					});
					req.on('response', (res) => {
						res.resume();
						res.on('end', () => resolve(res.statusCode ?? 0));
					});
					req.on('error', reject);
					const chunk = Buffer.alloc(1024 * 1024, 0x55);
					let sent = 0;
					const pump = () => {
						while (sent < SIZE) {
							sent += chunk.length;
							sample();
							if (!req.write(chunk)) return void req.once('drain', pump);
						}
						req.end();
					};
					pump();
				});
				expect(status).toBe(200);
				expect(sim.uploads()[0].size).toBe(SIZE);

				const c = await call(sim, 'POST', '/v1/ai-voice-cloner', {
					assets: { audio_file_path: u.json.items[0].file_path },
					style: { prompt: 'big' },
				});
				const done = await waitTerminal(sim, c.json.id);
				const res = await fetch(done.downloads[0].url);
				expect(Number(res.headers.get('content-length'))).toBe(SIZE);
				let received = 0;
				let head = Buffer.alloc(0);
				for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
					if (head.length < 44) head = Buffer.concat([head, Buffer.from(part)]).subarray(0, 44);
					received += part.length;
					sample();
				}
				expect(received).toBe(SIZE);
				checkWav(head, SIZE);
				expect(sim.stats().downloadsBytes).toBe(SIZE);
				expect(sim.stats().uploadsBytes).toBe(SIZE);
				// loose (GC lag alone is ~50 MB here; a 200 MB run shows the same flat growth): no side buffered it all
				expect(peak - rss0).toBeLessThan(SIZE * 2);
			},
			30000,
		);
	});

	describe('CLI', () => {
		test('prints URL and token, serves, stops on SIGTERM', async () => {
			const child = spawn(process.execPath, [path.join(__dirname, 'cli.js'), '--port', '0', '--token', 'mhk_cli', '--quiet', '--fault', '429:create:1:1'], {
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			try {
				const out = await new Promise<string>((resolve, reject) => {
					let buf = '';
					child.stdout.on('data', (d: Buffer) => {
						buf += d.toString();
						if (/MAGICHOUR_API_KEY=\S+\n/.test(buf)) resolve(buf);
					});
					child.on('exit', (code) => reject(new Error(`exited ${code}`)));
				});
				const url = /MAGICHOUR_BASE_URL=(\S+)/.exec(out)![1];
				expect(out).toContain('MAGICHOUR_API_KEY=mhk_cli');
				const headers = { Authorization: 'Bearer mhk_cli', 'Content-Type': 'application/json' };
				expect((await fetch(`${url}/v1/account`, { headers })).status).toBe(200);
				const first = await fetch(`${url}/v1/ai-voice-cloner`, { method: 'POST', headers, body: JSON.stringify(createBody('cli')) });
				expect(first.status).toBe(429);
				const second = await fetch(`${url}/v1/ai-voice-cloner`, { method: 'POST', headers, body: JSON.stringify(createBody('cli')) });
				expect(second.status).toBe(200);
			} finally {
				const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
				child.kill('SIGTERM');
				expect(await exited).toBe(0);
			}
		});
	});
});
