/** The simulator's saved items, library links and the newer style fields, as a client of Magic Hour meets them. */
import { call } from './client';
import { startSimulator } from './index';
import type { Simulator as Sim } from './index';
import { parseWavHeader } from './wav';

let sim: Sim;

beforeAll(async () => {
	sim = await startSimulator({ renderMs: 0 });
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => {
	sim.reset();
	sim.setOptions({ savedItemsPageSize: 3, extraSavedVoices: 0 });
});

/** Every item of a list, page after page, and how many pages it took. */
async function allPages(query: string): Promise<{ items: Array<{ id: string; name: string | null; type: string }>; pages: number }> {
	const items = [];
	let cursor: string | null = null;
	let pages = 0;
	do {
		const answer = await call(sim, 'GET', `/v1/saved-items?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		expect(answer.status).toBe(200);
		items.push(...answer.json.items);
		cursor = answer.json.next_cursor;
		pages++;
	} while (cursor);
	return { items, pages };
}

const create = async (audioFilePath: string, style: Record<string, unknown> = { prompt: 'Hello there.' }) =>
	await call(sim, 'POST', '/v1/ai-voice-cloner', { assets: { audio_file_path: audioFilePath }, style });

describe('GET /v1/saved-items', () => {
	it('lists the voices, newest first, over several pages of at most savedItemsPageSize items', async () => {
		const { items, pages } = await allPages('type=voice&limit=100');
		expect(pages).toBe(3);
		expect(items.map((item) => [item.id, item.name])).toEqual([
			['sv_narrator_warm', 'Narrator (warm)'],
			['sv_podcast_host', 'Podcast host'],
			['sv_support', 'Customer support'],
			['sv_audiobook_calm', 'Audiobook (calm)'],
			['sv_narrador', 'Narrador (español)'],
			['sv_old_take', 'Old take'],
			['sv_unnamed_0042', null],
		]);
		// The same as the account's voices, but for the preview links, signed anew at each answer.
		const withoutLinks = (list: Array<{ assets: Array<Record<string, unknown>> }>) =>
			list.map((item) => ({ ...item, assets: item.assets.map(({ file_path, is_primary, media_kind }) => ({ file_path, is_primary, media_kind })) }));
		expect(withoutLinks(items as never)).toEqual(withoutLinks(sim.savedItems().filter((item) => item.type === 'voice')));
	});

	it('lists every kind of item without a type, and has a voice whose first audio file is not its primary one', async () => {
		const { items } = await allPages('limit=20');
		expect(new Set(items.map((item) => item.type))).toEqual(new Set(['voice', 'character', 'reference', 'moodboard', 'brand_kit']));
		const host = sim.savedItems().find((item) => item.id === 'sv_podcast_host')!;
		const audio = host.assets.filter((asset) => asset.media_kind === 'AUDIO');
		expect(audio.map((asset) => [asset.file_path, asset.is_primary])).toEqual([
			['saved-items/user_sim_0001/sv_podcast_host/take-1.mp3', false],
			['saved-items/user_sim_0001/sv_podcast_host/voice.wav', true],
		]);
	});

	it('adds extraSavedVoices older voices', async () => {
		sim.setOptions({ extraSavedVoices: 30, savedItemsPageSize: 100 });
		const { items, pages } = await allPages('type=voice&limit=100');
		expect(pages).toBe(1);
		expect(items).toHaveLength(37);
		expect(items.slice(-2).map((item) => item.name)).toEqual(['Voice 029', 'Voice 030']);
	});

	it.each([
		['limit=0', 'limit must be an integer from 1 to 100'],
		['limit=101', 'limit must be an integer from 1 to 100'],
		['limit=ten', 'limit must be an integer from 1 to 100'],
		['type=voices', 'type must be one of: character, reference, voice, moodboard, brand_kit'],
		['type=voice&cursor=not-a-cursor', 'cursor is not valid for this list'],
	])('answers 400 invalid_request to %s', async (query, message) => {
		const answer = await call(sim, 'GET', `/v1/saved-items?${query}`);
		expect([answer.status, answer.json]).toEqual([400, { message, code: 'invalid_request' }]);
	});

	it('refuses a cursor of another list', async () => {
		const first = await call(sim, 'GET', '/v1/saved-items?type=voice');
		const answer = await call(sim, 'GET', `/v1/saved-items?type=character&cursor=${first.json.next_cursor}`);
		expect(answer.status).toBe(400);
	});

	it('needs the token', async () => {
		const answer = await call(sim, 'GET', '/v1/saved-items', undefined, { Authorization: 'Bearer wrong' });
		expect(answer.status).toBe(401);
	});
});

describe('POST /v1/ai-voice-cloner with a saved voice or a library link', () => {
	it('takes the audio file of a saved voice', async () => {
		const answer = await create('saved-items/user_sim_0001/sv_podcast_host/voice.wav');
		expect(answer.status).toBe(200);
		expect(sim.jobs()[0].audio_file_path).toBe('saved-items/user_sim_0001/sv_podcast_host/voice.wav');
	});

	it.each([
		['a saved file that is not audio', 'saved-items/user_sim_0001/sv_podcast_host/cover.png', 'unsupported_audio_file'],
		['an unknown saved file', 'saved-items/user_sim_0001/sv_gone/voice.mp3', 'file_not_found'],
		['the library link of an unknown project', 'https://magichour.ai/my-library?audioId=cunknown', 'file_not_found'],
		['the library link of a video', 'https://magichour.ai/my-library?videoId=cvideo', 'unsupported_audio_file'],
	])('answers 422 to %s', async (_what, path, code) => {
		const answer = await create(path);
		expect([answer.status, answer.json]).toEqual([422, { message: 'Unable to clone voice', code }]);
		expect(sim.jobs()).toEqual([]);
	});

	it('takes the library link of a complete audio project, and not of one that is rendering or deleted', async () => {
		sim.setOptions({ renderMs: 60_000 });
		const rendering = (await create('https://cdn.example.com/v.mp3')).json.id;
		expect((await create(`https://magichour.ai/my-library?audioId=${rendering}`)).status).toBe(422);
		sim.setOptions({ renderMs: 0 });
		const done = (await create('https://cdn.example.com/v.mp3')).json.id;
		const link = `https://magichour.ai/my-library?audioId=${done}`;
		expect((await create(link)).status).toBe(200);
		expect(sim.jobs().map((job) => job.audio_file_path)).toContain(link);
		await call(sim, 'DELETE', `/v1/audio-projects/${done}`);
		expect((await create(link)).status).toBe(422);
	});
});

describe('POST /v1/ai-voice-cloner with style.language and style.speed', () => {
	it('keeps the style as sent, and a speed makes the rendered audio shorter or longer', async () => {
		const prompt = 'x'.repeat(100);
		const seconds = [];
		for (const style of [{ prompt }, { prompt, language: 'spanish', speed: 1.25 }, { prompt, speed: 0.75 }]) {
			const answer = await create('https://cdn.example.com/v.mp3', style);
			expect(answer.status).toBe(200);
			const job = sim.jobs().find((candidate) => candidate.id === answer.json.id)!;
			expect(job.style).toEqual(style);
			seconds.push(parseWavHeader(await sim.renderedAudio(job.id)).durationSec);
		}
		// 100 code points at 60 ms: 6 s, divided by the speed.
		expect(seconds.map((value) => Number(value.toFixed(3)))).toEqual([6, 4.8, 8]);
	});

	it.each([
		[{ language: 'klingon' }, 'style.language must be one of: auto, chinese, english, japanese, korean, german, french, russian, portuguese, spanish, italian'],
		[{ language: 'Spanish' }, 'style.language must be one of: auto, chinese, english, japanese, korean, german, french, russian, portuguese, spanish, italian'],
		[{ speed: 0.7 }, 'style.speed must be a number from 0.75 to 1.30'],
		[{ speed: 1.31 }, 'style.speed must be a number from 0.75 to 1.30'],
		[{ speed: '1' }, 'style.speed must be a number from 0.75 to 1.30'],
		[{ pitch: 2 }, 'Unknown field: style.pitch'],
	])('answers 400 to %p', async (extra, message) => {
		const answer = await create('https://cdn.example.com/v.mp3', { prompt: 'Hi', ...extra });
		expect([answer.status, answer.json.message]).toEqual([400, message]);
	});

	it('takes both ends of the speed range', async () => {
		for (const speed of [0.75, 1.3]) expect((await create('https://cdn.example.com/v.mp3', { prompt: 'Hi', speed })).status).toBe(200);
	});
});
