/**
 * Long Text = Split, through a real n8n-core workflow run: a long prompt is cloned in parts and
 * their audio joined. Magic Hour is played by nock; each part's job id and audio follow from
 * which part of the text its create carried.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { parseMp3 } from '../../../../nodes/MagicHour/longText/audioJoin';
import { splitText } from '../../../../nodes/MagicHour/longText/textParts';

import { binaryBuffer, runNode } from '../../../engine/harness';
import { cloneParameters, DOWNLOAD_HOST, longProse, mp3, mp3Frames, project, SAMPLE_URL, wav, wavData } from '../../../builders';
import { api, storage } from '../../../mocks';
import { parseWavHeader } from '../../../simulator/wav';

const TEXT = longProse(2500);
const PARTS = splitText(TEXT, 1000);
const length = (text: string) => [...text].length;
const charge = (text: string) => Math.ceil(length(text) * 0.05);

/** Audio of part n (1-based): WAV parts of different lengths and phases, so order shows. */
const wavPart = (n: number) => wav(1000 * n + 7, {}, n * 100);

interface FakeMagicHour {
	/** The create bodies, in the order they arrived. */
	creates: IDataObject[];
	/** How many creates were waiting for their answer at the same time, at most. */
	maxCreatesTogether: () => number;
}

interface FakeOptions {
	audio?: (n: number) => Buffer;
	contentType?: (n: number) => string;
	/** The answer to the create of part n instead of a job. */
	failCreate?: { part: number; reply: [number, IDataObject] | 'drop' };
	/** The status part n's job ends in. */
	jobStatus?: (n: number) => 'complete' | 'error';
	/** Hold each create's answer until this many creates have arrived (or 300 ms passed). */
	holdCreatesFor?: number;
	download?: boolean;
}

/** nock as Magic Hour for the parts of TEXT (or `parts`): creates, looks, downloads. */
function fakeMagicHour(options: FakeOptions = {}, parts = PARTS): FakeMagicHour {
	const creates: IDataObject[] = [];
	let waiting = 0;
	let maxTogether = 0;
	const partOf = (body: IDataObject) => parts.indexOf((body.style as IDataObject).prompt as string) + 1;
	const idOf = (uri: string) => /part_(\d+)/.exec(uri)![1];
	api()
		.post('/v1/ai-voice-cloner')
		.times(parts.length)
		.reply(async (_uri, body) => {
			const created = body as IDataObject;
			creates.push(created);
			waiting++;
			maxTogether = Math.max(maxTogether, waiting);
			const until = Date.now() + 300;
			while (options.holdCreatesFor && creates.length < options.holdCreatesFor && Date.now() < until) {
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
			waiting--;
			const n = partOf(created);
			if (options.failCreate?.part === n) {
				if (options.failCreate.reply === 'drop') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
				return options.failCreate.reply;
			}
			return [200, { id: `part_${n}`, credits_charged: charge(parts[n - 1]) }];
		});
	const status = options.jobStatus ?? (() => 'complete');
	const extension = (n: number) => ((options.contentType?.(n) ?? 'audio/wav') === 'audio/mpeg' ? 'mp3' : 'wav');
	api()
		.get(/\/v1\/audio-projects\/part_\d+$/)
		.times(parts.length * 3)
		.optionally()
		.reply((uri) => {
			const n = Number(idOf(uri));
			const failed = status(n) === 'error';
			return [
				200,
				project({
					id: `part_${n}`,
					name: `Voice Cloner - part ${n}`,
					status: status(n),
					credits_charged: failed ? 0 : charge(parts[n - 1]),
					downloads: failed ? [] : [{ url: `${DOWNLOAD_HOST}/part_${n}/output.${extension(n)}?sig=s${n}`, expires_at: '2026-11-25T10:00:00.000Z' }],
					error: failed ? { message: 'Unable to clone voice from this sample', code: 'invalid_voice' } : null,
				}),
			];
		});
	if (options.download !== false) {
		storage()
			.get(/\/part_\d+\/output\.(wav|mp3)$/)
			.query(true)
			.times(parts.length)
			.optionally()
			.reply((uri) => {
				const n = Number(idOf(uri));
				return [200, (options.audio ?? wavPart)(n), { 'Content-Type': options.contentType?.(n) ?? 'audio/wav' }];
			});
	}
	return { creates, maxCreatesTogether: () => maxTogether };
}

function splitParameters(overrides: INodeParameters = {}, options: IDataObject = {}): INodeParameters {
	return cloneParameters({ prompt: TEXT, waitForCompletion: true, options: { longText: 'split', ...options }, ...overrides });
}

describe('Long Text = Split: a 2,500-character text', () => {
	it('is cut into 3 parts at sentence ends that give back the text', () => {
		expect(PARTS).toHaveLength(3);
		expect(PARTS.every((part) => length(part) <= 1000 && /[.!?]$/.test(part))).toBe(true);
		expect(PARTS.join(' ')).toBe(TEXT);
	});

	it('sends exactly one create per part, each with its part and the same sample, and joins the WAV audio', async () => {
		const magicHour = fakeMagicHour();
		const { output, error } = await runNode({ parameters: splitParameters({ name: 'Weekly video' }) });

		expect(error).toBeUndefined();
		expect(magicHour.creates).toHaveLength(3);
		expect(magicHour.creates.map((body) => (body.style as IDataObject).prompt).sort()).toEqual([...PARTS].sort());
		expect(magicHour.creates.map((body) => body.assets)).toEqual(PARTS.map(() => ({ audio_file_path: SAMPLE_URL })));
		expect(magicHour.creates.map((body) => body.name).sort()).toEqual([1, 2, 3].map((n) => `Weekly video (part ${n} of 3)`));

		expect(output).toHaveLength(1);
		const [item] = output;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toEqual({
			id: 'part_1',
			status: 'complete',
			type: 'VOICE_CLONER',
			name: 'Weekly video',
			created_at: '2026-11-24T10:00:00.000Z',
			credits_charged: PARTS.reduce((sum, part) => sum + charge(part), 0),
			audio_file_path: SAMPLE_URL,
			prompt_characters: 2500,
			run_credits_charged: PARTS.reduce((sum, part) => sum + charge(part), 0),
			estimated_credits: PARTS.reduce((sum, part) => sum + charge(part), 0),
			parts: PARTS.map((part, index) => ({
				id: `part_${index + 1}`,
				characters: length(part),
				credits_charged: charge(part),
				status: 'complete',
				library_url: `https://magichour.ai/my-library?audioId=part_${index + 1}`,
			})),
		});

		expect(item.binary?.data).toMatchObject({ mimeType: 'audio/wav', fileName: 'Weekly video.wav' });
		const joined = await binaryBuffer(item);
		const header = parseWavHeader(joined);
		expect(header).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16 });
		expect(header.dataBytes).toBe(2 * (1007 + 2007 + 3007));
		expect(header.riffSize).toBe(joined.length - 8);
		expect(joined.subarray(header.dataOffset).equals(Buffer.concat([1, 2, 3].map((n) => wavData(1000 * n + 7, {}, n * 100))))).toBe(true);
	});

	it('joins MP3 parts frame by frame, keeping only the first part\'s ID3 tag', async () => {
		const frames = [40, 41, 20];
		fakeMagicHour({
			audio: (n) => mp3({ frames: frames[n - 1], marker: n, id3Title: `Part ${n}`, infoFrame: true }),
			contentType: () => 'audio/mpeg',
		});
		const { output, error } = await runNode({ parameters: splitParameters() });

		expect(error).toBeUndefined();
		expect(output[0].binary?.data).toMatchObject({ mimeType: 'audio/mpeg', fileName: 'Voice Cloner - part 1.mp3' });
		const joined = await binaryBuffer(output[0]);
		expect(parseMp3(joined).frames).toHaveLength(40 + 41 + 20);
		expect(joined.toString('latin1', 0, 3)).toBe('ID3');
		expect(joined.includes(Buffer.from('Part 1'))).toBe(true);
		expect(joined.includes(Buffer.from('Part 2')) || joined.includes(Buffer.from('Part 3'))).toBe(false);
		const audio = Buffer.concat(frames.flatMap((count, index) => mp3Frames({ frames: count, marker: index + 1 })));
		expect(joined.subarray(joined.length - audio.length).equals(audio)).toBe(true);
	});

	it('uploads a binary sample once for all the parts', async () => {
		const uploadUrls = api()
			.post('/v1/files/upload-urls')
			.once()
			.reply(200, { items: [{ upload_url: `${DOWNLOAD_HOST}/upload/s.wav?sig=u`, expires_at: 'x', file_path: 'api-assets/s.wav' }] });
		const put = storage().put('/upload/s.wav').query(true).once().reply(200, '');
		const magicHour = fakeMagicHour();
		const { error } = await runNode({
			parameters: splitParameters({ audioSource: 'binary', binaryPropertyName: 'data' }),
			items: [{ binary: { data: { data: wav(800), fileName: 'me.wav', mimeType: 'audio/wav' } } }],
		});
		expect(error).toBeUndefined();
		expect(uploadUrls.isDone() && put.isDone()).toBe(true);
		expect(magicHour.creates.map((body) => body.assets)).toEqual(PARTS.map(() => ({ audio_file_path: 'api-assets/s.wav' })));
	});

	it.each([
		[5, 3],
		[2, 2],
		[1, 1],
	])('runs the parts of an item with Concurrency %i: %i creates in flight at once', async (concurrency, together) => {
		const magicHour = fakeMagicHour({ holdCreatesFor: 3 });
		const { error } = await runNode({ parameters: splitParameters({}, { concurrency }) });
		expect(error).toBeUndefined();
		expect(magicHour.creates).toHaveLength(3);
		expect(magicHour.maxCreatesTogether()).toBe(together);
	});

	it('with Wait for Completion off, returns the parts\' job ids without waiting or joining', async () => {
		fakeMagicHour({ download: false });
		const { output } = await runNode({ parameters: splitParameters({ waitForCompletion: false }) });
		expect(output[0].binary).toBeUndefined();
		expect(output[0].json).toEqual({
			id: 'part_1',
			status: 'queued',
			name: null,
			credits_charged: PARTS.reduce((sum, part) => sum + charge(part), 0),
			audio_file_path: SAMPLE_URL,
			prompt_characters: 2500,
			run_credits_charged: PARTS.reduce((sum, part) => sum + charge(part), 0),
			estimated_credits: PARTS.reduce((sum, part) => sum + charge(part), 0),
			parts: PARTS.map((part, index) => ({ id: `part_${index + 1}`, characters: length(part), credits_charged: charge(part), status: 'queued', library_url: null })),
		});
	});

	it('with Download Audio off, returns each part\'s download links and downloads nothing', async () => {
		fakeMagicHour({ download: false });
		const { output } = await runNode({ parameters: splitParameters({}, { downloadAudio: false }) });
		expect(output[0].binary).toBeUndefined();
		expect((output[0].json.parts as IDataObject[]).map((part) => part.downloads)).toEqual(
			[1, 2, 3].map((n) => [{ url: `${DOWNLOAD_HOST}/part_${n}/output.wav?sig=s${n}`, expires_at: '2026-11-25T10:00:00.000Z' }]),
		);
	});

	it('gives an AI agent each part\'s link and no audio bytes', async () => {
		fakeMagicHour({ download: false });
		const { output } = await runNode({ parameters: splitParameters(), asTool: true });
		expect(output[0].binary).toBeUndefined();
		expect(output[0].json).toMatchObject({ id: 'part_1', status: 'complete', estimated_credits: PARTS.reduce((sum, part) => sum + charge(part), 0) });
		expect((output[0].json.parts as IDataObject[]).map((part) => part.download_url)).toEqual(
			[1, 2, 3].map((n) => `${DOWNLOAD_HOST}/part_${n}/output.wav?sig=s${n}`),
		);
	});

	it('deletes every part from Magic Hour once the joined audio is in n8n, when asked', async () => {
		fakeMagicHour();
		const deletes = api().delete(/\/v1\/audio-projects\/part_[123]$/).times(3).reply(204);
		const { output } = await runNode({ parameters: splitParameters({}, { deleteAfterDownload: true, outputBinaryPropertyName: 'voiceover' }) });
		expect(deletes.isDone()).toBe(true);
		expect(output[0].json.deleted).toBe(true);
		// Deleted: their library links would lead nowhere.
		expect((output[0].json.parts as IDataObject[]).map((part) => part.library_url)).toEqual([null, null, null]);
		expect(Object.keys(output[0].binary ?? {})).toEqual(['voiceover']);
	});

	it('speaks every part in the same Language and at the same Speed, at the same estimate', async () => {
		const magicHour = fakeMagicHour({ download: false });
		const { output } = await runNode({ parameters: splitParameters({ waitForCompletion: false }, { language: 'Spanish', speed: 1.2 }) });
		expect(magicHour.creates.map((body) => body.style)).toEqual(PARTS.map((prompt) => ({ prompt, language: 'spanish', speed: 1.2 })));
		expect(output[0].json.estimated_credits).toBe(PARTS.reduce((sum, part) => sum + charge(part), 0));
	});

	it('clones a text of up to 1000 characters as one job, with the usual output', async () => {
		api().post('/v1/ai-voice-cloner').once().reply(200, { id: 'proj_1', credits_charged: 1 });
		const { output } = await runNode({ parameters: splitParameters({ prompt: 'Short.', waitForCompletion: false }) });
		expect(output[0].json).toEqual({
			id: 'proj_1',
			credits_charged: 1,
			status: 'queued',
			name: null,
			library_url: null,
			audio_file_path: SAMPLE_URL,
			prompt_characters: 6,
			estimated_credits: 1,
			run_credits_charged: 1,
		});
	});
});

describe('Long Text = Split: when a part fails', () => {
	it('fails the item, lists the paid parts with their status, and sends no later part', async () => {
		const magicHour = fakeMagicHour({
			failCreate: { part: 2, reply: [402, { message: 'Not enough credits', code: 'insufficient_credits' }] },
		});
		const { error, output } = await runNode({ parameters: splitParameters({}, { concurrency: 1 }) });

		expect(output).toEqual([]);
		expect(magicHour.creates.map((body) => (body.style as IDataObject).prompt)).toEqual([PARTS[0], PARTS[1]]);
		expect(error?.message).toBe(
			'Part 2 of 3 of the text failed: Magic Hour answered 402: Not enough credits [insufficient_credits]. Parts with a paid job: part 1 part_1 (complete)',
		);
		expect(error?.description).toContain('Part 3 was not sent: nothing was paid for it.');
		expect(error?.description).toContain('collect their audio with "Get Audio Project"');
		expect(error?.description).toContain('Running this item again clones every part again');
	});

	it('never sends a part\'s create twice when its answer was lost, and says it may be paid', async () => {
		const magicHour = fakeMagicHour({ failCreate: { part: 2, reply: 'drop' } });
		const { error } = await runNode({ parameters: splitParameters() });

		const prompts = magicHour.creates.map((body) => (body.style as IDataObject).prompt);
		expect(prompts.filter((prompt) => prompt === PARTS[1])).toHaveLength(1);
		expect(prompts).toHaveLength(3);
		expect(error?.message).toMatch(/^Part 2 of 3 of the text failed: The connection to Magic Hour failed \(ECONNRESET\)/);
		expect(error?.message).toMatch(/Parts with a paid job: part 1 part_1 \((queued|rendering|complete)\), part 3 part_3 \((queued|rendering|complete)\)$/);
		expect(error?.description).toMatch(/may still have started a paid job/);
	});

	it('fails the item when a part\'s job ends in error, naming that part\'s project', async () => {
		fakeMagicHour({ jobStatus: (n) => (n === 3 ? 'error' : 'complete') });
		const { error } = await runNode({ parameters: splitParameters() });
		expect(error?.message).toMatch(/^Part 3 of 3 of the text failed: Magic Hour could not render the audio: Unable to clone voice from this sample \[invalid_voice\] \(project part_3\)/);
		expect(error?.message).toMatch(/part 3 part_3 \(error\)$/);
		expect(error?.description).toMatch(/refunded/);
	});

	it('with Continue On Fail, reports the failed item in place, with its parts, and delivers the others', async () => {
		const longFor = (label: string) => `${label} ${TEXT}`.slice(0, 2500);
		const texts = [longFor('First.'), longFor('Second.')];
		const partsOf = texts.map((text) => splitText(text, 1000));
		fakeMagicHour({}, partsOf[0]);
		fakeMagicHour({ failCreate: { part: 1, reply: [422, { message: 'Unable to clone voice' }] } }, partsOf[1]);
		const { output } = await runNode({
			parameters: splitParameters({ prompt: '={{ $json.text }}' }, { concurrency: 1 }),
			items: texts.map((text) => ({ json: { text } })),
			continueOnFail: true,
		});
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json.status).toBe('complete');
		expect(output[0].binary?.data).toBeDefined();
		expect(output[1].json).toMatchObject({
			error: 'Part 1 of 3 of the text failed: Magic Hour answered 422: Unable to clone voice',
			http_status: 422,
			parts: [
				{ id: null, characters: length(partsOf[1][0]), credits_charged: null, status: 'failed' },
				{ id: null, characters: length(partsOf[1][1]), credits_charged: null, status: 'not sent' },
				{ id: null, characters: length(partsOf[1][2]), credits_charged: null, status: 'not sent' },
			],
		});
	});

	it('fails the item with each part\'s format when the parts cannot be joined, listing every paid part', async () => {
		fakeMagicHour({
			audio: (n) => (n === 2 ? mp3({ frames: 3 }) : wavPart(n)),
			contentType: (n) => (n === 2 ? 'audio/mpeg' : 'audio/wav'),
		});
		const { error } = await runNode({ parameters: splitParameters() });
		expect(error?.message).toBe(
			'The audio of the 3 parts could not be joined: the parts came back in different formats (part 1: WAV, part 2: MP3, part 3: WAV). Parts with a paid job: part 1 part_1 (complete), part 2 part_2 (complete), part 3 part_3 (complete)',
		);
		expect(error?.description).toMatch(/turn off "Download Audio"/i);
	});
});

describe('Long Text: the guards, before anything is sent', () => {
	// No HTTP is mocked here: any request would fail the test with nock's "no match".
	it('refuses a text over 1000 characters by default, pointing to Long Text', async () => {
		const { error } = await runNode({ parameters: cloneParameters({ prompt: TEXT }) });
		expect(error?.message).toBe('"Prompt" is 2500 characters long; Magic Hour accepts at most 1000 [item 0]');
		expect(error?.description).toMatch(/Long Text/);
	});

	it('refuses a text over Max Characters (10000 by default), naming the guard', async () => {
		const { error } = await runNode({ parameters: splitParameters({ prompt: longProse(10001) }) });
		expect(error?.message).toBe('"Prompt" is 10001 characters long, over the "Max Characters" guard of 10000 [item 0]');
		expect(error?.description).toMatch(/Nothing was sent/);
	});

	it('follows a lower Max Characters, and checks every item before the first is sent', async () => {
		const { error } = await runNode({
			parameters: splitParameters({ prompt: '={{ $json.text }}' }, { maxCharacters: 2000 }),
			items: [{ json: { text: longProse(1500) } }, { json: { text: TEXT } }],
		});
		expect(error?.message).toBe('"Prompt" is 2500 characters long, over the "Max Characters" guard of 2000 [item 1]');
	});

	it.each([0, 2.5, '={{ "lots" }}'])('refuses a Max Characters of %p', async (maxCharacters) => {
		const { error } = await runNode({ parameters: splitParameters({}, { maxCharacters }) });
		expect(error?.message).toMatch(/^"Max Characters" must be a whole number of at least 1/);
	});
});
