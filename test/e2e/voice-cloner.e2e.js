'use strict';
// @ts-check
/**
 * The package as users run it: packed with `npm pack`, installed as a community package into
 * real n8n (2.41.1 on Node 24, or MAGIC_HOUR_N8N_VERSION, e.g. 1.123.81 on Node 22), credential
 * pointing at the local Magic Hour simulator, workflows imported and run with `n8n execute`.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runner = require('../n8n/n8n-runner');
const workflows = require('../n8n/workflows');
const { startSimulator } = require('../simulator');
const { generateWav, parseWavHeader } = require('../simulator/wav');
const { prose } = require('../prose');
const { phaseLog } = require('../n8n/phases');

const TOKEN = 'mhk_live_e2e_token_b81f';
const { phase, say, table } = phaseLog('e2e');
let simulator;
let home;
let tarball;
/** A folder n8n may read files from (N8N_RESTRICT_FILE_ACCESS_TO), holding the voice sample. */
let filesDir;
let samplePath;
const SAMPLE = generateWav({ durationSec: 2 });


/** @param {string} id */
async function execute(id) {
	const result = await runner.executeWorkflow(home, id, { timeoutMs: 180_000, env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
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

/** Twelve lines of 100 characters: estimated 5 credits each at 0.05 per character, 60 in all. */
const BUDGET_LINES = Array(12).fill(prose(100));
const BUDGET = 70;
/** For the "Estimate, then decide" example: the first three cost at most its limit per text, 100 credits, the last one more. */
const SCRIPTS = [prose(27), prose(1000), prose(1800), prose(5000)];
const ESTIMATE_MAX = 100;
/** Spoken in Spanish at 1.25 times normal speed. */
const STYLED = { language: 'spanish', speed: 1.25, text: 'Hola, esta es mi voz clonada en español.' };
/** Saved voices named by ID, each item with a speed: a missing voice, a character, a voice without audio, a speed out of range, a good one. */
const VOICE_REQUESTS = [
	{ voice: 'sv_gone', speed: 1 },
	{ voice: 'ch_mascot', speed: 1 },
	{ voice: 'sv_old_take', speed: 1 },
	{ voice: 'sv_support', speed: 2 },
	{ voice: 'sv_narrator_warm', speed: 1 },
];
const sum = (/** @type {number[]} */ values) => values.reduce((total, value) => total + value, 0);

beforeAll(async () => {
	filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-files-'));
	samplePath = path.join(filesDir, 'my-voice.wav');
	fs.writeFileSync(samplePath, SAMPLE);
	simulator = await startSimulator({ token: TOKEN, renderMs: 1500 });
	const packed = await phase('build and npm pack', () => runner.packPackage({ log: () => {} }));
	tarball = packed;
	home = await phase('install the tarball as a community package', () => runner.createN8nHome({ tarball: packed.tarball, log: () => {} }));
	// Pasted as people often paste it, with whitespace around: the simulator accepts only
	// `Bearer <token>` exactly, so every run below proves the credential's trim in real n8n.
	await phase('import the credential', () =>
		runner.importCredentials(home, [workflows.credential(simulator.url, `  ${TOKEN}\n`)]),
	);
	await phase('import the workflows', () =>
		runner.importWorkflows(home, [
			workflows.exampleWithAudioCheck(),
			workflows.binarySampleWorkflow(generateWav({ durationSec: 2 }).toString('base64')),
			workflows.continueOnFailWorkflow(),
			workflows.paymentRequiredWorkflow(),
			workflows.uploadOnceExample(samplePath),
			workflows.sharedBinarySampleWorkflow(samplePath),
			workflows.longTextExample(),
			workflows.budgetedBatchWorkflow(BUDGET_LINES, BUDGET),
			workflows.estimateThenDecideExample(SCRIPTS),
			workflows.savedVoiceExample('sv_podcast_host', 'Podcast host'),
			workflows.libraryLinkWorkflow(),
			workflows.languageSpeedWorkflow(STYLED),
			workflows.savedVoiceRequestsWorkflow(VOICE_REQUESTS),
		]),
	);
});

afterAll(async () => {
	await home?.cleanup();
	tarball?.cleanup();
	await simulator?.close();
	if (filesDir) fs.rmSync(filesDir, { recursive: true, force: true });
	say(`phases:\n${table()}`);
});

beforeEach(() => {
	simulator.reset();
	simulator.setOptions({ renderMs: 1500, faults: [], resultFormat: 'wav', latencyMs: 0, creditsPerCharacter: 0.05, credits: 100000 });
});

describe('Magic Hour Voice Cloner in real n8n', () => {
	it('runs the quick-start example: three prompts by expression, a URL sample, the audio in the binary output', async () => {
		const { exitCode, run } = await phase('quick-start example (3 items, URL sample)', () => execute('e2eExample'));
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

	it('runs the upload-once recipe: Read Voice Sample → Upload Voice Sample → Lines → Clone Voice from the uploaded path', async () => {
		const before = Date.now();
		const { exitCode, run } = await phase('upload-once recipe (1 upload, 3 lines)', () => execute('e2eUploadOnce'));
		expect(exitCode).toBe(0);
		const [uploaded] = runner.nodeOutput(run, 'Upload Voice Sample');
		expect(uploaded.json).toEqual({
			audio_file_path: expect.stringMatching(/^api-assets\/.+\.wav$/),
			expires_at: expect.any(String),
			file_name: 'my-voice.wav',
			mime_type: 'audio/wav',
			size: SAMPLE.length,
		});
		const sevenDays = 7 * 24 * 3600 * 1000;
		expect(Date.parse(uploaded.json.expires_at)).toBeGreaterThanOrEqual(before + sevenDays);
		expect(Date.parse(uploaded.json.expires_at)).toBeLessThanOrEqual(Date.now() + sevenDays);

		expect(simulator.uploads().map((upload) => [upload.file_path, upload.size])).toEqual([[uploaded.json.audio_file_path, SAMPLE.length]]);
		expect(simulator.stats().authOnSignedUrls).toBe(0);
		expect(simulator.jobs().map((job) => job.audio_file_path)).toEqual(Array(3).fill(uploaded.json.audio_file_path));

		const cloned = runner.nodeOutput(run, 'Clone Voice');
		expect(cloned.map((item) => [item.json.status, item.json.audio_file_path, item.binary.data.mimeType])).toEqual(
			Array(3).fill(['complete', uploaded.json.audio_file_path, 'audio/wav']),
		);
		expect(cloned.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('uploads a binary sample that three lines carry once, and clones all three from it', async () => {
		const { exitCode, run } = await phase('one binary sample, three lines', () => execute('e2eSharedSample'));
		expect(exitCode).toBe(0);
		expect(simulator.stats().requests['POST /v1/files/upload-urls']).toBe(1);
		expect(simulator.stats().uploadsBytes).toBe(SAMPLE.length);
		const [upload] = simulator.uploads();
		const cloned = runner.nodeOutput(run, workflows.NODE_NAME);
		expect(cloned.map((item) => [item.json.status, item.json.audio_file_path, item.pairedItem])).toEqual(
			[0, 1, 2].map((item) => ['queued', upload.file_path, { item }]),
		);
		expect(simulator.stats().jobsCreated).toBe(3);
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
		// The balance (1 credit) covers the estimate (19 characters at 0.05: 1 credit), so the create is sent;
		// Magic Hour charges 0.1 per character (2 credits) and refuses it.
		simulator.setOptions({ credits: 1, creditsPerCharacter: 0.1 });
		const { exitCode, run } = await phase('402 workflow', () => execute('e2ePaymentRequired'));
		expect(exitCode).toBe(1);
		const error = runner.runError(run);
		expect(error?.message).toBe('Magic Hour answered 402: Not enough credits [insufficient_credits]');
		expect(error?.description).toMatch(/too few credits/);
		expect(simulator.stats().jobsCreated).toBe(0);
	});

	it('keeps a batch within Max Credits per Run when Magic Hour charges twice the estimate: pays exactly the budget, the rest unpaid', async () => {
		// Estimated 12 × 5 = 60 ≤ 70: the run starts. Charged 10 each, all 12 at once, every answer 150 ms late.
		simulator.setOptions({ creditsPerCharacter: 0.1, latencyMs: 150 });
		const { exitCode, run } = await phase('budgeted batch (12 lines, charged twice the estimate)', () => execute('e2eBudget'));
		expect(exitCode).toBe(0);
		const items = runner.nodeOutput(run, workflows.NODE_NAME);
		expect(items.map((item) => item.pairedItem)).toEqual(BUDGET_LINES.map((_, item) => ({ item })));

		const jobs = simulator.jobs();
		expect(sum(jobs.map((job) => job.credits_charged))).toBe(BUDGET);
		const paid = items.filter((item) => item.json.id !== undefined);
		expect(paid.map((item) => item.json.id).sort()).toEqual(jobs.map((job) => job.id).sort());
		expect(paid.map((item) => item.json.credits_charged)).toEqual(Array(7).fill(10));
		// Each paid item says what the run had spent once it was paid.
		expect(paid.map((item) => item.json.run_credits_charged).sort((a, b) => a - b)).toEqual([10, 20, 30, 40, 50, 60, 70]);
		expect(paid[0].json.rate_note).toMatch(
			/^Magic Hour charged 10 credits, the estimate at 0\.05 credits per character was 5\. This run was charged about 0\.1 credits per character/,
		);

		const refused = items.filter((item) => item.json.id === undefined);
		expect(refused.map((item) => item.json.error_code)).toEqual(Array(5).fill('over_budget'));
		for (const item of refused) {
			expect(item.json.error).toMatch(/^This item may cost 10 credits, and the run has spent or set aside \d+ of its "Max Credits per Run" of 70 \[item \d+\]$/);
			expect(item.json.error_description).toMatch(/^Nothing was paid for this item\./);
		}
		expect(simulator.stats().requests['POST /v1/ai-voice-cloner']).toBe(7);
	});

	it('pays nothing for a batch the account cannot pay for, and says how many credits are missing', async () => {
		simulator.setOptions({ credits: 40 });
		const { exitCode, run } = await phase('budgeted batch, 40 credits left', () => execute('e2eBudget'));
		expect(exitCode).toBe(0);
		const items = runner.nodeOutput(run, workflows.NODE_NAME);
		expect(items.map((item) => [item.json.error, item.json.error_code])).toEqual(
			BUDGET_LINES.map((_, index) => [
				`Your Magic Hour account has 40 credits; this run needs an estimated 60: 20 credits are missing [item ${index}]`,
				'insufficient_credits',
			]),
		);
		// One free look at the balance, nothing else.
		expect(simulator.requests().map((request) => request.key)).toEqual(['GET /v1/account']);
		expect(simulator.stats().credits).toBe(40);
	});

	it('runs the "Estimate, then decide" example: Estimate Cost sends nothing and says what Clone Voice then charges', async () => {
		const { exitCode, run } = await phase('estimate, then decide (4 scripts, 3 within budget)', () => execute('e2eEstimateFirst'));
		expect(exitCode).toBe(0);
		const estimates = runner.nodeOutput(run, 'Estimate Cost').map((item) => item.json);
		expect(estimates.map((estimate) => [estimate.prompt_characters, estimate.credits_per_character])).toEqual(
			SCRIPTS.map((text) => [[...text].length, 0.05]),
		);
		expect(estimates.map((estimate) => estimate.parts.length > 1)).toEqual([false, false, true, true]);
		expect(estimates.map((estimate) => estimate.estimated_credits <= ESTIMATE_MAX)).toEqual([true, true, true, false]);

		// Every request is Clone Voice's: its balance check, then one create per text or part of the three within
		// the limit, and the looks and downloads of their jobs.
		const cloned = runner.nodeOutput(run, 'Clone Voice');
		const within = estimates.slice(0, 3);
		const paid = simulator.requests().filter((request) => request.route !== 'get' && request.route !== 'download');
		expect(paid.map((request) => request.key)).toEqual([
			'GET /v1/account',
			...Array(sum(within.map((estimate) => estimate.parts.length))).fill('POST /v1/ai-voice-cloner'),
		]);
		expect(cloned.map((item) => [item.json.status, item.binary?.data.mimeType])).toEqual(Array(3).fill(['complete', 'audio/wav']));
		// Charged what was estimated, at the same rate: per text, and per part of the long one.
		expect(cloned.map((item) => item.json.credits_charged)).toEqual(within.map((estimate) => estimate.estimated_credits));
		expect(cloned[2].json.parts.map((part) => [part.characters, part.credits_charged])).toEqual(
			within[2].parts.map((part) => [part.characters, part.estimated_credits]),
		);
		expect(sum(simulator.jobs().map((job) => job.credits_charged))).toBe(sum(within.map((estimate) => estimate.estimated_credits)));
	});

	/** The script of the long-text example, as its *Script* node gave it. @param {any} run */
	const scriptOf = (run) => runner.nodeOutput(run, 'Script')[0].json.text;

	it('runs the long-text example: a script over 1000 characters cloned in parts at sentence ends, one WAV as long as its parts', async () => {
		const { exitCode, run } = await phase('long-text example (WAV)', () => execute('e2eLongText'));
		expect(exitCode).toBe(0);
		const script = scriptOf(run);
		const jobs = simulator.jobs();
		const [item] = runner.nodeOutput(run, 'Clone Voice');
		const parts = item.json.parts;
		expect([...script].length).toBeGreaterThan(1000);
		expect(parts.length).toBeGreaterThan(1);
		expect(simulator.stats().requests['POST /v1/ai-voice-cloner']).toBe(parts.length);
		expect(parts.map((part) => part.id).sort()).toEqual(jobs.map((job) => job.id).sort());
		expect(item.json.id).toBe(parts[0].id);
		const prompts = parts.map((part) => jobs.find((job) => job.id === part.id).prompt);
		expect(prompts.join(' ')).toBe(script);
		expect(prompts.every((prompt) => [...prompt].length <= 1000 && /[.!?]$/.test(prompt))).toBe(true);
		expect(item.json.credits_charged).toBe(sum(jobs.map((job) => job.credits_charged)));
		expect(item.binary.data).toMatchObject({ mimeType: 'audio/wav', fileName: 'Voice-over.wav' });

		const [audio] = runner.nodeOutput(run, 'Audio as Base64');
		const joined = Buffer.from(audio.json.audio_base64, 'base64');
		const header = parseWavHeader(joined);
		expect(header).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16 });
		expect(header.dataOffset + header.dataBytes).toBe(joined.length);
		expect(header.dataBytes).toBe(sum(jobs.map((job) => job.resultBytes - 44)));
		expect(header.durationSec).toBeCloseTo(sum(prompts.map(expectedSeconds)), 3);
	});

	it('joins the parts\' MP3 audio the same way, frames in order, one ID3 tag', async () => {
		simulator.setOptions({ resultFormat: 'mp3' });
		const { exitCode, run } = await phase('long-text example (MP3)', () => execute('e2eLongText'));
		expect(exitCode).toBe(0);
		const [item] = runner.nodeOutput(run, 'Clone Voice');
		expect(item.binary.data).toMatchObject({ mimeType: 'audio/mpeg', fileName: 'Voice-over.mp3' });
		const joined = Buffer.from(runner.nodeOutput(run, 'Audio as Base64')[0].json.audio_base64, 'base64');
		// The simulator's files: ID3 tag, Info frame, then 417-byte frames. Joined: one tag, no Info frame.
		const tag = 10 + joined[9];
		expect(joined.toString('latin1', 0, 3)).toBe('ID3');
		const audioFrames = simulator.jobs().reduce((total, job) => total + (job.resultBytes - tag - 417) / 417, 0);
		expect(joined.length).toBe(tag + audioFrames * 417);
		let frames = 0;
		for (let offset = tag; offset < joined.length && joined.readUInt32BE(offset) === 0xfffb90c4; offset += 417) frames++;
		expect(frames).toBe(audioFrames);
		expect(joined.includes(Buffer.from('Info'))).toBe(false);
	});

	it('runs the saved-voice recipe: each line cloned from the voice picked in the Saved Voice list, which sends its primary audio file; the saved voices read once', async () => {
		const { exitCode, run } = await phase('saved-voice recipe (3 lines)', () => execute('e2eSavedVoice'));
		expect(exitCode).toBe(0);
		const host = simulator.savedItems().find((item) => item.id === 'sv_podcast_host');
		const primary = host.assets.find((asset) => asset.media_kind === 'AUDIO' && asset.is_primary).file_path;
		// Its first audio file is another one: the primary one is sent.
		expect(host.assets.find((asset) => asset.media_kind === 'AUDIO').file_path).not.toBe(primary);
		expect(simulator.jobs().map((job) => job.audio_file_path)).toEqual(Array(3).fill(primary));
		const cloned = runner.nodeOutput(run, 'Clone Voice');
		expect(cloned.map((item) => [item.json.status, item.json.audio_file_path, item.json.library_url, item.binary.data.fileName])).toEqual(
			[1, 2, 3].map((line, index) => ['complete', primary, `https://magichour.ai/my-library?audioId=${cloned[index].json.id}`, `Line ${line}.wav`]),
		);
		const keys = simulator.requests().map((request) => request.key);
		expect(keys.filter((key) => key === 'GET /v1/saved-items')).toHaveLength(3);
		expect(keys.indexOf('POST /v1/ai-voice-cloner')).toBeGreaterThan(keys.lastIndexOf('GET /v1/saved-items'));
	});

	it('takes a render\'s library_url as the next clone\'s Audio URL and sends it unchanged', async () => {
		const { exitCode, run } = await phase('library link workflow', () => execute('e2eLibraryLink'));
		expect(exitCode).toBe(0);
		const [first] = runner.nodeOutput(run, workflows.NODE_NAME);
		expect(first.json.library_url).toBe(`https://magichour.ai/my-library?audioId=${first.json.id}`);
		const [second] = runner.nodeOutput(run, 'Clone from the Render');
		expect(second.json).toMatchObject({ status: 'queued', audio_file_path: first.json.library_url });
		expect(simulator.jobs().find((job) => job.id === second.json.id).audio_file_path).toBe(first.json.library_url);
	});

	it('sends Language and Speed in style when set, and style with the prompt alone when not; the speed is heard in the audio\'s length', async () => {
		const { exitCode, run } = await phase('language and speed workflow', () => execute('e2eLanguageSpeed'));
		expect(exitCode).toBe(0);
		const [styled] = runner.nodeOutput(run, 'Spanish and Faster');
		const [plain] = runner.nodeOutput(run, 'As Before');
		const styleOf = (id) => simulator.jobs().find((job) => job.id === id).style;
		expect(styleOf(styled.json.id)).toEqual({ prompt: STYLED.text, language: 'spanish', speed: 1.25 });
		expect(styleOf(plain.json.id)).toEqual({ prompt: 'Without language or speed.' });
		const [audio] = runner.nodeOutput(run, 'Audio as Base64');
		expect(wavSeconds(audio.json.audio_base64)).toBeCloseTo(expectedSeconds(STYLED.text) / 1.25, 2);
	});

	it('fails, before any paid request, the items whose saved voice is missing, not a voice or without audio, or whose speed is out of range; clones the rest', async () => {
		const { exitCode, run } = await phase('saved voices by id, with bad items', () => execute('e2eSavedVoiceItems'));
		expect(exitCode).toBe(0);
		const items = runner.nodeOutput(run, workflows.NODE_NAME);
		expect(items.map((item) => item.pairedItem)).toEqual(VOICE_REQUESTS.map((_, item) => ({ item })));
		expect(items.map((item) => item.json.error ?? item.json.status)).toEqual([
			'"Saved Voice" "sv_gone" is not a voice saved in this Magic Hour account [item 0]',
			'"Saved Voice" "ch_mascot" is not a voice saved in this Magic Hour account [item 1]',
			'The saved voice "Old take" (sv_old_take) has no audio file in Magic Hour [item 2]',
			'"Speed" must be a number from 0.75 to 1.30, but it is a number (2) [item 3]',
			'queued',
		]);
		expect(items.slice(0, 4).map((item) => item.json.error_description)).toEqual([
			expect.stringMatching(/^Pick the voice from the list in "Saved Voice".*Nothing was sent for this item\.$/),
			expect.stringMatching(/^Pick the voice from the list in "Saved Voice".*Nothing was sent for this item\.$/),
			expect.stringMatching(/^Open the voice in your Magic Hour library.*Nothing was sent for this item\.$/),
			expect.stringMatching(/^Nothing was sent\. Set "Speed" in the options to a number from 0\.75 to 1\.30/),
		]);
		// The saved voices read once (3 pages), the balance, then the one good item's create.
		expect(simulator.requests().map((request) => request.key)).toEqual([
			...Array(3).fill('GET /v1/saved-items'),
			'GET /v1/account',
			'POST /v1/ai-voice-cloner',
		]);
		expect(simulator.jobs().map((job) => [job.audio_file_path, job.style])).toEqual([
			['saved-items/user_sim_0001/sv_narrator_warm/voice.mp3', { prompt: 'One line per request.', speed: 1 }],
		]);
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

	it('does not follow a redirect of the API to another origin: the token never gets there', async () => {
		simulator.setOptions({ faults: [{ kind: 'redirect-foreign', route: 'get' }] });
		await runner.importWorkflows(home, [workflows.getProjectWorkflow('cabc123')]);
		const { exitCode, run } = await phase('redirected get workflow', () => execute('e2eGet'));
		expect(exitCode).toBe(1);
		expect(runner.runError(run)?.message).toContain(`a redirect to ${new URL(simulator.foreignUrl).host}; it was not followed`);
		expect(simulator.requests().filter((request) => request.origin === 'foreign')).toEqual([]);
		expect(JSON.stringify(run)).not.toContain(TOKEN);
	});
});
