'use strict';
// @ts-check
/**
 * The Magic Hour Trigger in real n8n (2.41.1 on Node 24, or MAGIC_HOUR_N8N_VERSION). A trigger waits for
 * requests, which `n8n execute` cannot receive, so this file runs `n8n start` (regular mode, SQLite) with the
 * fire-and-forget recipe: both of its example workflows (examples/) imported, the collecting one published, its
 * trigger's Production URL read from n8n and given to the simulator as Magic Hour's webhook endpoint, the
 * starting one run with `n8n execute`. What n8n recorded is read from its REST API, as the editor reads it.
 * Then a hostile sender, and a restart of n8n. The same running n8n also answers what its editor asks to fill in
 * the Voice Cloner's Saved Voice list (its REST endpoint for resource locators).
 */
const runner = require('../n8n/n8n-runner');
const workflows = require('../n8n/workflows');
const { startRegular } = require('../n8n/deployments');
const { executionTracker } = require('../n8n/n8n-api');
const { startSimulator } = require('../simulator');
const { phaseLog } = require('../n8n/phases');

const TOKEN = 'mhk_live_e2e_trigger_token_52d0';
const SECRET = 'whsec_e2e_trigger_secret_9b7e41';
const START = workflows.asyncStartExample();
const COLLECT = workflows.asyncCollectExample();
const TRIGGER = workflows.TRIGGER_NAME;
const { phase, say, table } = phaseLog('e2e trigger');
/** @type {import('../simulator').Simulator} */
let simulator;
/** @type {Awaited<ReturnType<typeof startRegular>>} */
let n8n;
/** @type {Awaited<ReturnType<typeof runner.packPackage>>} */
let packed;
const executions = executionTracker(() => n8n.api);


/** The collecting workflow's executions not seen before, once `count` of them have finished. @param {number} count */
const newExecutions = (count) => executions.next([COLLECT.id], count);

/**
 * What an execution of the collecting workflow shows when opened: the trigger's item, and the nodes it went to.
 * @param {import('../n8n/n8n-api').ExecutionRecord} record
 */
async function opened(record) {
	const { runData } = (await n8n.api.execution(record.id)).data.resultData;
	const [item, ...more] = runData[TRIGGER][0].data.main[0];
	return { item, more, ran: Object.keys(runData) };
}

/**
 * The simulator's attempts to deliver this job's events, once `count` of them are over and none is pending, or
 * as soon as one has failed (not answered 2xx in time: Magic Hour would retry it).
 * @param {string} jobId @param {number} count
 */
async function deliveriesOf(jobId, count) {
	const of = () => simulator.webhookDeliveries().filter((attempt) => attempt.jobId === jobId);
	const over = () => of().every((attempt) => attempt.result !== 'pending' && attempt.retryInMs === null);
	const failed = () => of().some((attempt) => !['ok', 'pending'].includes(attempt.result));
	await runner.until(() => failed() || (of().length >= count && over()), `${count} deliveries for ${jobId}`);
	return of();
}

/**
 * Matches an answer's status that is one of these (null: the connection closed before any answer came).
 * @param {Array<number | null>} statuses
 */
const oneOf = (...statuses) => ({
	asymmetricMatch: (/** @type {unknown} */ actual) => statuses.includes(/** @type {number | null} */ (actual)),
	toAsymmetricMatcher: () => `one of ${statuses.join(', ')}`,
});

/** Downloads of the signed audio URLs the simulator served so far. */
const downloads = () => simulator.requests().filter((request) => request.route === 'download');

beforeAll(async () => {
	simulator = await startSimulator({ token: TOKEN, renderMs: 1500, webhookSecret: SECRET });
	packed = await phase('build and npm pack', () => runner.packPackage({ log: () => {} }));
	n8n = await phase('import the recipe, publish the collecting workflow, n8n start', () =>
		startRegular({
			tarball: packed.tarball,
			simulator,
			token: TOKEN,
			webhookSecret: SECRET,
			workflows: [START, COLLECT],
			publish: [COLLECT.id],
			log: () => {},
			// n8n's own default log level, as users run it: the trigger's refusals must show there.
			env: { N8N_LOG_LEVEL: undefined },
		}),
	);
	simulator.setOptions({ webhookUrl: await n8n.triggerUrl(COLLECT.id, TRIGGER) });
});

afterAll(async () => {
	const output = n8n?.main.output() ?? '';
	await n8n?.stop();
	packed?.cleanup();
	await simulator?.close();
	expect(output).not.toContain(TOKEN);
	expect(output).not.toContain(SECRET);
	say(`phases:\n${table()}`);
});

afterEach(() => simulator.setOptions({ faults: [] }));

describe('Magic Hour Trigger in n8n start: the fire-and-forget recipe', () => {
	/** @type {string[]} */
	let jobIds = [];

	it('each render started by the example workflow (Wait off) starts one execution whose item holds its audio', async () => {
		const started = await phase('run the starting workflow (n8n execute)', () => runner.executeWorkflow(n8n.home, START.id, { timeoutMs: 180_000 }));
		expect(started.exitCode).toBe(0);
		const queued = runner.nodeOutput(started.run, 'Start Voice Clones');
		expect(queued.map((item) => [item.json.name, item.json.status])).toEqual([
			['order-1042-line-1', 'queued'],
			['order-1042-line-2', 'queued'],
			['order-1042-line-3', 'queued'],
		]);
		jobIds = queued.map((item) => item.json.id);

		const records = await phase('three renders collected', () => newExecutions(3));
		expect(records.map((record) => [record.status, record.mode])).toEqual(Array(3).fill(['success', 'webhook']));
		const views = await Promise.all(records.map(opened));
		views.sort((a, b) => String(a.item.json.name).localeCompare(String(b.item.json.name)));
		expect(views.map((view) => view.item.json.id)).toEqual(jobIds);
		for (const [index, view] of views.entries()) {
			const name = `order-1042-line-${index + 1}`;
			expect(view.more).toEqual([]);
			expect(view.item.json).toMatchObject({ event: 'audio.completed', id: jobIds[index], name, status: 'complete', type: 'VOICE_CLONER' });
			expect(view.item.binary.data).toMatchObject({ mimeType: 'audio/wav', fileName: `${name}.wav` });
			expect((await n8n.api.binary(view.item.binary.data)).equals(await simulator.renderedAudio(jobIds[index]))).toBe(true);
			expect(view.ran).toEqual([TRIGGER, 'Audio Ready?', 'Use the Audio']);
		}

		// Magic Hour's side: every delivery answered 2xx in time, audio.started (not selected) included; one
		// download per render, none with the token.
		const attempts = (await Promise.all(jobIds.map((id) => deliveriesOf(id, 2)))).flat();
		expect(attempts.map((attempt) => `${attempt.type} ${attempt.result}`).sort()).toEqual([
			...Array(3).fill('audio.completed ok'),
			...Array(3).fill('audio.started ok'),
		]);
		expect(downloads().map((request) => request.path).sort()).toEqual(jobIds.map((id) => `/signed/download/${id}/output.wav`).sort());
		expect(downloads().filter((request) => request.authorization || request.tokenSeen)).toEqual([]);
	});

	it('a failed render (audio.errored) starts one execution whose item carries the error, routed to "No Audio"', async () => {
		simulator.setOptions({ faults: [{ kind: 'job-error', route: 'create' }] });
		const job = await simulator.createJob({ prompt: 'This render fails.', name: 'order-1043-line-1' });
		const [record] = await newExecutions(1);
		const view = await opened(record);
		expect(view.item.json).toMatchObject({
			event: 'audio.errored',
			id: job.id,
			name: 'order-1043-line-1',
			status: 'error',
			error_details: { message: 'Unable to clone voice from this sample', code: 'invalid_voice' },
		});
		expect(view.item.binary).toBeUndefined();
		expect(view.ran).toEqual([TRIGGER, 'Audio Ready?', 'No Audio']);
	});

	it('duplicates and a download Magic Hour holds until it has its answer: every delivery answered 2xx in time, one execution', async () => {
		simulator.setOptions({ faults: [{ kind: 'duplicate', route: 'webhook' }, { kind: 'slow-download', route: 'webhook' }] });
		const job = await simulator.createJob({ prompt: 'Collected once, however often it is delivered.', name: 'order-1044-line-1' });
		const attempts = await deliveriesOf(job.id, 4);
		expect(attempts.map((attempt) => `${attempt.type} ${attempt.fault} ${attempt.result}`).sort()).toEqual([
			'audio.completed duplicate,slow-download ok',
			'audio.completed slow-download ok',
			'audio.started duplicate ok',
			'audio.started null ok',
		]);
		const [record, ...more] = await newExecutions(1);
		expect(more).toEqual([]);
		const { item } = await opened(record);
		expect(item.json).toMatchObject({ event: 'audio.completed', id: job.id });
		expect((await n8n.api.binary(item.binary.data)).equals(await simulator.renderedAudio(job.id))).toBe(true);
		expect(downloads().filter((request) => request.path.includes(job.id))).toHaveLength(1);
	});

	it('a download that fails gives an item with the error and the project id, routed to "No Audio"', async () => {
		simulator.setOptions({ faults: [{ kind: '500', route: 'download' }] });
		const job = await simulator.createJob({ prompt: 'The link of this one is refused.', name: 'order-1045-line-1' });
		const [record] = await newExecutions(1);
		const view = await opened(record);
		expect(view.item.json).toMatchObject({ event: 'audio.completed', id: job.id, status: 'complete' });
		expect(view.item.json.error).toEqual(expect.stringContaining(job.id));
		expect(view.item.json.error_description).toMatch(/Get Audio Project/);
		expect(view.item.binary).toBeUndefined();
		expect(view.ran).toEqual([TRIGGER, 'Audio Ready?', 'No Audio']);
	});
});

describe('Magic Hour Trigger in n8n start: a hostile sender', () => {
	it('refuses or ignores every delivery that is not a new, signed event: no execution, no download', async () => {
		// An event started once: its repeat is one of the hostile deliveries; the others are made from its project.
		const completed = await simulator.createJob({ prompt: 'Started once, then sent again by someone else.', name: 'hostile-base' });
		await newExecutions(1);
		const event = simulator.eventBody('audio.completed', completed.id);
		const forged = simulator.eventBody('audio.completed', completed.id, { id: 'forged-project' });
		const other = simulator.eventBody('video.completed', completed.id, { id: 'a-video' });
		const unselected = simulator.eventBody('audio.started', completed.id, { id: 'not-selected' });
		const padded = simulator.eventBody('audio.completed', completed.id, { id: 'huge', padding: 'x'.repeat(20 * 1024 * 1024) });
		const now = Math.floor(Date.now() / 1000);
		const sign = simulator.signWebhook;
		const { 'magic-hour-event-signature': _signature, ...noSignature } = sign(forged);
		const { 'magic-hour-event-timestamp': _timestamp, ...noTimestamp } = sign(forged);
		/** @type {Array<[string, string, Record<string, string>, number | ReturnType<typeof oneOf>, RegExp | undefined]>} case, body, headers, answer, n8n's log */
		const cases = [
			['signed with another secret', forged, sign(forged, { secret: 'whsec_not_the_endpoints' }), 401, /answered 401\): its signature does not match the Webhook Secret/],
			['a signature over a different body', forged, sign(event), 401, /answered 401\): its signature does not match/],
			['a replay of an old event (600 s)', forged, sign(forged, { timestamp: now - 600 }), 401, /answered 401\): its timestamp is 60\d s away/],
			['no signature header', forged, noSignature, 401, /answered 401\): the magic-hour-event-signature header is missing/],
			['no timestamp header', forged, noTimestamp, 401, /answered 401\): the magic-hour-event-timestamp header is missing/],
			['no headers at all', forged, {}, 401, undefined],
			// n8n reads the body before any node sees it; past N8N_PAYLOAD_SIZE_MAX (16 MB) it answers 500 itself and
			// closes the connection: a sender still sending may see only the closed connection.
			['a 20 MB body, correctly signed', padded, sign(padded), oneOf(500, null), /webhook request POST \/webhook\/\S+: There was a problem executing the workflow/],
			// Invalid JSON sent as JSON: n8n's body parser refuses it (422); as text, the node does (400).
			['not JSON, sent as JSON', 'not json', sign('not json'), 422, /webhook request POST \/webhook\/\S+: Failed to parse request body/],
			['not JSON, sent as text', 'not json', { ...sign('not json'), 'Content-Type': 'text/plain' }, 400, /answered 400\): its body is not the JSON Magic Hour sends/],
			['another event type (video.completed)', other, sign(other), 200, undefined],
			['an audio event the trigger does not start on (audio.started)', unselected, sign(unselected), 200, undefined],
			['a repeat of an event already started', event, sign(event), 200, undefined],
		];
		const downloadsBefore = downloads().length;
		/** @type {Array<[string, number | null]>} */
		const answers = [];
		for (const [name, body, headers] of cases) answers.push([name, (await simulator.postWebhook({ body, headers })).status]);
		expect(answers).toEqual(cases.map(([name, , , status]) => [name, status]));

		// A genuine event after them starts exactly one execution: none of the others started any.
		const marker = await simulator.createJob({ prompt: 'A genuine event after the hostile ones.', name: 'after-hostile' });
		const records = await newExecutions(1);
		expect(records).toHaveLength(1);
		expect((await opened(records[0])).item.json.id).toBe(marker.id);
		expect(downloads().slice(downloadsBefore).map((request) => request.path)).toEqual([`/signed/download/${marker.id}/output.wav`]);

		// n8n's log, at its default level, says why each was refused, without the secret.
		const log = n8n.main.output();
		for (const [name, , , , line] of cases) if (line) expect({ name, logged: line.test(log) }).toEqual({ name, logged: true });
	});
});

describe('Magic Hour Trigger in n8n start: after a restart', () => {
	it('a repeat of any event started before the restart starts nothing: n8n kept them all', async () => {
		await phase('restart n8n', () => n8n.restart());
		simulator.setOptions({ webhookUrl: await n8n.triggerUrl(COLLECT.id, TRIGGER) });
		const downloadsBefore = downloads().length;
		const started = simulator.jobs().filter((job) => job.name.startsWith('order-1042-'));
		expect(started).toHaveLength(3);
		for (const job of started) {
			const body = simulator.eventBody('audio.completed', job.id);
			expect((await simulator.postWebhook({ body, headers: simulator.signWebhook(body) })).status).toBe(200);
		}
		const marker = await simulator.createJob({ prompt: 'A new event after the restart.', name: 'after-restart' });
		const records = await newExecutions(1);
		expect(records.map((record) => record.status)).toEqual(['success']);
		expect((await opened(records[0])).item.json.id).toBe(marker.id);
		expect(downloads().slice(downloadsBefore).map((request) => request.path)).toEqual([`/signed/download/${marker.id}/output.wav`]);
	});
});

describe('the Voice Cloner\'s Saved Voice list, through the endpoint n8n\'s editor calls', () => {
	/** One answer of n8n's resource-locator endpoint for the Saved Voice field. @param {string} [filter] @param {string} [paginationToken] */
	const listPage = async (filter, paginationToken) =>
		await n8n.api.post('dynamic-node-parameters/resource-locator-results', {
			path: 'parameters.savedVoice',
			methodName: 'searchSavedVoices',
			nodeTypeAndVersion: { name: runner.NODE_TYPE, version: 1 },
			currentNodeParameters: { operation: 'clone', audioSource: 'savedVoice', savedVoice: { __rl: true, mode: 'list', value: '' } },
			credentials: { magicHourApi: workflows.CREDENTIAL },
			...(filter === undefined ? {} : { filter }),
			...(paginationToken === undefined ? {} : { paginationToken }),
		});
	/** Every answer the editor gets while the list is scrolled to its end. @param {string} [filter] */
	const wholeList = async (filter) => {
		const answers = [];
		let token;
		do {
			const answer = await listPage(filter, token);
			answers.push(answer);
			token = answer.paginationToken;
		} while (token);
		return answers;
	};
	/** The account's voices as the list names them: no name, no audio file said so. */
	const voicesByName = () =>
		simulator
			.savedItems()
			.filter((item) => item.type === 'voice')
			.map((voice) => {
				const name = voice.name ?? `Unnamed voice (${voice.id})`;
				return { name: voice.assets.some((asset) => asset.media_kind === 'AUDIO') ? name : `${name} (no audio file)`, value: voice.id };
			});

	beforeAll(() => simulator.setOptions({ extraSavedVoices: 30 }));
	afterAll(() => simulator.setOptions({ extraSavedVoices: 0 }));

	it('holds every saved voice of every page, newest first, and nothing else, across the answers the editor pages through', async () => {
		const voices = voicesByName();
		expect(voices).toHaveLength(37);
		const answers = await phase('Saved Voice list through n8n (37 voices)', () => wholeList());
		expect(answers.length).toBeGreaterThan(1);
		expect(answers.flatMap((answer) => answer.results)).toEqual(voices);
	});

	it('narrows the list to the voices whose names hold the search', async () => {
		const answers = await wholeList('NARR');
		expect(answers.flatMap((answer) => answer.results)).toEqual([
			{ name: 'Narrator (warm)', value: 'sv_narrator_warm' },
			{ name: 'Narrador (español)', value: 'sv_narrador' },
		]);
	});
});
