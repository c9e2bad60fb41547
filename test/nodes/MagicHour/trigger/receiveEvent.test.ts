import { MagicHourTrigger } from '../../../../nodes/MagicHour/MagicHourTrigger.node';
import { binaryBuffer, TEST_TOKEN } from '../../../engine/harness';
import { event, signed, TriggerHarness, WEBHOOK_SECRET } from '../../../engine/trigger';
import { DOWNLOAD_HOST, project, wav } from '../../../builders';
import { api, storage } from '../../../mocks';

const completed = (overrides = {}) => event('audio.completed', project(overrides));
const now = () => Math.floor(Date.now() / 1000);

function expectNothingStarted(answer: { items: unknown[]; result: { workflowData?: unknown } }) {
	expect(answer.result.workflowData).toBeUndefined();
	expect(answer.items).toEqual([]);
}

describe('Magic Hour Trigger: only events signed with the webhook secret start the workflow', () => {
	it('starts the workflow with the event type and the project, answering 200 before the download', async () => {
		const audio = wav(3200);
		const harness = new TriggerHarness();
		storage()
			.get('/proj_1/output.wav')
			.query(true)
			.reply(() => {
				harness.timeline.push('download');
				return [200, audio, { 'Content-Type': 'audio/wav' }];
			});
		const answer = await harness.deliver(signed(completed()));
		expect(harness.timeline).toEqual(['answered 200', 'download']);
		expect(answer.status).toBe(200);
		expect(answer.result.noWebhookResponse).toBe(true);
		expect(answer.items).toHaveLength(1);
		expect(answer.items[0].json).toMatchObject({
			event: 'audio.completed',
			id: 'proj_1',
			status: 'complete',
			type: 'VOICE_CLONER',
			name: 'My clip',
			credits_charged: 2,
			downloads: [{ url: `${DOWNLOAD_HOST}/proj_1/output.wav?sig=abc` }],
		});
		expect(answer.items[0].binary?.data).toMatchObject({ mimeType: 'audio/wav', fileName: 'My clip.wav' });
		expect((await binaryBuffer(answer.items[0])).equals(audio)).toBe(true);
	});

	it.each([
		['no signature header', (d: ReturnType<typeof signed>) => delete d.headers['magic-hour-event-signature'], /signature header is missing/],
		['no timestamp header', (d: ReturnType<typeof signed>) => delete d.headers['magic-hour-event-timestamp'], /timestamp header is missing/],
		['a timestamp that is not Unix seconds', (d: ReturnType<typeof signed>) => (d.headers['magic-hour-event-timestamp'] = 'yesterday'), /not Unix seconds/],
	])('refuses a delivery with %s (401), starts nothing and says why in the log', async (_case, damage, logged) => {
		const delivery = signed(completed());
		damage(delivery);
		const answer = await new TriggerHarness().deliver(delivery);
		expect(answer.status).toBe(401);
		expect(answer.body).toEqual({ message: 'Unauthorized' });
		expectNothingStarted(answer);
		expect(answer.warnings.join('\n')).toMatch(logged);
	});

	it('refuses a signature made with another secret, and logs that the secret does not match', async () => {
		const answer = await new TriggerHarness().deliver(signed(completed(), { secret: 'whsec_someone_else' }));
		expect(answer.status).toBe(401);
		expectNothingStarted(answer);
		expect(answer.warnings).toHaveLength(1);
		expect(answer.warnings[0]).toMatch(/signature does not match the Webhook Secret of the Magic Hour API credential/);
		expect(answer.warnings[0]).not.toContain(WEBHOOK_SECRET);
	});

	it('refuses a signature over a different body (the JSON re-serialized, one field changed)', async () => {
		const original = JSON.stringify(completed());
		const delivery = signed(original);
		delivery.body = JSON.stringify(JSON.parse(original), null, 2);
		expect((await new TriggerHarness().deliver(delivery)).status).toBe(401);
		const tampered = signed(original);
		tampered.body = original.replace('"credits_charged":2', '"credits_charged":0');
		const answer = await new TriggerHarness().deliver(tampered);
		expect(answer.status).toBe(401);
		expectNothingStarted(answer);
	});

	it('refuses a replay of an old event (timestamp over 300 s away), even with its real signature', async () => {
		const answer = await new TriggerHarness().deliver(signed(completed(), { at: now() - 301 }));
		expect(answer.status).toBe(401);
		expectNothingStarted(answer);
		expect(answer.warnings[0]).toMatch(/timestamp is 30\d s away from this server's clock/);
		expect((await new TriggerHarness().deliver(signed(completed(), { at: now() + 400 }))).status).toBe(401);
	});

	it('accepts a timestamp within 300 s', async () => {
		storage().get('/proj_1/output.wav').query(true).reply(200, wav(), { 'Content-Type': 'audio/wav' });
		const answer = await new TriggerHarness().deliver(signed(completed(), { at: now() - 250 }));
		expect(answer.status).toBe(200);
		expect(answer.items).toHaveLength(1);
	});

	it('refuses everything when the credential has no Webhook Secret, and activation says why', async () => {
		const harness = new TriggerHarness({ credentials: { apiToken: TEST_TOKEN, webhookSecret: '' } });
		const answer = await harness.deliver(signed(completed()));
		expect(answer.status).toBe(401);
		expectNothingStarted(answer);
		expect(answer.warnings[0]).toMatch(/has no Webhook Secret/);
		// Publishing in the editor shows only this message: it says what to do.
		await expect(harness.activate()).rejects.toThrow(
			'The Magic Hour API credential has no Webhook Secret: open the credential and paste the secret Magic Hour shows for this webhook endpoint (Developer Hub → Webhooks)',
		);
		await expect(new TriggerHarness().activate()).resolves.toBeUndefined();
	});

	it('refuses a signed body that is not the JSON Magic Hour sends (400)', async () => {
		for (const body of ['not json', '[]', JSON.stringify({ type: 'audio.completed' }), JSON.stringify({ type: 'audio.completed', payload: {} })]) {
			const answer = await new TriggerHarness().deliver(signed(body));
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual({ message: 'Bad Request' });
			expectNothingStarted(answer);
		}
	});
});

describe('Magic Hour Trigger: which events start it', () => {
	it('starts on audio.completed and audio.errored by default, and answers 200 to others without starting', async () => {
		const harness = new TriggerHarness({ parameters: { events: ['audio.completed', 'audio.errored'] } });
		const failed = project({ status: 'error', downloads: [], error: { message: 'Unable to clone voice', code: 'invalid_voice' } });
		const errored = await harness.deliver(signed(event('audio.errored', failed)));
		expect(errored.items[0].json).toMatchObject({
			event: 'audio.errored',
			status: 'error',
			error_details: { message: 'Unable to clone voice', code: 'invalid_voice' },
		});
		expect(errored.items[0].binary).toBeUndefined();
		for (const type of ['audio.started', 'video.completed', 'image.errored', 'something.new']) {
			const answer = await harness.deliver(signed(event(type, project({ id: `p_${type}` }))));
			expect(answer.status).toBe(200);
			expectNothingStarted(answer);
		}
	});

	it('the default Events are audio.completed and audio.errored', () => {
		const events = new MagicHourTrigger().description.properties.find((property) => property.name === 'events');
		expect(events?.default).toEqual(['audio.completed', 'audio.errored']);
	});

	it('starts on audio.started when selected, with no download', async () => {
		const harness = new TriggerHarness({ parameters: { events: ['audio.started'] } });
		const answer = await harness.deliver(signed(event('audio.started', project({ status: 'rendering', downloads: [] }))));
		expect(answer.items[0].json).toMatchObject({ event: 'audio.started', status: 'rendering' });
		expect(answer.items[0].binary).toBeUndefined();
	});
});

describe('Magic Hour Trigger: each event starts the workflow once', () => {
	it('answers 200 to a repeat of an event and starts nothing, without downloading again', async () => {
		const download = storage().get('/proj_1/output.wav').query(true).once().reply(200, wav(), { 'Content-Type': 'audio/wav' });
		const harness = new TriggerHarness({ parameters: { events: ['audio.completed', 'audio.errored'] } });
		const first = await harness.deliver(signed(completed()));
		expect(first.items).toHaveLength(1);
		expect(download.isDone()).toBe(true);
		const again = await harness.deliver(signed(completed()));
		expect(again.status).toBe(200);
		expectNothingStarted(again);
	});

	it('knows repeats from the workflow\'s saved static data, as after a restart of n8n', async () => {
		storage().get('/proj_1/output.wav').query(true).reply(200, wav(), { 'Content-Type': 'audio/wav' });
		const harness = new TriggerHarness({ parameters: { events: ['audio.completed'] } });
		await harness.deliver(signed(completed()));
		const restarted = new TriggerHarness({ parameters: { events: ['audio.completed'] } });
		restarted.savedStaticData = harness.savedStaticData;
		// The new harness stands for the restarted process: it has none of the first one's memory.
		expectNothingStarted(await restarted.deliver(signed(completed())));
	});

	it('remembers every event of deliveries that overlap, though n8n saves only the static data of the last one to finish', async () => {
		// Three renders finish together: their deliveries arrive before any has been saved, and the
		// first one's download takes longest, so it is saved last.
		const ids = ['proj_1', 'proj_2', 'proj_3'];
		ids.forEach((id, index) =>
			storage()
				.get(`/${id}/output.wav`)
				.query(true)
				.delay(300 - index * 100)
				.reply(200, wav(), { 'Content-Type': 'audio/wav' }),
		);
		const deliveryOf = (id: string) => signed(completed({ id, downloads: [{ url: `${DOWNLOAD_HOST}/${id}/output.wav?sig=abc`, expires_at: '' }] }));
		const harness = new TriggerHarness({ parameters: { events: ['audio.completed'] } });
		const first = await Promise.all(ids.map((id) => harness.deliver(deliveryOf(id))));
		expect(first.map((answer) => answer.items.length)).toEqual([1, 1, 1]);

		// After a restart (or at another n8n process), only the saved static data knows them.
		const restarted = new TriggerHarness({ parameters: { events: ['audio.completed'] } });
		restarted.savedStaticData = harness.savedStaticData;
		for (const id of ids) expectNothingStarted(await restarted.deliver(deliveryOf(id)));
	});

	it('shows an event to "Listen for test event" each time it comes, without counting it as started for the published workflow', async () => {
		storage().get('/proj_1/output.wav').query(true).times(3).reply(200, wav(), { 'Content-Type': 'audio/wav' });
		const harness = new TriggerHarness({ parameters: { events: ['audio.completed'] } });
		expect((await harness.deliver(signed(completed()), 'manual')).items).toHaveLength(1);
		expect((await harness.deliver(signed(completed()), 'manual')).items).toHaveLength(1);
		expect((await harness.deliver(signed(completed()))).items).toHaveLength(1);
		expectNothingStarted(await harness.deliver(signed(completed())));
	});

	it('starts the same project again for another event type, and another project for the same type', async () => {
		storage().get(/\/proj_\d\/output\.wav/).query(true).times(2).reply(200, wav(), { 'Content-Type': 'audio/wav' });
		const harness = new TriggerHarness({ parameters: { events: ['audio.completed', 'audio.errored'] } });
		expect((await harness.deliver(signed(completed()))).items).toHaveLength(1);
		expect((await harness.deliver(signed(completed({ id: 'proj_2', downloads: [{ url: `${DOWNLOAD_HOST}/proj_2/output.wav?sig=abc`, expires_at: '' }] })))).items).toHaveLength(1);
		expect((await harness.deliver(signed(event('audio.errored', project({ status: 'error' }))))).items).toHaveLength(1);
	});
});

describe('Magic Hour Trigger: the audio of a completed render', () => {
	it('downloads without the API token and with no request to the API', async () => {
		const apiCalls = api().get(/.*/).reply(500);
		storage().get('/proj_1/output.wav').query(true).reply(200, wav(), { 'Content-Type': 'audio/wav' });
		const answer = await new TriggerHarness().deliver(signed(completed()));
		expect(answer.items[0].binary?.data).toBeDefined();
		expect(apiCalls.isDone()).toBe(false);
	});

	it('honours Download Audio off, Output Binary Field and Max Download Size', async () => {
		const off = await new TriggerHarness({ parameters: { events: ['audio.completed'], options: { downloadAudio: false } } }).deliver(signed(completed()));
		expect(off.items[0].binary).toBeUndefined();
		expect(off.items[0].json.downloads).toHaveLength(1);

		storage().get('/proj_1/output.wav').query(true).reply(200, wav(), { 'Content-Type': 'audio/wav' });
		const named = await new TriggerHarness({ parameters: { events: ['audio.completed'], options: { outputBinaryPropertyName: 'voice' } } }).deliver(signed(completed()));
		expect(Object.keys(named.items[0].binary ?? {})).toEqual(['voice']);

		storage().get('/proj_1/output.wav').query(true).reply(200, Buffer.alloc(2 * 1024 * 1024), { 'Content-Type': 'audio/wav' });
		const capped = await new TriggerHarness({ parameters: { events: ['audio.completed'], options: { maxDownloadSize: 1 } } }).deliver(signed(completed()));
		expect(capped.items[0].binary).toBeUndefined();
		expect(capped.items[0].json).toMatchObject({ id: 'proj_1', error_code: 'too_large' });
		expect(capped.items[0].json.error).toMatch(/over the "Max Download Size" of 1 MB/);
	});

	it('turns a failed download into an item with the error and the project id, not a lost event', async () => {
		storage().get('/proj_1/output.wav').query(true).times(4).reply(503, { message: 'Slow Down' });
		const answer = await new TriggerHarness().deliver(signed(completed()));
		expect(answer.status).toBe(200);
		expect(answer.items).toHaveLength(1);
		expect(answer.items[0].json).toMatchObject({ event: 'audio.completed', id: 'proj_1', status: 'complete' });
		expect(answer.items[0].json.error).toMatch(/download link was refused|Magic Hour answered 503/);
		expect(answer.items[0].json.error_description).toMatch(/Get Audio Project/);
	});

	it('never puts the webhook secret or the API token in an item', async () => {
		const echo = project({ name: `clip ${WEBHOOK_SECRET} ${TEST_TOKEN}` });
		storage().get('/proj_1/output.wav').query(true).reply(200, wav(), { 'Content-Type': 'audio/wav' });
		const answer = await new TriggerHarness().deliver(signed(event('audio.completed', echo)));
		const text = JSON.stringify(answer.items);
		expect(text).not.toContain(WEBHOOK_SECRET);
		expect(text).not.toContain(TEST_TOKEN);
		expect(answer.items[0].binary?.data?.fileName).toBe('clip *** ***.wav');
	});
});
