import { Readable } from 'node:stream';

import { binaryBuffer, runNode, TEST_TOKEN } from '../../../engine/harness';
import { cloneParameters, DOWNLOAD_HOST, project, SAMPLE_URL, wav } from '../../../builders';
import { testClock } from '../../../clock';
import { api, creates, storage } from '../../../mocks';

const created = { id: 'proj_1', credits_charged: 2 };

describe('Clone Voice, without waiting', () => {
	it('sends exactly the body the API allows for a URL sample and returns the job', async () => {
		const create = api()
			.post('/v1/ai-voice-cloner', {
				name: 'Welcome message',
				assets: { audio_file_path: SAMPLE_URL },
				style: { prompt: 'Hello from my cloned voice.' },
			})
			.reply(200, created);

		const { output, error } = await runNode({ parameters: cloneParameters({ name: 'Welcome message' }) });

		expect(error).toBeUndefined();
		expect(create.isDone()).toBe(true);
		expect(output).toEqual([
			{
				json: {
					id: 'proj_1',
					credits_charged: 2,
					status: 'queued',
					name: 'Welcome message',
					library_url: null,
					audio_file_path: SAMPLE_URL,
					prompt_characters: 27,
					estimated_credits: 2,
					run_credits_charged: 2,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('leaves the name out when none is given, so Magic Hour names the project', async () => {
		const create = api()
			.post('/v1/ai-voice-cloner', (body) => !('name' in body))
			.reply(200, created);
		const { output } = await runNode({ parameters: cloneParameters() });
		expect(create.isDone()).toBe(true);
		expect(output[0].json.name).toBeNull();
	});

	it('uses a Magic Hour file path as it is, without uploading', async () => {
		const create = api()
			.post('/v1/ai-voice-cloner', { assets: { audio_file_path: 'api-assets/abc/1.mp3' }, style: { prompt: 'Hi' } })
			.reply(200, created);
		const { output } = await runNode({
			parameters: cloneParameters({ audioSource: 'filePath', audioFilePath: 'api-assets/abc/1.mp3', prompt: 'Hi' }),
		});
		expect(create.isDone()).toBe(true);
		expect(output[0].json.audio_file_path).toBe('api-assets/abc/1.mp3');
	});

	it.each([
		['stored in n8n binary store', false],
		['inline in the item', true],
	])('uploads a binary sample (%s) to the signed URL without the token, then clones with its file path', async (_label, inline) => {
		const sample = wav(800);
		const uploadUrls = api()
			.post('/v1/files/upload-urls', { items: [{ type: 'audio', extension: 'wav' }] })
			.reply(200, {
				items: [
					{ upload_url: `${DOWNLOAD_HOST}/upload/s1.wav?sig=x`, expires_at: '2026-11-25T00:00:00Z', file_path: 'api-assets/s1.wav' },
				],
			});
		let uploaded: Buffer | undefined;
		const put = storage()
			.put('/upload/s1.wav')
			.query({ sig: 'x' })
			.reply(200, (_uri, body) => {
				uploaded = Buffer.from(body as string, 'hex');
				return '';
			});
		const create = api()
			.post('/v1/ai-voice-cloner', { assets: { audio_file_path: 'api-assets/s1.wav' }, style: { prompt: 'Hello' } })
			.reply(200, created);

		const { output, error } = await runNode({
			parameters: cloneParameters({ audioSource: 'binary', binaryPropertyName: 'voice', prompt: 'Hello' }),
			items: [{ json: {}, binary: { voice: { data: sample, fileName: 'me.wav', mimeType: 'audio/wav', inline } } }],
		});

		expect(error).toBeUndefined();
		expect(uploadUrls.isDone() && put.isDone() && create.isDone()).toBe(true);
		expect(uploaded?.equals(sample)).toBe(true);
		expect(output[0].json.audio_file_path).toBe('api-assets/s1.wav');
	});

	it('clones one voice per item, each field resolved by expression for its item', async () => {
		const bodies: unknown[] = [];
		api()
			.post('/v1/ai-voice-cloner', (body) => {
				bodies.push(body);
				return true;
			})
			.times(3)
			.reply(200, (_uri, body) => ({ id: `proj_${(body as { name: string }).name}`, credits_charged: 1 }));

		const { output } = await runNode({
			parameters: cloneParameters({
				audioUrl: '={{ $json.sample }}',
				prompt: '={{ $json.text }}',
				name: '={{ $json.label }}',
			}),
			items: ['a', 'b', 'c'].map((label) => ({
				json: { label, text: `Line ${label}`, sample: `https://cdn.example.com/${label}.wav` },
			})),
		});

		expect(bodies).toEqual(
			['a', 'b', 'c'].map((label) => ({
				name: label,
				assets: { audio_file_path: `https://cdn.example.com/${label}.wav` },
				style: { prompt: `Line ${label}` },
			})),
		);
		expect(output.map((item) => [item.json.id, item.pairedItem])).toEqual([
			['proj_a', { item: 0 }],
			['proj_b', { item: 1 }],
			['proj_c', { item: 2 }],
		]);
	});

	it('estimates the cost from the code points of the prompt and the configured rate', async () => {
		api().post('/v1/ai-voice-cloner').times(2).reply(200, created);
		const prompt = 'é'.repeat(999) + '👋';
		const { output } = await runNode({
			parameters: cloneParameters({ prompt: '={{ $json.prompt }}', options: { creditsPerCharacter: '={{ $json.rate }}' } }),
			items: [
				{ json: { prompt, rate: 0.05 } },
				{ json: { prompt: 'x'.repeat(21), rate: 0.1 } },
			],
		});
		expect(output.map((item) => [item.json.prompt_characters, item.json.estimated_credits])).toEqual([
			[1000, 50],
			[21, 3],
		]);
	});
});

describe('Clone Voice, waiting for the audio', () => {
	function completeFlow(options: { contentType?: string; body?: Buffer; url?: string } = {}) {
		const url = options.url ?? `${DOWNLOAD_HOST}/proj_1/output.wav?sig=abc`;
		api().post('/v1/ai-voice-cloner').reply(200, created);
		api().get('/v1/audio-projects/proj_1').reply(200, project({ downloads: [{ url, expires_at: '2026-11-25T10:00:00.000Z' }] }));
		const path = new URL(url).pathname;
		return storage()
			.get(path)
			.query(true)
			.reply(200, options.body ?? wav(), options.contentType ? { 'Content-Type': options.contentType } : {});
	}

	it('returns the finished project and the audio as binary, fetched without the token', async () => {
		const audio = wav(3200);
		const download = completeFlow({ contentType: 'audio/wav', body: audio });

		const { output, error } = await runNode({ parameters: cloneParameters({ waitForCompletion: true, name: 'My clip' }) });

		expect(error).toBeUndefined();
		expect(download.isDone()).toBe(true);
		const [item] = output;
		expect(item.json).toEqual({
			id: 'proj_1',
			status: 'complete',
			type: 'VOICE_CLONER',
			name: 'My clip',
			created_at: '2026-11-24T10:00:00.000Z',
			credits_charged: 2,
			downloads: [{ url: `${DOWNLOAD_HOST}/proj_1/output.wav?sig=abc`, expires_at: '2026-11-25T10:00:00.000Z' }],
			library_url: 'https://magichour.ai/my-library?audioId=proj_1',
			audio_file_path: SAMPLE_URL,
			prompt_characters: 27,
			estimated_credits: 2,
			run_credits_charged: 2,
		});
		expect(item.binary?.data).toMatchObject({ mimeType: 'audio/wav', fileName: 'My clip.wav', fileExtension: 'wav' });
		expect((await binaryBuffer(item)).equals(audio)).toBe(true);
		expect(JSON.stringify(output)).not.toContain(TEST_TOKEN);
	});

	it('names an mp3 result by its Content-Type', async () => {
		completeFlow({ contentType: 'audio/mpeg', url: `${DOWNLOAD_HOST}/proj_1/output?sig=abc` });
		const { output } = await runNode({ parameters: cloneParameters({ waitForCompletion: true }) });
		expect(output[0].binary?.data).toMatchObject({ mimeType: 'audio/mpeg', fileName: 'My clip.mp3' });
	});

	it('falls back to the link\'s extension when the Content-Type says nothing', async () => {
		completeFlow({ contentType: 'application/octet-stream', url: `${DOWNLOAD_HOST}/proj_1/take.mp3?sig=abc` });
		const { output } = await runNode({ parameters: cloneParameters({ waitForCompletion: true }) });
		expect(output[0].binary?.data).toMatchObject({ mimeType: 'audio/mpeg', fileName: 'My clip.mp3' });
	});

	it('puts the audio under the chosen output field', async () => {
		completeFlow({ contentType: 'audio/wav' });
		const { output } = await runNode({
			parameters: cloneParameters({ waitForCompletion: true, options: { outputBinaryPropertyName: 'speech' } }),
		});
		expect(Object.keys(output[0].binary ?? {})).toEqual(['speech']);
	});

	it('returns JSON only when Download Audio is off', async () => {
		api().post('/v1/ai-voice-cloner').reply(200, created);
		api().get('/v1/audio-projects/proj_1').reply(200, project());
		const { output } = await runNode({
			parameters: cloneParameters({ waitForCompletion: true, options: { downloadAudio: false } }),
		});
		expect(output[0].binary).toBeUndefined();
		expect(output[0].json.downloads).toHaveLength(1);
	});

	it('deletes the project after a successful download when asked, and says so', async () => {
		completeFlow({ contentType: 'audio/wav' });
		const remove = api().delete('/v1/audio-projects/proj_1').reply(204);
		const { output } = await runNode({
			parameters: cloneParameters({ waitForCompletion: true, options: { deleteAfterDownload: true } }),
		});
		expect(remove.isDone()).toBe(true);
		expect(output[0].json.deleted).toBe(true);
		expect(output[0].binary?.data).toBeDefined();
	});

	it('keeps polling while the job renders', async () => {
		api().post('/v1/ai-voice-cloner').reply(200, created);
		const polls = api()
			.get('/v1/audio-projects/proj_1')
			.reply(200, project({ status: 'rendering', downloads: [] }))
			.get('/v1/audio-projects/proj_1')
			.reply(200, project());
		storage().get('/proj_1/output.wav').query(true).reply(200, wav(), { 'Content-Type': 'audio/wav' });
		const { output } = await runNode({ parameters: cloneParameters({ waitForCompletion: true }) });
		expect(polls.isDone()).toBe(true);
		expect(output[0].json.status).toBe('complete');
	}, 20000);

	it('fails with Magic Hour\'s reason, code and the project id when the job ends in error', async () => {
		api().post('/v1/ai-voice-cloner').reply(200, created);
		api()
			.get('/v1/audio-projects/proj_1')
			.reply(200, project({ status: 'error', credits_charged: 0, downloads: [], error: { message: 'Unable to clone voice', code: 'invalid_voice' } }));
		const { error } = await runNode({ parameters: cloneParameters({ waitForCompletion: true }) });
		expect(error?.message).toContain('Unable to clone voice');
		expect(error?.message).toContain('invalid_voice');
		expect(error?.message).toContain('proj_1');
		expect(error?.description).toMatch(/refunded/);
	});

	it('fails with the project id when the job was canceled', async () => {
		api().post('/v1/ai-voice-cloner').reply(200, created);
		api().get('/v1/audio-projects/proj_1').reply(200, project({ status: 'canceled', downloads: [] }));
		const { error } = await runNode({ parameters: cloneParameters({ waitForCompletion: true }) });
		expect(error?.message).toMatch(/canceled/);
		expect(error?.message).toContain('proj_1');
	});

	it('gives up at the timeout with the project id and the advice to use Get later', async () => {
		api().post('/v1/ai-voice-cloner').reply(200, created);
		api().get('/v1/audio-projects/proj_1').times(5).reply(200, project({ status: 'rendering', downloads: [] }));
		const { error } = await runNode({ parameters: cloneParameters({ waitForCompletion: true, options: { timeout: 1 } }) });
		expect(testClock().skipped).toBeLessThanOrEqual(1000);
		expect(error?.message).toMatch(/not finished after 1 s/);
		expect(error?.message).toContain('proj_1');
		expect(error?.description).toMatch(/Get Audio Project/);
		expect(error?.description).toMatch(/costs nothing/);
	});

	it('renews an expired download link with a free GET and downloads the audio', async () => {
		api().post('/v1/ai-voice-cloner').reply(200, created);
		api().get('/v1/audio-projects/proj_1').reply(200, project());
		storage().get('/proj_1/output.wav').query({ sig: 'abc' }).reply(403, { message: 'Request has expired', code: 'expired' });
		api()
			.get('/v1/audio-projects/proj_1')
			.reply(200, project({ downloads: [{ url: `${DOWNLOAD_HOST}/proj_1/output.wav?sig=fresh`, expires_at: 'x' }] }));
		storage().get('/proj_1/output.wav').query({ sig: 'fresh' }).reply(200, wav(), { 'Content-Type': 'audio/wav' });
		const { output, error } = await runNode({ parameters: cloneParameters({ waitForCompletion: true }) });
		expect(error).toBeUndefined();
		expect(output[0].binary?.data).toBeDefined();
	});

	it('refuses a result larger than Max Download Size, keeping the project id for a later Get', async () => {
		api().post('/v1/ai-voice-cloner').reply(200, created);
		api().get('/v1/audio-projects/proj_1').reply(200, project());
		storage()
			.get('/proj_1/output.wav')
			.query(true)
			.reply(200, Buffer.alloc(2 * 1024 * 1024), { 'Content-Type': 'audio/wav' });
		const { error } = await runNode({
			parameters: cloneParameters({ waitForCompletion: true, options: { maxDownloadSize: 1 } }),
		});
		expect(error?.message).toMatch(/over the "Max Download Size" of 1 MB/);
		expect(error?.message).toContain('proj_1');
	});

	it('stops a download without a Content-Length once it passes Max Download Size', async () => {
		api().post('/v1/ai-voice-cloner').reply(200, created);
		api().get('/v1/audio-projects/proj_1').reply(200, project());
		let chunksSent = 0;
		const chunks = function* () {
			for (let index = 0; index < 50; index++) {
				chunksSent++;
				yield Buffer.alloc(256 * 1024);
			}
		};
		storage()
			.get('/proj_1/output.wav')
			.query(true)
			.reply(200, () => Readable.from(chunks()), { 'Content-Type': 'audio/wav' });
		const { error } = await runNode({
			parameters: cloneParameters({ waitForCompletion: true, options: { maxDownloadSize: 1 } }),
		});
		// Counted while streaming: the size was not announced up front.
		expect(error?.message).toBe(
			'The cloned audio is more than 1 MB, over the "Max Download Size" of 1 MB (project proj_1)',
		);
		expect(chunksSent).toBeGreaterThan(4);
	});

	it('returns short JSON and no audio bytes to an AI agent', async () => {
		api().post('/v1/ai-voice-cloner').reply(200, created);
		api().get('/v1/audio-projects/proj_1').reply(200, project());
		const { output } = await runNode({ parameters: cloneParameters({ waitForCompletion: true }), asTool: true });
		expect(output[0].binary).toBeUndefined();
		expect(output[0].json).toEqual({
			id: 'proj_1',
			status: 'complete',
			credits_charged: 2,
			download_url: `${DOWNLOAD_HOST}/proj_1/output.wav?sig=abc`,
			download_expires_at: '2026-11-25T10:00:00.000Z',
			library_url: 'https://magichour.ai/my-library?audioId=proj_1',
			estimated_credits: 2,
			run_credits_charged: 2,
		});
	});
});

describe('Clone Voice as an AI agent\'s tool', () => {
	const withoutAudioSource = { operation: 'clone', audioUrl: SAMPLE_URL, prompt: 'Hello from my cloned voice.', waitForCompletion: false };

	it('takes the sample from the URL when Audio Source was never set, since an agent cannot pass a file', async () => {
		const create = api()
			.post('/v1/ai-voice-cloner', { assets: { audio_file_path: SAMPLE_URL }, style: { prompt: 'Hello from my cloned voice.' } })
			.reply(200, created);

		const { output, error } = await runNode({ parameters: withoutAudioSource, asTool: true });

		expect(error).toBeUndefined();
		expect(create.isDone()).toBe(true);
		expect(output[0].json).toMatchObject({ id: 'proj_1', status: 'queued' });
	});

	it('still defaults to a binary file in a regular workflow step', async () => {
		const { error } = await runNode({ parameters: withoutAudioSource });
		expect(error?.message).toContain('No binary field "data" on the input item');
	});
});

describe('Clone Voice: Language and Speed', () => {
	it('sends them in style when set, the language as a lowercase name', async () => {
		const bodies = creates();
		await runNode({ parameters: cloneParameters({ prompt: 'Hola', options: { language: ' Spanish ', speed: 0.75 } }) });
		expect(bodies).toEqual([{ assets: { audio_file_path: SAMPLE_URL }, style: { prompt: 'Hola', language: 'spanish', speed: 0.75 } }]);
	});

	it('sends style with the prompt alone when Language is empty or auto and Speed is not added', async () => {
		const bodies = creates();
		await runNode({
			parameters: cloneParameters({ prompt: '={{ $json.text }}', options: { language: '={{ $json.language }}' } }),
			items: [{ json: { text: 'One', language: '' } }, { json: { text: 'Two', language: 'auto' } }],
		});
		expect(bodies.map((body) => body.style)).toEqual([{ prompt: 'One' }, { prompt: 'Two' }]);
	});

	it('fails an item whose Speed, given by an expression, is out of range before anything is sent; the others go on under Continue On Fail', async () => {
		const bodies = creates();
		const { output } = await runNode({
			parameters: cloneParameters({ prompt: '={{ $json.text }}', options: { speed: '={{ $json.speed }}' } }),
			items: [{ json: { text: 'Fast', speed: 1.5 } }, { json: { text: 'Fine', speed: 1.3 } }],
			continueOnFail: true,
		});
		expect(output[0].json).toEqual({
			error: '"Speed" must be a number from 0.75 to 1.30, but it is a number (1.5) [item 0]',
			error_description: 'Nothing was sent. Set "Speed" in the options to a number from 0.75 to 1.30: 0.75 is the slowest, 1 normal speed, 1.30 the fastest.',
		});
		expect(bodies.map((body) => body.style)).toEqual([{ prompt: 'Fine', speed: 1.3 }]);
	});

	it('without Continue On Fail, stops the run on a Speed out of range before any request', async () => {
		const bodies = creates();
		const balance = api().get('/v1/account').reply(200, { credits: 1000 });
		const { error } = await runNode({
			parameters: cloneParameters({ options: { speed: '={{ $json.speed }}' } }),
			items: [{ json: { speed: 1 } }, { json: { speed: 0.5 } }],
		});
		expect(error?.message).toBe('"Speed" must be a number from 0.75 to 1.30, but it is a number (0.5) [item 1]');
		expect(bodies).toEqual([]);
		expect(balance.isDone()).toBe(false);
	});
});

describe('Clone Voice: Magic Hour library links', () => {
	const LIBRARY = 'https://magichour.ai/my-library?audioId=cm0earlier';

	it('sends a library link given as Audio URL exactly as given', async () => {
		const bodies = creates();
		const { output } = await runNode({ parameters: cloneParameters({ audioUrl: LIBRARY }) });
		expect(bodies.map((body) => body.assets.audio_file_path)).toEqual([LIBRARY]);
		expect(output[0].json.audio_file_path).toBe(LIBRARY);
	});

	it('takes the library_url of an earlier clone as a later one\'s sample', async () => {
		const bodies = creates();
		await runNode({ parameters: cloneParameters({ audioUrl: '={{ $json.library_url }}' }), items: [{ json: { library_url: LIBRARY } }] });
		expect(bodies.map((body) => body.assets.audio_file_path)).toEqual([LIBRARY]);
	});
});
