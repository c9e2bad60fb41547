'use strict';
// @ts-check
/**
 * The package as users run it: packed with `npm pack`, installed as a community package into
 * real n8n (2.41.1 on Node 24, or MAGIC_HOUR_N8N_VERSION, e.g. 1.123.81 on Node 22), credential
 * pointing at the local Magic Hour simulator, workflows imported and run with `n8n execute`.
 */
const runner = require('./n8n-runner');
const workflows = require('./workflows');
const { startSimulator } = require('../simulator');
const { generateWav, parseWavHeader } = require('../simulator/wav');

const TOKEN = 'mhk_live_e2e_token_b81f';
const phases = [];
let simulator;
let home;
let tarball;

/** @param {string} name @param {() => Promise<any>} work */
async function phase(name, work) {
	const started = Date.now();
	try {
		return await work();
	} finally {
		phases.push([name, (Date.now() - started) / 1000]);
		process.stdout.write(`[e2e] ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
	}
}

/** @param {string} id */
async function execute(id) {
	const result = await runner.executeWorkflow(home, id, { timeoutMs: 180_000 });
	if (!result.run) throw new Error(`n8n printed no run for ${id} (exit ${result.exitCode}):\n${result.stderr.slice(-2000)}`);
	return result;
}

/** Checks that base64 text is a playable WAV and returns its length in seconds. */
function wavSeconds(base64) {
	const audio = Buffer.from(base64, 'base64');
	const header = parseWavHeader(audio);
	expect(header.audioFormat).toBe(1);
	expect(header.dataOffset + header.dataBytes).toBe(audio.length);
	return header.durationSec;
}

const expectedSeconds = (text) => Math.max(0.5, [...text].length * 0.06);

beforeAll(async () => {
	simulator = await startSimulator({ token: TOKEN, renderMs: 1500 });
	const packed = await phase('build and npm pack', () => runner.packPackage({ log: () => {} }));
	tarball = packed;
	home = await phase('install the tarball as a community package', () => runner.createN8nHome({ tarball: packed.tarball, log: () => {} }));
	await phase('import the credential', () => runner.importCredentials(home, [workflows.credential(simulator.url, TOKEN)]));
	await phase('import the workflows', () =>
		runner.importWorkflows(home, [
			workflows.exampleWithAudioCheck(),
			workflows.binarySampleWorkflow(generateWav({ durationSec: 2 }).toString('base64')),
			workflows.continueOnFailWorkflow(),
			workflows.paymentRequiredWorkflow(),
		]),
	);
});

afterAll(async () => {
	await home?.cleanup();
	tarball?.cleanup();
	await simulator?.close();
	process.stdout.write(`\n[e2e] phases:\n${phases.map(([name, s]) => `  ${s.toFixed(1).padStart(6)} s  ${name}`).join('\n')}\n`);
});

beforeEach(() => {
	simulator.reset();
	simulator.setOptions({ renderMs: 1500, faults: [] });
});

describe('Magic Hour Voice Cloner in real n8n', () => {
	it('runs the example workflow: three prompts by expression, a URL sample, the audio in the binary output', async () => {
		const { exitCode, run } = await phase('example workflow (3 items, URL sample)', () => execute('e2eExample'));
		expect(exitCode).toBe(0);
		const cloned = runner.nodeOutput(run, workflows.NODE_NAME);
		const texts = runner.nodeOutput(run, 'Texts').map((item) => item.json.text);
		expect(cloned.map((item) => item.json.status)).toEqual(['complete', 'complete', 'complete']);
		expect(cloned.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(cloned.map((item) => item.binary.data.mimeType)).toEqual(['audio/wav', 'audio/wav', 'audio/wav']);
		expect(cloned.map((item) => item.binary.data.fileName)).toEqual(['Line 1.wav', 'Line 2.wav', 'Line 3.wav']);

		const jobs = simulator.jobs();
		expect(jobs.map((job) => job.prompt).sort()).toEqual([...texts].sort());
		expect(simulator.stats().requests['POST /v1/ai-voice-cloner']).toBe(3);
		expect(simulator.stats().authOnSignedUrls).toBe(0);

		const audio = runner.nodeOutput(run, 'Audio as Base64');
		audio.forEach((item, index) => {
			expect(wavSeconds(item.json.audio_base64)).toBeCloseTo(expectedSeconds(texts[index]), 2);
		});
		expect(JSON.stringify(run)).not.toContain(TOKEN);
	});

	it('uploads a binary sample made inside the workflow through the signed URL, without the token', async () => {
		const { exitCode, run } = await phase('binary sample workflow', () => execute('e2eBinary'));
		expect(exitCode).toBe(0);
		const [cloned] = runner.nodeOutput(run, workflows.NODE_NAME);
		expect(cloned.json.audio_file_path).toMatch(/^api-assets\/.+\.wav$/);
		const [upload] = simulator.uploads();
		expect(upload.file_path).toBe(cloned.json.audio_file_path);
		expect(upload.size).toBe(generateWav({ durationSec: 2 }).length);
		expect(simulator.stats().authOnSignedUrls).toBe(0);
		const [audio] = runner.nodeOutput(run, 'Audio as Base64');
		expect(wavSeconds(audio.json.audio_base64)).toBeCloseTo(expectedSeconds('Spoken from an uploaded sample.'), 2);
	});

	it('with Continue On Fail, reports the bad item in place and clones the good ones', async () => {
		const { exitCode, run } = await phase('continue on fail workflow', () => execute('e2eContinueOnFail'));
		expect(exitCode).toBe(0);
		const items = runner.nodeOutput(run, workflows.NODE_NAME);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.status).toBe('queued');
		expect(items[1].json.error).toBe('"Prompt" is 1001 characters long; Magic Hour accepts at most 1000 [item 1]');
		expect(items[1].json.error_description).toMatch(/Shorten the text/);
		expect(items[2].json.status).toBe('queued');
		expect(simulator.stats().jobsCreated).toBe(2);
	});

	it('stops the run with a readable error when Magic Hour answers 402', async () => {
		simulator.setOptions({ credits: 0 });
		const { exitCode, run } = await phase('402 workflow', () => execute('e2ePaymentRequired'));
		simulator.setOptions({ credits: 100000 });
		expect(exitCode).toBe(1);
		const error = runner.runError(run);
		expect(error?.message).toBe('Magic Hour answered 402: Not enough credits [insufficient_credits]');
		expect(error?.description).toMatch(/too few credits/);
		expect(simulator.stats().jobsCreated).toBe(0);
	});

	it('gets an existing project by id and downloads its audio, creating nothing', async () => {
		const created = await fetch(`${simulator.url}/v1/ai-voice-cloner`, {
			method: 'POST',
			headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'made earlier', assets: { audio_file_path: 'https://cdn.example.com/v.mp3' }, style: { prompt: 'Made earlier.' } }),
		}).then((response) => response.json());
		await runner.importWorkflows(home, [workflows.getProjectWorkflow(created.id)]);
		const { exitCode, run } = await phase('get workflow', () => execute('e2eGet'));
		expect(exitCode).toBe(0);
		const [project] = runner.nodeOutput(run, workflows.NODE_NAME);
		expect(project.json).toMatchObject({ id: created.id, status: 'complete', name: 'made earlier' });
		expect(simulator.stats().jobsCreated).toBe(1);
		const [audio] = runner.nodeOutput(run, 'Audio as Base64');
		expect(wavSeconds(audio.json.audio_base64)).toBeCloseTo(expectedSeconds('Made earlier.'), 2);
	});
});
