/** How answers and failures of the Magic Hour API reach the user, run through n8n's engine. */
import { runNode, TEST_TOKEN } from '../../../engine/harness';
import { cloneParameters, getParameters, project } from '../../../builders';
import { testClock } from '../../../clock';
import { api } from '../../../mocks';

const created = { id: 'proj_1', credits_charged: 2 };

describe('error answers of the create request', () => {
	it.each([
		[400, { message: 'style.prompt is required' }, /invalid/],
		[401, { message: 'Unauthorized' }, /API token was rejected/],
		[402, { message: 'Not enough credits', code: 'insufficient_credits' }, /too few credits/],
		[403, { message: 'Forbidden', code: 'plan_upgrade_required' }, /plan does not include/],
		[422, { message: 'Unable to clone voice' }, /audio sample/],
	])('%i: shows the message and code and says what to do; one request only', async (status, body, advice) => {
		let posts = 0;
		api()
			.post('/v1/ai-voice-cloner')
			.times(5)
			.reply(() => {
				posts++;
				return [status, body];
			});
		const { error } = await runNode({ parameters: cloneParameters() });
		const code = 'code' in body ? ` [${body.code}]` : '';
		expect(error?.message).toBe(`Magic Hour answered ${status}: ${body.message}${code}`);
		expect(error?.description).toMatch(advice);
		expect(posts).toBe(1);
	});

	it.each([400, 401, 402, 403, 422])('%i under Continue On Fail: an error item with code and status, others go on', async (status) => {
		api().post('/v1/ai-voice-cloner', (body) => body.style.prompt === 'bad').reply(status, { message: 'No', code: 'some_code' });
		api().post('/v1/ai-voice-cloner', (body) => body.style.prompt === 'good').reply(200, created);
		const { output } = await runNode({
			parameters: cloneParameters({ prompt: '={{ $json.p }}' }),
			items: [{ json: { p: 'bad' } }, { json: { p: 'good' } }],
			continueOnFail: true,
		});
		expect(output[0]).toEqual({
			json: {
				error: `Magic Hour answered ${status}: No [some_code]`,
				error_description: expect.any(String),
				error_code: 'some_code',
				http_status: status,
			},
			pairedItem: { item: 0 },
		});
		expect(output[1]).toMatchObject({ json: { id: 'proj_1' }, pairedItem: { item: 1 } });
	});

	it('500 after the job was accepted: never resent, and the user is told to check before rerunning', async () => {
		let posts = 0;
		api()
			.post('/v1/ai-voice-cloner')
			.times(5)
			.reply(() => {
				posts++;
				return [500, { message: 'Internal Server Error' }];
			});
		const { error } = await runNode({ parameters: cloneParameters() });
		expect(posts).toBe(1);
		expect(error?.message).toBe('Magic Hour answered 500: Internal Server Error');
		expect(error?.description).toMatch(/not sent again, so nothing is paid twice/);
	});

	it('a dropped connection after sending: never resent', async () => {
		let posts = 0;
		api()
			.post('/v1/ai-voice-cloner')
			.times(5)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.on('request', () => posts++);
		const { error } = await runNode({ parameters: cloneParameters() });
		expect(posts).toBe(1);
		expect(error?.message).toMatch(/connection to Magic Hour failed \(ECONNRESET\) on POST \/v1\/ai-voice-cloner/);
		expect(error?.description).toMatch(/may still have started a paid job/);
	});

	it('no answer within the request timeout: never resent', async () => {
		let posts = 0;
		api()
			.post('/v1/ai-voice-cloner')
			.times(5)
			.delay(3000)
			.reply(200, created)
			.on('request', () => posts++);
		const { error } = await runNode({ parameters: cloneParameters({ options: { requestTimeout: 1 } }) });
		expect(posts).toBe(1);
		expect(error?.message).toMatch(/did not answer within 1 s on POST/);
		expect(error?.description).toMatch(/may still have started a paid job/);
	});

	it('an unreadable success answer: never resent', async () => {
		const create = api().post('/v1/ai-voice-cloner').reply(200, '{"id": "proj_', { 'Content-Type': 'application/json' });
		const again = api().post('/v1/ai-voice-cloner').reply(200, created);
		const { error } = await runNode({ parameters: cloneParameters() });
		expect(create.isDone()).toBe(true);
		expect(again.isDone()).toBe(false);
		expect(error?.message).toMatch(/unreadable answer/);
	});

	it.each([429, 502, 503])('%i proves no job was made: the create is sent again and succeeds once', async (status) => {
		let posts = 0;
		api()
			.post('/v1/ai-voice-cloner')
			.times(2)
			.reply(() => {
				posts++;
				return posts === 1 ? [status, { message: 'Busy' }, { 'Retry-After': '0' }] : [200, created];
			});
		const { output, error } = await runNode({ parameters: cloneParameters() });
		expect(error).toBeUndefined();
		expect(posts).toBe(2);
		expect(output[0].json.id).toBe('proj_1');
	});

	it('honours Retry-After on 429 before trying again', async () => {
		const times: number[] = [];
		api()
			.post('/v1/ai-voice-cloner')
			.times(2)
			.reply(() => {
				times.push(testClock().now());
				return times.length === 1 ? [429, { message: 'Too Many Requests' }, { 'Retry-After': '2' }] : [200, created];
			});
		await runNode({ parameters: cloneParameters() });
		expect(times).toHaveLength(2);
		expect(testClock().waits).toContain(2000);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(2000);
	});
});

describe('free requests', () => {
	it('retries a GET after 500 and after a dropped connection', async () => {
		api()
			.get('/v1/audio-projects/proj_1')
			.reply(500, { message: 'oops' })
			.get('/v1/audio-projects/proj_1')
			.replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))
			.get('/v1/audio-projects/proj_1')
			.reply(200, project({ status: 'queued', downloads: [] }));
		const { output, error } = await runNode({ parameters: getParameters() });
		expect(error).toBeUndefined();
		expect(output[0].json.status).toBe('queued');
	}, 15000);

	it('gives up after a few attempts on a lasting outage, saying it is Magic Hour\'s trouble', async () => {
		api().get('/v1/audio-projects/proj_1').times(10).reply(503, { message: 'Service Unavailable' });
		const { error } = await runNode({ parameters: getParameters() });
		expect(error?.message).toBe('Magic Hour answered 503: Service Unavailable (project proj_1)');
		expect(error?.description).toMatch(/having trouble/);
	}, 20000);

	it('sends the token to the API and only there', async () => {
		let authorization: string | undefined;
		api()
			.get('/v1/audio-projects/proj_1')
			.reply(function () {
				authorization = this.req.headers.authorization as string;
				return [200, project({ status: 'queued', downloads: [] })];
			});
		const { output } = await runNode({ parameters: getParameters() });
		expect(authorization).toBe(`Bearer ${TEST_TOKEN}`);
		expect(JSON.stringify(output)).not.toContain(TEST_TOKEN);
	});

	it('never shows the token, even when the server echoes it', async () => {
		api().get('/v1/audio-projects/proj_1').reply(401, { message: `Key ${TEST_TOKEN} is revoked` });
		const { error, output } = await runNode({ parameters: getParameters(), continueOnFail: true });
		expect(error).toBeUndefined();
		expect(JSON.stringify(output)).not.toContain(TEST_TOKEN);
		expect(output[0].json.error).toBe('Magic Hour answered 401: Key *** is revoked (project proj_1)');
	});
});
