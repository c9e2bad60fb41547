/** The Saved Voice field's "From list": what the editor shows, through n8n's list-search call. */
import type { IDataObject } from 'n8n-workflow';

import { listSearch, TEST_TOKEN } from '../../../engine/harness';
import { savedAsset, savedVoice, savedVoiceParameters } from '../../../builders';
import { api, savedItemsPages } from '../../../mocks';

const search = async (filter?: string, paginationToken?: string) =>
	await listSearch({ method: 'searchSavedVoices', parameters: savedVoiceParameters(''), filter, paginationToken });

/** Voices named `Voice <from>` … `Voice <from + count - 1>`. */
const voices = (from: number, count: number) =>
	Array.from({ length: count }, (_, index) => savedVoice(`v${from + index}`, `Voice ${from + index}`));

describe('Saved Voice, From list', () => {
	it('lists every saved voice of every page, newest first, by name, and nothing that is not a voice', async () => {
		const traffic = savedItemsPages([
			[savedVoice('v1', 'Narrator'), { id: 'c1', name: 'Hero', type: 'character', assets: [savedAsset('saved-items/u1/c1/face.png', { media_kind: 'IMAGE' })] }, savedVoice('v2', 'Podcast host')],
			[savedVoice('v3', 'Support line'), { id: 'r1', name: 'Moodboard', type: 'reference', assets: [] }, 'not an item' as unknown as IDataObject, { name: 'no id' }],
			[savedVoice('v4', 'Old take', { assets: [] }), savedVoice('v5', null)],
		]);
		const list = await search();
		expect(list).toEqual({
			results: [
				{ name: 'Narrator', value: 'v1' },
				{ name: 'Podcast host', value: 'v2' },
				{ name: 'Support line', value: 'v3' },
				{ name: 'Old take (no audio file)', value: 'v4' },
				{ name: 'Unnamed voice (v5)', value: 'v5' },
			],
			paginationToken: undefined,
		});
		expect(traffic).toEqual([
			{ type: 'voice', limit: '100' },
			{ type: 'voice', limit: '100', cursor: 'page-1' },
			{ type: 'voice', limit: '100', cursor: 'page-2' },
		]);
	});

	it('answers with enough voices for the list and hands on where the next page starts, so that following the token gives each voice once', async () => {
		savedItemsPages([voices(1, 15), voices(16, 15), voices(31, 15)]);
		const first = await search();
		expect(first.results).toHaveLength(30);
		expect(first.paginationToken).toBe('page-2');
		const second = await search(undefined, first.paginationToken);
		expect(second.paginationToken).toBeUndefined();
		expect([...first.results, ...second.results].map((voice) => voice.value)).toEqual(voices(1, 45).map((voice) => voice.id));
	});

	it('narrows the list to the names that hold the search, in any case, reading on until it has enough or none are left', async () => {
		const traffic = savedItemsPages([
			[savedVoice('v1', 'Narrator warm'), savedVoice('v2', 'Podcast host')],
			[savedVoice('v3', 'Support')],
			[savedVoice('v4', 'NARRATOR calm')],
		]);
		expect((await search('narr')).results).toEqual([
			{ name: 'Narrator warm', value: 'v1' },
			{ name: 'NARRATOR calm', value: 'v4' },
		]);
		expect(traffic).toHaveLength(3);
		expect(await search('nobody')).toEqual({ results: [], paginationToken: undefined });
	});

	it('says what to do when Magic Hour refuses the key, with the key masked', async () => {
		api().get('/v1/saved-items').query(true).reply(401, { code: 'unauthorized', message: `Invalid key ${TEST_TOKEN}` });
		await expect(search()).rejects.toMatchObject({
			message: 'Magic Hour answered 401: Invalid key *** [unauthorized]',
			description: expect.stringMatching(/API token was rejected/),
		});
	});

	it('stops, with an error, on a list whose cursor comes back again instead of running on forever', async () => {
		api().get('/v1/saved-items').query(true).times(3).reply(200, { items: [savedVoice('v1', 'Narrator')], next_cursor: 'same' });
		await expect(search()).rejects.toMatchObject({ message: 'Magic Hour\'s list of saved voices does not come to an end' });
	});

	it('fails on an answer without its list of items', async () => {
		api().get('/v1/saved-items').query(true).reply(200, { data: [] } as IDataObject);
		await expect(search()).rejects.toMatchObject({ message: 'Magic Hour answered the list of saved voices without its items' });
	});
});
