import { binaryBuffer, runNode } from '../../../engine/harness';
import { getParameters, project, wav } from '../../../builders';
import { testClock } from '../../../clock';
import { api, storage } from '../../../mocks';

describe('Get Audio Project', () => {
	it('returns a rendering project as it is when not waiting, and creates nothing', async () => {
		const create = api().post('/v1/ai-voice-cloner').reply(200, { id: 'x', credits_charged: 1 });
		api().get('/v1/audio-projects/proj_1').reply(200, project({ status: 'rendering', downloads: [] }));
		const { output, error } = await runNode({ parameters: getParameters() });
		expect(error).toBeUndefined();
		expect(create.isDone()).toBe(false);
		expect(output[0].json).toMatchObject({ id: 'proj_1', status: 'rendering', downloads: [] });
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	it('downloads the audio of a complete project at once, without polling first', async () => {
		const audio = wav(2400);
		api().get('/v1/audio-projects/proj_1').once().reply(200, project());
		storage().get('/proj_1/output.wav').query(true).reply(200, audio, { 'Content-Type': 'audio/wav' });
		const { output } = await runNode({ parameters: getParameters({ waitForCompletion: true }) });
		expect(testClock().waits).toEqual([]);
		expect(output[0].json.status).toBe('complete');
		expect((await binaryBuffer(output[0])).equals(audio)).toBe(true);
	});

	it('resumes a job that is still rendering: waits, then downloads', async () => {
		api()
			.get('/v1/audio-projects/proj_1')
			.reply(200, project({ status: 'rendering', downloads: [] }))
			.get('/v1/audio-projects/proj_1')
			.reply(200, project());
		storage().get('/proj_1/output.wav').query(true).reply(200, wav(), { 'Content-Type': 'audio/wav' });
		const { output } = await runNode({ parameters: getParameters({ waitForCompletion: true }) });
		expect(output[0].binary?.data?.mimeType).toBe('audio/wav');
	});

	it('fails on an unknown id with Magic Hour\'s 404 and what to check', async () => {
		api().get('/v1/audio-projects/nope').reply(404, { message: 'Not Found' });
		const { error } = await runNode({ parameters: getParameters({ projectId: 'nope' }) });
		expect(error?.message).toBe('Magic Hour answered 404: Not Found (project nope)');
		expect(error?.description).toMatch(/Check the Project ID/);
	});

	it('reports an unknown id as an item under Continue On Fail', async () => {
		api().get('/v1/audio-projects/nope').reply(404, { message: 'Not Found' });
		api().get('/v1/audio-projects/proj_1').reply(200, project({ status: 'queued', downloads: [] }));
		const { output } = await runNode({
			parameters: getParameters({ projectId: '={{ $json.id }}' }),
			items: [{ json: { id: 'nope' } }, { json: { id: 'proj_1' } }],
			continueOnFail: true,
		});
		expect(output[0]).toMatchObject({
			json: { error: 'Magic Hour answered 404: Not Found (project nope)', http_status: 404, id: 'nope' },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toMatchObject({ json: { id: 'proj_1', status: 'queued' }, pairedItem: { item: 1 } });
	});

	it('gives the library link of a complete project, which Clone Voice takes as a sample; none before it is complete', async () => {
		api().get('/v1/audio-projects/proj_1').reply(200, project());
		api().get('/v1/audio-projects/proj_2').reply(200, project({ id: 'proj_2', status: 'rendering', downloads: [] }));
		const { output } = await runNode({
			parameters: getParameters({ projectId: '={{ $json.id }}' }),
			items: [{ json: { id: 'proj_1' } }, { json: { id: 'proj_2' } }],
		});
		expect(output.map((item) => item.json.library_url)).toEqual(['https://magichour.ai/my-library?audioId=proj_1', null]);
	});

	it('gives no library link once Delete After Download has removed the project', async () => {
		api().get('/v1/audio-projects/proj_1').reply(200, project());
		api().delete('/v1/audio-projects/proj_1').reply(204);
		storage().get('/proj_1/output.wav').query(true).reply(200, wav(), { 'Content-Type': 'audio/wav' });
		const { output } = await runNode({ parameters: getParameters({ waitForCompletion: true, options: { deleteAfterDownload: true } }) });
		expect(output[0].json).toMatchObject({ deleted: true, library_url: null });
	});
});
