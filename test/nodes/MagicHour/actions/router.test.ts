import { runNode } from '../../../engine/harness';
import { cloneParameters, DOWNLOAD_HOST, project, wav } from '../../../builders';
import { FrozenClock, installClock, testClock } from '../../../clock';
import { api, storage } from '../../../mocks';

/** A Magic Hour whose jobs finish at the first look, counting the jobs between create and download. */
function countingMagicHour() {
	const counts = { inFlight: 0, maxInFlight: 0, creates: 0 };
	api()
		.post('/v1/ai-voice-cloner')
		.times(100)
		.reply(200, (_uri, body) => {
			counts.creates++;
			counts.inFlight++;
			counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
			return { id: `p${(body as { name: string }).name}`, credits_charged: 1 };
		});
	api()
		.get(/\/v1\/audio-projects\/p\d+$/)
		.times(100)
		.reply(200, (uri) => {
			const id = uri.split('/').pop()!;
			return project({ id, name: id, downloads: [{ url: `${DOWNLOAD_HOST}/${id}/output.wav?sig=s`, expires_at: 'x' }] });
		});
	storage()
		.get(/\/p\d+\/output\.wav/)
		.times(100)
		.reply(200, () => {
			counts.inFlight--;
			return wav(160);
		}, { 'Content-Type': 'audio/wav' });
	return counts;
}

const numbered = (count: number) => Array.from({ length: count }, (_, index) => ({ json: { n: index } }));

describe('items in flight', () => {
	it('works on at most "Concurrency" jobs at once and keeps input order and pairedItem', async () => {
		const counts = countingMagicHour();
		const { output, error } = await runNode({
			parameters: cloneParameters({ waitForCompletion: true, name: '={{ $json.n }}', options: { concurrency: 5 } }),
			items: numbered(12),
		});
		expect(error).toBeUndefined();
		expect(counts.creates).toBe(12);
		expect(counts.maxInFlight).toBe(5);
		expect(output.map((item) => [item.json.id, item.pairedItem])).toEqual(
			numbered(12).map((_, index) => [`p${index}`, { item: index }]),
		);
		// Three waves of a 2 s wait, not twelve: each item waited once before its first look.
		expect(testClock().waits.filter((ms) => ms === 2000)).toHaveLength(12);
	}, 30000);

	it('works item by item with Concurrency 1', async () => {
		const counts = countingMagicHour();
		await runNode({
			parameters: cloneParameters({ waitForCompletion: true, name: '={{ $json.n }}', options: { concurrency: 1 } }),
			items: numbered(2),
		});
		expect(counts.maxInFlight).toBe(1);
	}, 20000);
});

describe('failures and Continue On Fail', () => {
	it('sends nothing at all when any item is invalid and Continue On Fail is off', async () => {
		const create = api().post('/v1/ai-voice-cloner').times(3).reply(200, { id: 'p', credits_charged: 1 });
		const { error, output } = await runNode({
			parameters: cloneParameters({ prompt: '={{ $json.text }}' }),
			items: [{ json: { text: 'fine' } }, { json: { text: '' } }, { json: { text: 'fine too' } }],
		});
		expect(error?.message).toBe('"Prompt" is empty [item 1]');
		expect(output).toEqual([]);
		expect(create.pendingMocks()).toHaveLength(1);
		expect(create.isDone()).toBe(false);
	});

	it('with Continue On Fail, reports the invalid item in place and clones the others', async () => {
		api().post('/v1/ai-voice-cloner').times(2).reply(200, (_uri, body) => ({
			id: `p_${(body as { style: { prompt: string } }).style.prompt}`,
			credits_charged: 1,
		}));
		const { output } = await runNode({
			parameters: cloneParameters({ prompt: '={{ $json.text }}' }),
			items: [{ json: { text: 'a' } }, { json: { text: 'x'.repeat(1001) } }, { json: { text: 'b' } }],
			continueOnFail: true,
		});
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.id).toBe('p_a');
		expect(output[1].json).toEqual({
			error: '"Prompt" is 1001 characters long; Magic Hour accepts at most 1000 [item 1]',
			error_description: expect.stringMatching(/Shorten the text/),
		});
		expect(output[2].json.id).toBe('p_b');
	});

	it('with Continue (using error output), sends failed items down the error output with their input data', async () => {
		api().post('/v1/ai-voice-cloner').times(2).reply(200, (_uri, body) => ({
			id: `p_${(body as { style: { prompt: string } }).style.prompt}`,
			credits_charged: 1,
		}));
		const { output, errorOutput } = await runNode({
			parameters: cloneParameters({ prompt: '={{ $json.text }}', waitForCompletion: false }),
			items: [{ json: { text: 'a' } }, { json: { text: 'x'.repeat(1001), caller: 'c2' } }, { json: { text: 'b' } }],
			errorOutput: true,
		});
		expect(output.map((item) => item.json.id)).toEqual(['p_a', 'p_b']);
		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].json).toMatchObject({
			caller: 'c2',
			error: '"Prompt" is 1001 characters long; Magic Hour accepts at most 1000 [item 1]',
			details: { error_description: expect.stringMatching(/Shorten the text/) },
		});
		expect(errorOutput[0].pairedItem).toEqual({ item: 1 });
	});

	it('stops starting new items after the first failure when Continue On Fail is off', async () => {
		let creates = 0;
		api()
			.post('/v1/ai-voice-cloner')
			.times(5)
			.reply(() => {
				creates++;
				return creates === 1 ? [402, { message: 'Not enough credits', code: 'insufficient_credits' }] : [200, { id: 'p', credits_charged: 1 }];
			});
		const { error } = await runNode({
			parameters: cloneParameters({ options: { concurrency: 1 } }),
			items: numbered(5),
		});
		expect(error?.message).toBe('Magic Hour answered 402: Not enough credits [insufficient_credits]');
		expect(creates).toBe(1);
	});
});

describe('stopping the execution', () => {
	it('ends a run that is waiting for a render at once, and looks no more', async () => {
		let looks = 0;
		api().post('/v1/ai-voice-cloner').reply(200, { id: 'proj_1', credits_charged: 1 });
		api()
			.get('/v1/audio-projects/proj_1')
			.times(50)
			.reply(() => {
				looks++;
				return [200, project({ status: 'rendering', downloads: [] })];
			});
		// Waits end only when the execution is stopped: a wait that ignored the stop would hang here.
		installClock(new FrozenClock());
		const { run } = await runNode({
			parameters: cloneParameters({ waitForCompletion: true }),
			cancelAfterMs: 500,
		});
		expect(run.status).toBe('canceled');
		expect(looks).toBe(0);
	});
});
