/**
 * Bad inputs fail the run before anything is sent to Magic Hour, so a mistake never costs
 * credits: the error names the item and the field and says what to do. Inputs that look odd
 * but are fine (emoji, query strings, whitespace) go through.
 */
import nock from 'nock';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { runNode, TEST_BASE_URL, TEST_TOKEN } from '../../engine/harness';
import type { TestItem } from '../../engine/harness';
import { cloneParameters, DOWNLOAD_HOST, getParameters, project, SAMPLE_URL, wav } from '../../builders';
import { api, storage } from '../../mocks';

/** A 1-code-point emoji and an "e" with a combining accent (2 code points): 3 code points, 4 UTF-16 units. */
const EMOJI_AND_ACCENT = '😀e\u0301';

/** Text of exactly `count` code points (more UTF-16 units than that). */
function emojiText(count: number): string {
	return EMOJI_AND_ACCENT.repeat(Math.floor(count / 3)) + '😀'.repeat(count % 3);
}

const UPLOAD_URL = `${DOWNLOAD_HOST}/upload/sample?sig=xyz`;
const UPLOADED_PATH = 'api-assets/abc/sample.wav';

interface Traffic {
	/** Every request that left the node: matched by an interceptor or not. */
	sent: string[];
	/** Bodies of POST /v1/ai-voice-cloner. */
	creates: IDataObject[];
	/** The Magic Hour API and signed storage, answering every request the node could make. */
	scopes: nock.Scope[];
	interceptorCount: number;
}

let traffic: Traffic;
const noteUnmatched = (request: { method?: string; href?: string; path?: string; hostname?: string }) => {
	traffic.sent.push(`${request.method ?? 'GET'} ${request.href ?? `${request.hostname ?? ''}${request.path ?? ''}`}`);
};

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

beforeEach(() => {
	traffic = { sent: [], creates: [], scopes: [], interceptorCount: 0 };
	const magicHour = api()
		.post('/v1/ai-voice-cloner', (body: IDataObject) => {
			traffic.creates.push(body);
			return true;
		})
		.reply(200, { id: 'proj_new', credits_charged: 3 })
		.post('/v1/files/upload-urls')
		.reply(200, { items: [{ upload_url: UPLOAD_URL, expires_at: '2026-11-25T10:00:00Z', file_path: UPLOADED_PATH }] })
		.get(/^\/v1\/audio-projects\//)
		.reply(200, project())
		.delete(/^\/v1\/audio-projects\//)
		.reply(204);
	const signedStorage = storage().put('/upload/sample').query(true).reply(200);
	for (const scope of [magicHour, signedStorage]) {
		scope.on('request', (request: { method: string; path: string }) =>
			traffic.sent.push(`${request.method} ${request.path}`),
		);
	}
	traffic.scopes = [magicHour, signedStorage];
	traffic.interceptorCount = 5;
	nock.emitter.on('no match', noteUnmatched);
});

afterEach(() => {
	nock.emitter.removeListener('no match', noteUnmatched);
	nock.cleanAll();
});

function expectNothingSent(): void {
	expect(traffic.sent).toEqual([]);
	for (const scope of traffic.scopes) expect(scope.isDone()).toBe(false);
	expect(nock.pendingMocks()).toHaveLength(traffic.interceptorCount);
}

const good = { json: {} };
const sampleBinary = (fields: Partial<NonNullable<TestItem['binary']>[string]>): TestItem => ({
	binary: { data: { data: wav(), fileName: 'voice.wav', mimeType: 'audio/wav', ...fields } },
});
const binaryParameters = (overrides: INodeParameters = {}) =>
	cloneParameters({ audioSource: 'binary', binaryPropertyName: 'data', ...overrides });
/** A parameter taken from each item's JSON, so item 0 can be good and item 1 bad. */
const perItem = (key: string) => `={{ $json.${key} }}`;

interface BadInput {
	/** What is wrong, as a sentence. */
	what: string;
	parameters: INodeParameters;
	items?: TestItem[];
	credentials?: ICredentialDataDecryptedObject;
	/** The item the error must name. */
	item: number;
	/** How the message names the field. */
	field: RegExp;
	/** What the description tells the user to do. */
	fix: RegExp;
}

const PROMPT_FIX = /1 to 1000 characters/;
const URL_FIELD = /"Audio URL"/;
const ID_FIX = /"id" that Clone Voice returned/;
const FORMATS = /Give a voice sample in one of: mp3, wav/;
const CREDENTIAL_FIX = /paste your API key/;

const badInputs: BadInput[] = [
	// Prompt
	// A static empty prompt never reaches the node (n8n reports the required parameter first);
	// an expression that gives "" does.
	{
		what: 'an empty prompt from an expression',
		parameters: cloneParameters({ prompt: perItem('prompt') }),
		items: [{ json: { prompt: '' } }],
		item: 0,
		field: /"Prompt" is empty/,
		fix: PROMPT_FIX,
	},
	{
		what: 'a blank prompt on item 1 after a good item 0',
		parameters: cloneParameters({ prompt: perItem('prompt') }),
		items: [{ json: { prompt: 'Fine' } }, { json: { prompt: ' \n\t ' } }],
		item: 1,
		field: /"Prompt" is blank/,
		fix: PROMPT_FIX,
	},
	{
		what: 'a 1001-character prompt on item 1 after a good item 0',
		parameters: cloneParameters({ prompt: perItem('prompt') }),
		items: [{ json: { prompt: 'Fine' } }, { json: { prompt: 'a'.repeat(1001) } }],
		item: 1,
		field: /"Prompt" is 1001 characters long/,
		fix: /Long Text/,
	},
	{
		what: 'a prompt of 1001 emoji and combining-mark code points',
		parameters: cloneParameters({ prompt: emojiText(1001) }),
		item: 0,
		field: /"Prompt" is 1001 characters long/,
		fix: /Shorten the text/,
	},
	{
		what: 'a prompt expression that gives a number',
		parameters: cloneParameters({ prompt: '={{ 42 }}' }),
		item: 0,
		field: /"Prompt" must be text, but its expression gave a number \(42\)/,
		fix: /Make the expression return text/,
	},
	{
		what: 'a prompt expression that gives an object',
		parameters: cloneParameters({ prompt: '={{ {a:1} }}' }),
		item: 0,
		field: /"Prompt" must be text, but its expression gave an object/,
		fix: /Make the expression return text/,
	},
	{
		what: 'a prompt expression that gives null, on item 2',
		parameters: cloneParameters({ prompt: '={{ $itemIndex === 2 ? null : "Fine" }}' }),
		items: [good, good, good],
		item: 2,
		field: /"Prompt" is empty/,
		fix: PROMPT_FIX,
	},
	// Binary sample
	{
		what: 'a missing binary property on item 1 after a good item 0',
		parameters: binaryParameters(),
		items: [sampleBinary({}), { json: {} }],
		item: 1,
		field: /No binary field "data" on the input item \(it has no binary data\)/,
		fix: /Set "Input Binary Field"/,
	},
	{
		what: 'a binary under another name than "Input Binary Field"',
		parameters: binaryParameters(),
		items: [{ binary: { audio: { data: wav(), fileName: 'voice.wav', mimeType: 'audio/wav' } } }],
		item: 0,
		field: /No binary field "data" on the input item \(it has: audio\)/,
		fix: /Set "Input Binary Field"/,
	},
	{
		what: 'a zero-byte binary in n8n’s binary store',
		parameters: binaryParameters(),
		items: [sampleBinary({ data: Buffer.alloc(0) })],
		item: 0,
		field: /binary field "data" holds "voice.wav" \(audio\/wav\), which is empty \(0 bytes\)/,
		fix: /Check the node that produced the file/,
	},
	{
		what: 'a zero-byte inline binary on item 1 after a good item 0',
		parameters: binaryParameters(),
		items: [sampleBinary({}), sampleBinary({ data: Buffer.alloc(0), inline: true })],
		item: 1,
		field: /binary field "data" .*empty \(0 bytes\)/,
		fix: /Check the node that produced the file/,
	},
	{
		what: 'a binary with no name and no MIME type',
		parameters: binaryParameters(),
		// inline: n8n-core would sniff the bytes of a stored binary without a MIME type.
		items: [sampleBinary({ fileName: undefined, mimeType: undefined, inline: true })],
		item: 0,
		field: /binary field "data" holds a file without a name, which has neither a file name with an extension nor an audio MIME type/,
		fix: FORMATS,
	},
	{
		what: 'a video file',
		parameters: binaryParameters(),
		items: [sampleBinary({ data: Buffer.from('....ftypmp42'), fileName: 'clip.mp4', mimeType: 'video/mp4' })],
		item: 0,
		field: /binary field "data" holds "clip.mp4" \(video\/mp4\), which is a video/,
		fix: /extract its audio track first/,
	},
	{
		what: 'an image file on item 1 after a good item 0',
		parameters: binaryParameters(),
		items: [sampleBinary({}), sampleBinary({ data: Buffer.from('\x89PNG'), fileName: 'photo.png', mimeType: 'image/png' })],
		item: 1,
		field: /binary field "data" holds "photo.png" \(image\/png\), which is not audio/,
		fix: FORMATS,
	},
	{
		what: 'a program (.exe) without a MIME type',
		parameters: binaryParameters(),
		items: [sampleBinary({ data: Buffer.from('MZ\x90\x00'), fileName: 'voice.exe', mimeType: undefined })],
		item: 0,
		field: /binary field "data" holds "voice.exe", which has the extension ".exe"/,
		fix: FORMATS,
	},
	{
		what: 'a program (.exe) renamed to .mp3, typed as a program',
		parameters: binaryParameters(),
		items: [
			sampleBinary({ data: Buffer.from('MZ\x90\x00'), fileName: 'voice.mp3', mimeType: 'application/x-msdownload' }),
		],
		item: 0,
		field: /binary field "data" holds "voice.mp3" \(application\/x-msdownload\), which is not audio/,
		fix: FORMATS,
	},
	// Audio URL
	...(
		[
			['an ftp: URL', 'ftp://files.example.com/voice.mp3', /"Audio URL" uses "ftp:"/],
			['a file: URL', 'file:///home/me/voice.mp3', /"Audio URL" uses "file:"/],
			['a javascript: URL', 'javascript:alert(1)//voice.mp3', /"Audio URL" uses "javascript:"/],
			['a URL without a scheme', 'cdn.example.com/voice.mp3', /"Audio URL" is not a valid URL/],
		] as const
	).map(
		([what, url, field]): BadInput => ({
			what: `${what} on item 1 after a good item 0`,
			parameters: cloneParameters({ audioUrl: perItem('url') }),
			items: [{ json: { url: SAMPLE_URL } }, { json: { url } }],
			item: 1,
			field,
			fix: /public http\(s\) link/,
		}),
	),
	{
		what: 'a URL to a page without an audio extension',
		parameters: cloneParameters({ audioUrl: 'https://www.example.com/watch?v=abc' }),
		item: 0,
		field: /"Audio URL" has no file extension/,
		fix: /Link to the file itself/,
	},
	{
		what: 'a URL to a video file',
		parameters: cloneParameters({ audioUrl: 'https://cdn.example.com/clip.mp4' }),
		item: 0,
		field: /"Audio URL" ends in "\.mp4"/,
		fix: /Accepted formats: mp3, wav/,
	},
	{
		what: 'a URL with broken percent-encoding in its path',
		parameters: cloneParameters({ audioUrl: 'https://cdn.example.com/voice%zz.mp3' }),
		item: 0,
		field: URL_FIELD,
		fix: /http\(s\) link/,
	},
	{
		what: 'a Magic Hour file path that is a URL',
		parameters: cloneParameters({ audioSource: 'filePath', audioFilePath: SAMPLE_URL }),
		item: 0,
		field: /"Magic Hour File Path" looks like a URL/,
		fix: /Set "Audio Source" to "URL"/,
	},
	// Project id, for get and delete
	...(['get', 'delete'] as const).flatMap((operation) =>
		(
			[
				['an empty project id', '', /"Project ID" is empty/],
				['a project id with "../"', '../x', /"Project ID" "\.\.\/x" is not a Magic Hour project id/],
				['a project id with "/"', 'a/b', /"Project ID" "a\/b" is not a Magic Hour project id/],
				['a project id with "?"', 'a?b', /"Project ID" "a\?b" is not a Magic Hour project id/],
			] as const
		).map(
			([what, id, field]): BadInput => ({
				what: `${operation}: ${what} on item 1 after a good item 0`,
				parameters:
					operation === 'get'
						? getParameters({ projectId: perItem('id') })
						: { operation: 'delete', projectId: perItem('id') },
				items: [{ json: { id: 'proj_1' } }, { json: { id } }],
				item: 1,
				field,
				fix: ID_FIX,
			}),
		),
	),
	// Options
	...(
		[
			['clone', 'concurrency 0', { concurrency: 0 }, /"Concurrency" must be a whole number of at least 1/],
			['get', 'a negative concurrency', { concurrency: -2 }, /"Concurrency" must be a whole number of at least 1/],
			['clone', 'timeout 0', { timeout: 0 }, /"Timeout \(Seconds\)" must be a number above 0/],
			['get', 'a negative timeout', { timeout: -5 }, /"Timeout \(Seconds\)" must be a number above 0/],
			['clone', 'request timeout 0', { requestTimeout: 0 }, /"Request Timeout \(Seconds\)" must be a number above 0/],
			['clone', 'a negative Max Credits per Run', { maxCreditsPerRun: -5 }, /"Max Credits per Run" must be a number of at least 0, but it is a number \(-5\)/],
			['clone', 'Max Credits per Run as text, from an expression', { maxCreditsPerRun: '={{ "100 credits" }}' }, /"Max Credits per Run" must be a number of at least 0, but it is a string \(100 credits\)/],
		] as const
	).map(
		([operation, what, options, field]): BadInput => ({
			what: `${operation}: ${what}`,
			parameters: operation === 'clone' ? cloneParameters({ options }) : getParameters({ options }),
			items: [good, good],
			item: 0,
			field,
			fix: /in the node's options to a/,
		}),
	),
	{
		what: 'a negative timeout on item 1 only, from an expression',
		parameters: cloneParameters({ options: { timeout: perItem('timeout') } }),
		items: [{ json: { timeout: 60 } }, { json: { timeout: -1 } }],
		item: 1,
		field: /"Timeout \(Seconds\)" must be a number above 0, but it is a number \(-1\)/,
		fix: /Set "Timeout \(Seconds\)" in the node's options/,
	},
	// Language and Speed
	{
		what: 'a Speed above 1.30 on item 1 only, from an expression',
		parameters: cloneParameters({ options: { speed: perItem('speed') } }),
		items: [{ json: { speed: 1.3 } }, { json: { speed: 1.31 } }],
		item: 1,
		field: /"Speed" must be a number from 0\.75 to 1\.30, but it is a number \(1\.31\)/,
		fix: /Set "Speed" in the options to a number from 0\.75 to 1\.30/,
	},
	{
		what: 'a language code instead of a language name',
		parameters: cloneParameters({ options: { language: 'es' } }),
		item: 0,
		field: /"Language" "es" is not the name of a language/,
		fix: /English name, such as spanish/,
	},
	// Saved voice
	// A static id of the wrong form never reaches the node (n8n reports the field's own check first); an expression's does.
	{
		what: 'a saved voice id from an expression that gives a path',
		parameters: cloneParameters({ audioSource: 'savedVoice', savedVoice: { __rl: true, mode: 'id', value: perItem('voice') } }),
		items: [{ json: { voice: 'saved-items/u1/v/voice.mp3' } }],
		item: 0,
		field: /"Saved Voice" "saved-items\/u1\/v\/voice\.mp3" is not the id of a Magic Hour saved item/,
		fix: /Pick a voice from the list in "Saved Voice"/,
	},
	{
		what: 'a saved voice id from an expression that gives nothing',
		parameters: cloneParameters({ audioSource: 'savedVoice', savedVoice: { __rl: true, mode: 'id', value: perItem('voice') } }),
		items: [{ json: {} }],
		item: 0,
		field: /"Saved Voice" is empty/,
		fix: /Pick a voice from the list in "Saved Voice"/,
	},
	// Credential
	{
		what: 'a credential Base URL that is not a URL',
		parameters: cloneParameters(),
		credentials: { apiToken: TEST_TOKEN, baseUrl: 'api.magichour.ai' },
		item: 0,
		field: /credential has a Base URL that is not a URL: "api.magichour.ai"/,
		fix: CREDENTIAL_FIX,
	},
	{
		what: 'a credential Base URL that is not http(s)',
		parameters: getParameters(),
		credentials: { apiToken: TEST_TOKEN, baseUrl: 'ftp://api.magichour.ai' },
		item: 0,
		field: /credential has a Base URL that is not http\(s\)/,
		fix: CREDENTIAL_FIX,
	},
	{
		what: 'an empty API token',
		parameters: cloneParameters(),
		items: [good, good],
		credentials: { apiToken: '', baseUrl: TEST_BASE_URL },
		item: 0,
		field: /credential has an empty API Token/,
		fix: CREDENTIAL_FIX,
	},
	{
		what: 'an API token of only spaces',
		parameters: { operation: 'delete', projectId: 'proj_1' },
		credentials: { apiToken: '   ', baseUrl: TEST_BASE_URL },
		item: 0,
		field: /credential has an empty API Token/,
		fix: CREDENTIAL_FIX,
	},
];

describe('bad inputs fail the run before anything is sent to Magic Hour', () => {
	it('covers at least 34 bad inputs', () => {
		expect(badInputs.length).toBeGreaterThanOrEqual(34);
		expect(badInputs.filter((input) => input.item > 0).length).toBeGreaterThanOrEqual(3);
	});

	test.each(badInputs.map((input) => [input.what, input] as const))(
		'%s: fails naming the item and the field, says what to do, and sends nothing',
		async (_what, input) => {
			const { error, output } = await runNode({
				parameters: input.parameters,
				items: input.items,
				credentials: input.credentials,
			});

			expect(output).toEqual([]);
			expect(error).toBeDefined();
			expect(error!.message).toContain(`[item ${input.item}]`);
			expect(error!.message).toMatch(input.field);
			expect(typeof error!.description).toBe('string');
			expect(error!.description).toMatch(input.fix);
			expect(traffic.creates).toEqual([]);
			expectNothingSent();
		},
	);
});

interface GoodInput {
	what: string;
	parameters: INodeParameters;
	items?: TestItem[];
	/** The body of the one create request, when the operation is Clone Voice. */
	sentBody?: IDataObject;
	/** The one request that must have been sent otherwise. */
	sentRequest?: string;
}

const thousandEmoji = emojiText(1000);

const goodInputs: GoodInput[] = [
	{
		what: 'a 1000-character prompt of emoji and combining marks (more than 1000 UTF-16 units)',
		parameters: cloneParameters({ prompt: thousandEmoji }),
		sentBody: { assets: { audio_file_path: SAMPLE_URL }, style: { prompt: thousandEmoji } },
	},
	{
		what: 'a URL with a query string after a valid extension',
		parameters: cloneParameters({ audioUrl: 'https://cdn.example.com/voice.mp3?X-Amz-Signature=abc&e=1' }),
		sentBody: {
			assets: { audio_file_path: 'https://cdn.example.com/voice.mp3?X-Amz-Signature=abc&e=1' },
			style: { prompt: 'Hello from my cloned voice.' },
		},
	},
	{
		what: 'a URL with an upper-case extension',
		parameters: cloneParameters({ audioUrl: 'https://cdn.example.com/VOICE.WAV' }),
		sentBody: {
			assets: { audio_file_path: 'https://cdn.example.com/VOICE.WAV' },
			style: { prompt: 'Hello from my cloned voice.' },
		},
	},
	{
		what: 'whitespace around the prompt and the URL (trimmed before sending)',
		parameters: cloneParameters({ prompt: '  \n Hello there \t ', audioUrl: `  ${SAMPLE_URL} \n` }),
		sentBody: { assets: { audio_file_path: SAMPLE_URL }, style: { prompt: 'Hello there' } },
	},
	{
		what: 'a .wav binary typed application/octet-stream (uploaded first)',
		parameters: binaryParameters(),
		items: [sampleBinary({ mimeType: 'application/octet-stream' })],
		sentBody: { assets: { audio_file_path: UPLOADED_PATH }, style: { prompt: 'Hello from my cloned voice.' } },
	},
	{
		what: 'whitespace around a project id (trimmed before sending)',
		parameters: getParameters({ projectId: '  proj_1 \n' }),
		sentRequest: 'GET /v1/audio-projects/proj_1',
	},
];

describe('odd but valid inputs are accepted and sent as the API expects', () => {
	test.each(goodInputs.map((input) => [input.what, input] as const))('%s', async (_what, input) => {
		const { error, output } = await runNode({ parameters: input.parameters, items: input.items });

		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		if (input.sentBody) {
			expect(traffic.creates).toEqual([input.sentBody]);
			expect(output[0].json).toMatchObject({ id: 'proj_new', credits_charged: 3, status: 'queued' });
			expect(traffic.sent.filter((request) => request === 'POST /v1/ai-voice-cloner')).toHaveLength(1);
		} else {
			expect(traffic.creates).toEqual([]);
			expect(traffic.sent).toEqual([input.sentRequest]);
		}
	});

	it('the request counter notices a request that no interceptor answers', async () => {
		const { error } = await runNode({
			parameters: getParameters({ options: { timeout: 1 } }),
			credentials: { apiToken: TEST_TOKEN, baseUrl: 'https://elsewhere.magichour.test' },
		});
		expect(error).toBeDefined();
		expect(traffic.sent.length).toBeGreaterThanOrEqual(1);
		expect(traffic.sent[0]).toMatch(/elsewhere\.magichour\.test/);
	});
});
