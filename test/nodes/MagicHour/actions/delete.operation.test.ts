import { runNode } from '../../../engine/harness';
import { api } from '../../../mocks';

describe('Delete Audio Project', () => {
	it('deletes the rendered files and says so', async () => {
		const remove = api().delete('/v1/audio-projects/proj_1').reply(204);
		const { output } = await runNode({ parameters: { operation: 'delete', projectId: 'proj_1' } });
		expect(remove.isDone()).toBe(true);
		expect(output).toEqual([{ json: { id: 'proj_1', deleted: true }, pairedItem: { item: 0 } }]);
	});

	it('fails on an unknown id with the id in the message', async () => {
		api().delete('/v1/audio-projects/gone').reply(404, { message: 'Not Found' });
		const { error } = await runNode({ parameters: { operation: 'delete', projectId: 'gone' } });
		expect(error?.message).toContain('404');
		expect(error?.message).toContain('gone');
	});
});
