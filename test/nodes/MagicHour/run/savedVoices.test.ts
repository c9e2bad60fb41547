/** Clone Voice with Audio Source = Saved Voice, run through n8n's engine. */
import { runNode } from '../../../engine/harness';
import { cloneParameters, savedAsset, savedVoice, savedVoiceParameters } from '../../../builders';
import { api, creates, savedItemsPages } from '../../../mocks';

/** The account's saved voices, on two pages: a voice whose first audio file is not its primary one, a voice without audio, a character. */
const ACCOUNT = [
	[
		savedVoice('sv_narrator', 'Narrator'),
		savedVoice('sv_host', 'Podcast host', {
			assets: [
				savedAsset('saved-items/u1/sv_host/cover.png', { media_kind: 'IMAGE', is_primary: true }),
				savedAsset('saved-items/u1/sv_host/take-1.mp3', { is_primary: false }),
				savedAsset('saved-items/u1/sv_host/voice.wav', { is_primary: true }),
			],
		}),
	],
	[
		savedVoice('sv_silent', 'Old take', { assets: [savedAsset('saved-items/u1/sv_silent/cover.png', { media_kind: 'IMAGE' })] }),
		{ id: 'ch_hero', name: 'Hero', type: 'character', assets: [savedAsset('saved-items/u1/ch_hero/voice.mp3')] },
	],
];

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });

describe('Clone Voice from a saved voice', () => {
	it('sends the voice\'s primary audio file, unchanged and without an upload', async () => {
		savedItemsPages(ACCOUNT);
		const bodies = creates();
		const { output, error } = await runNode({ parameters: savedVoiceParameters('sv_host', { prompt: 'Hello' }) });
		expect(error).toBeUndefined();
		expect(bodies).toEqual([{ assets: { audio_file_path: 'saved-items/u1/sv_host/voice.wav' }, style: { prompt: 'Hello' } }]);
		expect(output[0].json).toMatchObject({ id: 'proj_1', status: 'queued', audio_file_path: 'saved-items/u1/sv_host/voice.wav' });
	});

	it('takes a voice picked from the list the same way', async () => {
		savedItemsPages(ACCOUNT);
		const bodies = creates();
		await runNode({ parameters: cloneParameters({ audioSource: 'savedVoice', savedVoice: { __rl: true, mode: 'list', value: 'sv_narrator', cachedResultName: 'Narrator' } }) });
		expect(bodies.map((body) => body.assets.audio_file_path)).toEqual(['saved-items/u1/sv_narrator/voice.mp3']);
	});

	it('reads the saved voices once per run, however many items name one, each item with its own voice by expression', async () => {
		const traffic = savedItemsPages(ACCOUNT);
		const bodies = creates();
		const { output } = await runNode({
			parameters: cloneParameters({ audioSource: 'savedVoice', savedVoice: byId('={{ $json.voice }}'), prompt: '={{ $json.text }}' }),
			items: ['sv_narrator', 'sv_host', 'sv_narrator', 'sv_host'].map((voice, index) => ({ json: { voice, text: `Line ${index}` } })),
		});
		expect(traffic).toHaveLength(2);
		expect(bodies.map((body) => [body.style.prompt, body.assets.audio_file_path]).sort()).toEqual([
			['Line 0', 'saved-items/u1/sv_narrator/voice.mp3'],
			['Line 1', 'saved-items/u1/sv_host/voice.wav'],
			['Line 2', 'saved-items/u1/sv_narrator/voice.mp3'],
			['Line 3', 'saved-items/u1/sv_host/voice.wav'],
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});

	it('under Continue On Fail, fails an item whose voice is missing, not a voice, or has no audio, before anything is paid, and clones the others', async () => {
		savedItemsPages(ACCOUNT);
		const bodies = creates();
		const { output } = await runNode({
			parameters: cloneParameters({ audioSource: 'savedVoice', savedVoice: byId('={{ $json.voice }}') }),
			items: ['sv_gone', 'ch_hero', 'sv_silent', 'sv_narrator'].map((voice) => ({ json: { voice } })),
			continueOnFail: true,
		});
		expect(output.map((item) => [item.json.error ?? item.json.status, item.json.error_code ?? null])).toEqual([
			['"Saved Voice" "sv_gone" is not a voice saved in this Magic Hour account [item 0]', 'saved_voice_not_found'],
			['"Saved Voice" "ch_hero" is not a voice saved in this Magic Hour account [item 1]', 'saved_voice_not_found'],
			['The saved voice "Old take" (sv_silent) has no audio file in Magic Hour [item 2]', 'saved_voice_without_audio'],
			['queued', null],
		]);
		expect(output[0].json.error_description).toBe(
			'Pick the voice from the list in "Saved Voice", which shows every voice saved in the account of the credential, or check the id: characters, references, mood boards and brand kits are not voices. Nothing was sent for this item.',
		);
		expect(output[2].json.error_description).toMatch(/^Open the voice in your Magic Hour library and save its recording again, or pick another voice in "Saved Voice"\./);
		expect(bodies).toHaveLength(1);
	});

	it('without Continue On Fail, stops the run on an unknown voice before any paid request or balance check', async () => {
		savedItemsPages(ACCOUNT);
		const bodies = creates();
		const balance = api().get('/v1/account').reply(200, { credits: 1000 });
		const { error } = await runNode({
			parameters: cloneParameters({ audioSource: 'savedVoice', savedVoice: byId('={{ $json.voice }}') }),
			items: [{ json: { voice: 'sv_narrator' } }, { json: { voice: 'sv_gone' } }],
		});
		expect(error?.message).toBe('"Saved Voice" "sv_gone" is not a voice saved in this Magic Hour account [item 1]');
		expect(bodies).toEqual([]);
		expect(balance.isDone()).toBe(false);
	});

	it('leaves out of the Max Credits per Run estimate an item whose voice failed', async () => {
		savedItemsPages(ACCOUNT);
		const bodies = creates();
		const { output } = await runNode({
			parameters: cloneParameters({
				audioSource: 'savedVoice',
				savedVoice: byId('={{ $json.voice }}'),
				prompt: 'x'.repeat(100),
				options: { maxCreditsPerRun: 10, creditsPerCharacter: 0.1 },
			}),
			items: [{ json: { voice: 'sv_gone' } }, { json: { voice: 'sv_narrator' } }],
			continueOnFail: true,
		});
		// 100 characters at 0.1: 10 credits each, the whole budget; only the item with a voice counts.
		expect(output[1].json.status).toBe('queued');
		expect(bodies).toHaveLength(1);
	});

	it('fails every item that names a saved voice when the list cannot be read, paying nothing', async () => {
		api().get('/v1/saved-items').query(true).times(10).reply(500, { code: 'internal_error', message: 'Internal Server Error' });
		const bodies = creates();
		const { output } = await runNode({
			parameters: cloneParameters({ audioSource: 'savedVoice', savedVoice: byId('={{ $json.voice }}') }),
			items: [{ json: { voice: 'sv_narrator' } }, { json: { voice: 'sv_host' } }],
			continueOnFail: true,
		});
		expect(output.map((item) => item.json.error)).toEqual([
			'Magic Hour answered 500: Internal Server Error [internal_error]',
			'Magic Hour answered 500: Internal Server Error [internal_error]',
		]);
		expect(output[1].json.error_description).toMatch(/The saved voices are read once per run, for every item that names one\.$/);
		expect(bodies).toEqual([]);
	});

	it('is offered to an AI agent, which gives the voice by its id', async () => {
		savedItemsPages(ACCOUNT);
		const bodies = creates();
		const { output } = await runNode({ parameters: savedVoiceParameters('sv_narrator'), asTool: true });
		expect(bodies.map((body) => body.assets.audio_file_path)).toEqual(['saved-items/u1/sv_narrator/voice.mp3']);
		expect(output[0].json).toMatchObject({ id: 'proj_1', status: 'queued' });
	});
});
