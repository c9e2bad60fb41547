'use strict';
// @ts-check
/**
 * The package where users run it: published workflows in an n8n server (`n8n start`, regular mode, SQLite),
 * started by a webhook and a schedule; then n8n's queue mode (main + `n8n worker`s, real Redis and Postgres,
 * binary data in the database), including a worker killed while its executions wait on renders.
 * Every n8n process loads the package from its packed tarball, as a community package.
 */
const crypto = require('node:crypto');

const runner = require('../n8n/n8n-runner');
const workflows = require('../n8n/workflows');
const { startSimulator } = require('../simulator');
const { generateWav } = require('../simulator/wav');
const services = require('./services');
const { startRegular, startQueue } = require('../n8n/deployments');
const { until } = runner;
const { summary, executionTracker } = require('../n8n/n8n-api');
const load = require('./load');
const { phaseLog } = require('../n8n/phases');

const TOKEN = 'mhk_live_production_token_7c2a';
const WEBHOOK_SECRET = 'whsec_production_secret_e61d';
const COLLECT = workflows.asyncCollectWithAudioCheck();
const RENDER_MS = 3000;
const SAMPLE_URL = 'https://cdn.example.com/voices/narrator.mp3';
const SCHEDULE = { seconds: 5, text: 'One line, spoken on a schedule.', name: 'Scheduled line' };
/**
 * Queue mode with shorter Bull lock and stalled-check times than n8n's defaults (60 s lock, 30 s check), so
 * a dead worker's jobs are noticed sooner; n8n's handling is the same. Set on every process.
 */
const QUEUE_LOCKS = { QUEUE_WORKER_LOCK_DURATION: '15000', QUEUE_WORKER_LOCK_RENEW_TIME: '5000', QUEUE_WORKER_STALLED_INTERVAL: '5000' };
const MAX_STALLED_MESSAGE = /^This execution failed to be processed too many times and will no longer retry/;

const { phase, say, table } = phaseLog('production');
/** @type {Array<{ setup: string } & ReturnType<typeof load.latencyFigures>>} */
const figures = [];
/** @type {string[]} */
const userView = [];
/** @type {any} */
let simulator;
/** @type {Awaited<ReturnType<typeof runner.packPackage>>} */
let packed;

const quiet = () => {};


/** Jobs the simulator created for calls tagged `tag` (their names start with it). @param {string} tag */
const jobsTagged = (tag) => simulator.jobs().filter((/** @type {any} */ job) => String(job.name).startsWith(`${tag}-`));

/**
 * Every caller got its own text back as audio, and Magic Hour saw exactly one create per caller.
 * @param {string} tag @param {{ results: load.CallResult[] }} round
 */
function expectEveryCallerServedOnce(tag, round) {
	const problems = round.results.map((result) => ({ name: result.body.name, ...load.checkAudio(result) })).filter((check) => !check.ok);
	expect(problems).toEqual([]);
	const jobs = jobsTagged(tag);
	expect(jobs).toHaveLength(round.results.length);
	expect(jobs.map((/** @type {any} */ job) => job.prompt).sort()).toEqual(round.results.map((result) => result.body.text).sort());
}

/** @param {string} setup @param {{ results: load.CallResult[], wallMs: number }} round */
function recordFigures(setup, round) {
	const row = { setup, ...load.latencyFigures(round) };
	figures.push(row);
	say(`${setup}: ${row.calls} calls, wall ${(row.wallMs / 1000).toFixed(1)} s, p50 ${(row.p50Ms / 1000).toFixed(1)} s, p95 ${(row.p95Ms / 1000).toFixed(1)} s`);
}

beforeAll(async () => {
	simulator = await startSimulator({ token: TOKEN, renderMs: RENDER_MS, webhookSecret: WEBHOOK_SECRET });
	packed = await phase('build and npm pack', () => runner.packPackage({ log: quiet }));
});

afterAll(async () => {
	packed?.cleanup();
	await simulator?.close();
	say(`phases:\n${table()}`);
	say(`figures (40 webhook calls at once, render ${RENDER_MS / 1000} s):\n${load.figuresTable(figures)}`);
	if (userView.length) say(`what the user sees after a worker crash:\n${userView.map((line) => `  ${line}`).join('\n')}`);
});

describe('server mode: n8n start (regular mode, SQLite) with published workflows', () => {
	/** @type {Awaited<ReturnType<typeof startRegular>>} */
	let server;

	beforeAll(async () => {
		simulator.reset();
		server = await phase('server mode: import, publish and start n8n', () =>
			startRegular({
				tarball: packed.tarball,
				simulator,
				token: TOKEN,
				log: quiet,
				workflows: [workflows.webhookCloneWorkflow('prodClone', 'clone'), workflows.scheduleCloneWorkflow('prodSchedule', SCHEDULE)],
			}),
		);
	});

	afterAll(async () => {
		if (!server) return;
		const output = server.main.output();
		await phase('server mode: stop n8n', () => server.stop());
		expect(output).not.toContain(TOKEN);
	});

	it('answers 20 concurrent webhook calls, each with its own text spoken as a WAV file', async () => {
		const round = await phase('server mode: 20 concurrent webhook calls', () =>
			load.fireAtOnce(server.webhookUrl('clone'), load.cloneRequests('server', 20, SAMPLE_URL)),
		);
		expectEveryCallerServedOnce('server', round);
		expect(round.results.map((result) => result.contentType)).toEqual(Array(20).fill('audio/wav'));

		/** @type {import('../n8n/n8n-api').ExecutionRecord[]} */
		let records = [];
		await until(async () => {
			records = await server.api.executions('prodClone');
			return records.length === 20 && records.every((record) => record.status !== 'running');
		}, '20 finished executions');
		expect(records.map((record) => record.status)).toEqual(Array(20).fill('success'));
		expect(records.map((record) => record.mode)).toEqual(Array(20).fill('webhook'));
	});

	it('answers a 1001-character text with a 400 that names the problem, and pays for nothing', async () => {
		// The published Schedule Trigger workflow creates a job every 5 s meanwhile: count the others.
		const notScheduled = () => simulator.jobs().filter((/** @type {any} */ job) => job.name !== SCHEDULE.name).length;
		const creates = notScheduled();
		const result = await load.callWebhook(server.webhookUrl('clone'), { text: 'x'.repeat(1001), sample_url: SAMPLE_URL, name: 'too-long' });
		expect(result.status).toBe(400);
		const answer = JSON.parse(result.bytes.toString('utf8'));
		expect(answer.error).toBe('"Prompt" is 1001 characters long; Magic Hour accepts at most 1000 [item 0]');
		expect(answer.description).toMatch(/Shorten the text/);
		expect(result.contentType).toMatch(/^application\/json/);
		expect(notScheduled()).toBe(creates);
		expect(jobsTagged('too')).toEqual([]);
	});

	it('runs the Schedule Trigger every 5 s; n8n records each run as a success with the audio', async () => {
		/** @type {import('../n8n/n8n-api').ExecutionRecord[]} */
		let successes = [];
		await phase('server mode: wait for two scheduled runs', () =>
			until(async () => {
				successes = (await server.api.executions('prodSchedule')).filter((record) => record.status === 'success');
				return successes.length >= 2;
			}, 'two successful scheduled executions'),
		);
		expect(successes.every((record) => record.mode === 'trigger')).toBe(true);
		for (const record of successes.slice(0, 2)) {
			const execution = await server.api.execution(record.id);
			const [item] = execution.data.resultData.runData[workflows.NODE_NAME][0].data.main[0];
			expect(item.json).toMatchObject({ status: 'complete', name: SCHEDULE.name, prompt_characters: [...SCHEDULE.text].length });
			expect(item.binary.data).toMatchObject({ mimeType: 'audio/wav', fileName: `${SCHEDULE.name}.wav` });
			expect(simulator.jobs().find((/** @type {any} */ job) => job.id === item.json.id)?.prompt).toBe(SCHEDULE.text);
		}
	});

	it('answers 40 concurrent calls with a 3 s render (figures: regular mode)', async () => {
		const round = await phase('server mode: 40 calls (figures)', () =>
			load.fireAtOnce(server.webhookUrl('clone'), load.cloneRequests('regular40', 40, SAMPLE_URL)),
		);
		expectEveryCallerServedOnce('regular40', round);
		recordFigures('regular mode (1 process)', round);
	});
});

describe('queue mode: main + workers, Redis, Postgres, binary data in the database', () => {
	/** @type {Awaited<ReturnType<typeof services.startRedis>>} */
	let redis;
	/** @type {Awaited<ReturnType<typeof services.startPostgres>>} */
	let postgres;
	/** @type {Awaited<ReturnType<typeof startQueue>>} */
	let cluster;
	/** The executions of each round, once n8n has finished recording them (Respond to Webhook answers the caller first). */
	const executions = executionTracker(() => cluster.api);
	const unseenExecutions = executions.unseen;
	const finishedExecutions = executions.next;

	/** @param {string} executionId */
	const workersThatStarted = (executionId) => cluster.workers.filter((worker) => worker.started.has(executionId)).map((worker) => worker.name);

	beforeAll(async () => {
		simulator.reset();
		simulator.setOptions({ renderMs: RENDER_MS });
		[redis, postgres] = await phase('queue mode: start Redis and Postgres', () =>
			Promise.all([services.startRedis({ log: quiet }), services.startPostgres({ log: quiet })]),
		);
		cluster = await phase('queue mode: import, publish, start main and worker 1', () =>
			startQueue({
				tarball: packed.tarball,
				simulator,
				token: TOKEN,
				webhookSecret: WEBHOOK_SECRET,
				log: quiet,
				redis,
				postgres,
				workers: 1,
				env: QUEUE_LOCKS,
				workflows: [
					workflows.webhookCloneWorkflow('queueClone', 'clone'),
					workflows.webhookBinarySampleWorkflow('queueBinary', 'clone-sample'),
					workflows.webhookTwoStepWorkflow('queueTwoStep', 'clone-two-step'),
					workflows.webhookCollectWorkflow('queueCollect', 'collect'),
					COLLECT,
				],
			}),
		);
	});

	afterAll(async () => {
		const outputs = cluster ? [cluster.main.output(), ...cluster.workers.map((worker) => worker.server.output())] : [];
		await phase('queue mode: stop n8n, Redis and Postgres', async () => {
			await cluster?.stop();
			await Promise.all([redis?.stop(), postgres?.stop()]);
		});
		for (const output of outputs) {
			expect(output).not.toContain(TOKEN);
			expect(output).not.toContain(WEBHOOK_SECRET);
		}
	});

	it('with one worker, answers 40 concurrent calls (figures: 1 worker)', async () => {
		const round = await phase('queue mode: 40 calls, 1 worker', () =>
			load.fireAtOnce(cluster.webhookUrl('clone'), load.cloneRequests('worker1', 40, SAMPLE_URL)),
		);
		expectEveryCallerServedOnce('worker1', round);
		const records = await finishedExecutions(['queueClone'], 40);
		expect(records.map((record) => record.status)).toEqual(Array(40).fill('success'));
		expect(records.map((record) => workersThatStarted(record.id))).toEqual(Array(40).fill(['worker 1']));
		recordFigures('queue mode, 1 worker (concurrency 10)', round);
	});

	it('with two workers, answers 40 concurrent calls with intact audio; both workers ran some, one create each', async () => {
		await phase('queue mode: start worker 2', () => cluster.addWorker());
		const round = await phase('queue mode: 40 calls, 2 workers', () =>
			load.fireAtOnce(cluster.webhookUrl('clone'), load.cloneRequests('queue', 40, SAMPLE_URL)),
		);
		expectEveryCallerServedOnce('queue', round);

		// Which worker ran what: each worker logs "Worker started execution <id>"; n8n's records list the 40.
		const records = await finishedExecutions(['queueClone'], 40);
		expect(records.map((record) => record.status)).toEqual(Array(40).fill('success'));
		const ranBy = records.map((record) => workersThatStarted(record.id));
		expect(ranBy.every((names) => names.length === 1)).toBe(true);
		const perWorker = cluster.workers.map((worker) => ranBy.filter(([name]) => name === worker.name).length);
		say(`40 executions per worker: ${cluster.workers.map((worker, i) => `${worker.name} ${perWorker[i]}`).join(', ')}`);
		expect(perWorker.every((count) => count > 0)).toBe(true);
		recordFigures('queue mode, 2 workers (concurrency 10 each)', round);
	});

	it('uploads a sample made by an earlier node, read from the database binary store', async () => {
		const sample = generateWav({ durationSec: 2 });
		const text = 'Spoken in the voice of a sample posted as base64.';
		const result = await phase('queue mode: binary sample through the database store', () =>
			load.callWebhook(cluster.webhookUrl('clone-sample'), { text, sample_base64: sample.toString('base64'), name: 'dbsample-001' }),
		);
		expect(load.checkAudio(result)).toMatchObject({ ok: true });

		const [upload] = simulator.uploads();
		const sampleSha = crypto.createHash('sha256').update(sample).digest('hex');
		expect(upload).toMatchObject({ size: sample.length, sha256: sampleSha });
		const [job] = jobsTagged('dbsample');
		expect(job.audio_file_path).toBe(upload.file_path);

		// Both files of that execution are in Postgres' binary_data table: the sample Convert to File stored and the
		// node streamed to Magic Hour, and the audio the node stored and Respond to Webhook sent back.
		const [record] = await finishedExecutions(['queueBinary'], 1);
		expect(record.status).toBe('success');
		const rows = await postgres.psql(
			`SELECT "fileName", "mimeType", "fileSize", encode(sha256(data), 'hex') FROM binary_data WHERE "sourceId" = '${record.id}' ORDER BY "fileName"`,
		);
		const resultSha = crypto.createHash('sha256').update(result.bytes).digest('hex');
		expect(rows).toEqual([
			['dbsample-001.wav', 'audio/wav', String(result.bytes.length), resultSha],
			['my-voice.wav', 'audio/wav', String(sample.length), sampleSha],
		]);
	});

	it('Magic Hour Trigger: the main receives each signed event and answers it in time, a worker runs it with the audio', async () => {
		const url = await cluster.triggerUrl(COLLECT.id, workflows.TRIGGER_NAME);
		simulator.setOptions({
			webhookUrl: url,
			faults: [
				{ kind: 'job-error', route: 'create', times: 1 },
				{ kind: 'duplicate', route: 'webhook' },
				{ kind: 'slow-download', route: 'webhook' },
			],
		});
		const failed = await simulator.createJob({ prompt: 'This render fails.', name: 'queue-async-failed' });
		const jobs = await Promise.all([1, 2, 3, 4].map((n) => simulator.createJob({ prompt: `Collected by the trigger, line ${n}.`, name: `queue-async-${n}` })));
		const records = await phase('queue mode: 5 events collected by the trigger', () => finishedExecutions([COLLECT.id], 5));

		// n8n's records: five executions, each put into the queue by the main and started by exactly one worker (their logs).
		expect(records.map((record) => [record.status, record.mode])).toEqual(Array(5).fill(['success', 'webhook']));
		const mainLog = cluster.main.output();
		expect(records.filter((record) => !mainLog.includes(`Enqueued execution ${record.id} `))).toEqual([]);
		expect(records.map((record) => workersThatStarted(record.id).length)).toEqual(Array(5).fill(1));
		const runs = await Promise.all(records.map(async (record) => (await cluster.api.execution(record.id)).data.resultData.runData));
		const byId = new Map(runs.map((runData) => [runData[workflows.TRIGGER_NAME][0].data.main[0][0].json.id, runData]));
		const ours = [failed, ...jobs].map((job) => job.id);
		expect([...byId.keys()].sort()).toEqual([...ours].sort());
		expect(byId.get(failed.id)[workflows.TRIGGER_NAME][0].data.main[0][0].json).toMatchObject({
			event: 'audio.errored',
			status: 'error',
			error_details: { code: 'invalid_voice' },
		});
		for (const job of jobs) {
			const runData = byId.get(job.id);
			const [item] = runData[workflows.TRIGGER_NAME][0].data.main[0];
			expect(item.json).toMatchObject({ event: 'audio.completed', status: 'complete' });
			expect(item.binary.data.id).toMatch(/^database:/); // queue mode's binary data store, in Postgres
			// The bytes the worker read from the store (Audio as Base64, after "Use the Audio") are the rendered audio.
			const [read] = runData['Audio as Base64'][0].data.main[0];
			expect(Buffer.from(read.json.audio_base64, 'base64').equals(await simulator.renderedAudio(job.id))).toBe(true);
		}

		// Magic Hour's side: each event and its duplicate answered 2xx in time, though each download was held
		// until the answer came; one download per render, none with the token.
		await until(() => simulator.stats().webhooks.pending === 0, 'the deliveries to settle');
		const attempts = simulator.webhookDeliveries().filter((attempt) => ours.includes(String(attempt.jobId)));
		expect(attempts.filter((attempt) => attempt.result !== 'ok')).toEqual([]);
		expect(attempts.filter((attempt) => attempt.type === 'audio.completed').map((attempt) => attempt.fault).sort()).toEqual([
			...Array(4).fill('duplicate,slow-download'),
			...Array(4).fill('slow-download'),
		]);
		const downloads = simulator.requests().filter((request) => request.route === 'download' && ours.some((id) => request.path.includes(id)));
		expect(downloads.map((request) => request.path).sort()).toEqual(jobs.map((job) => `/signed/download/${job.id}/output.wav`).sort());
		expect(downloads.filter((request) => request.authorization || request.tokenSeen)).toEqual([]);
		simulator.setOptions({ faults: [] });
	});

	it('Magic Hour Trigger: a repeat reaching an n8n webhook process starts nothing, the events started are shared through the database', async () => {
		const webhookProcess = await phase('queue mode: start a webhook process', () => cluster.addWebhookProcess());
		const url = await cluster.triggerUrl(COLLECT.id, workflows.TRIGGER_NAME, webhookProcess);
		const collected = simulator.jobs().filter((job) => String(job.name).startsWith('queue-async-') && job.status === 'complete');
		expect(collected).toHaveLength(4);
		for (const job of collected) {
			const body = simulator.eventBody('audio.completed', job.id);
			expect((await simulator.postWebhook({ body, headers: simulator.signWebhook(body), url })).status).toBe(200);
		}
		// A new event through the webhook process starts one execution on a worker: the repeats started none.
		simulator.setOptions({ webhookUrl: url });
		const fresh = await simulator.createJob({ prompt: 'A new event, received by the webhook process.', name: 'queue-async-fresh' });
		const records = await finishedExecutions([COLLECT.id], 1);
		expect(records).toHaveLength(1);
		const execution = await cluster.api.execution(records[0].id);
		expect(execution.data.resultData.runData[workflows.TRIGGER_NAME][0].data.main[0][0].json.id).toBe(fresh.id);
		expect(webhookProcess.output()).toContain(`Enqueued execution ${records[0].id} `);
		expect(workersThatStarted(records[0].id)).toHaveLength(1);
		simulator.setOptions({ webhookUrl: null });
	});

	it('a worker killed mid-render: no prompt paid twice, the other worker carries on, n8n fails the lost executions and does not re-run them', async () => {
		expect(cluster.workers).toHaveLength(2);
		simulator.setOptions({ renderMs: 30_000 }); // long enough that every execution is waiting on its render at the kill
		const direct = load.cloneRequests('crash', 8, SAMPLE_URL);
		const twoStep = load.cloneRequests('crash2', 8, SAMPLE_URL);
		const calls = [
			...direct.map((body, i) => load.callWebhook(cluster.webhookUrl('clone'), body, i)),
			...twoStep.map((body, i) => load.callWebhook(cluster.webhookUrl('clone-two-step'), body, 8 + i)),
		];
		await phase('crash: 16 executions waiting on renders', () => until(() => jobsTagged('crash').length + jobsTagged('crash2').length === 16, '16 renders started'));
		/** @type {import('../n8n/n8n-api').ExecutionRecord[]} */
		let running = [];
		await until(async () => {
			running = await unseenExecutions(['queueClone', 'queueTwoStep']);
			return running.length === 16 && running.every((record) => record.status === 'running' && workersThatStarted(record.id).length === 1);
		}, 'n8n records 16 running executions, each started by one worker');
		expect(running.map((record) => record.status)).toEqual(Array(16).fill('running'));

		// The victim: the worker running more two-step executions (whose first step saves the job id in n8n).
		const twoStepIds = new Set(running.filter((record) => record.workflowId === 'queueTwoStep').map((record) => record.id));
		const [victim, survivor] = [...cluster.workers].sort(
			(a, b) => [...b.started].filter((id) => twoStepIds.has(id)).length - [...a.started].filter((id) => twoStepIds.has(id)).length,
		);
		const killedIds = running.filter((record) => victim.started.has(record.id)).map((record) => record.id);
		const victimTwoStep = killedIds.filter((id) => twoStepIds.has(id));
		expect(killedIds.length).toBeGreaterThan(0);
		expect(victimTwoStep.length).toBeGreaterThan(0);

		// While they run, the two-step executions' records already show the paid job (Save Execution Progress).
		/** @type {Record<string, string>} */
		const savedJobIds = {};
		await until(async () => {
			for (const id of victimTwoStep) {
				const execution = await cluster.api.execution(id);
				const out = execution.data?.resultData?.runData?.['Start Render']?.[0]?.data?.main?.[0]?.[0]?.json;
				if (out?.id) savedJobIds[id] = out.id;
			}
			return Object.keys(savedJobIds).length === victimTwoStep.length;
		}, 'the first step of each two-step execution saved in n8n');

		const killedAt = Date.now();
		await phase(`crash: SIGKILL ${victim.name} (${killedIds.length} executions)`, () => victim.server.kill('SIGKILL'));
		const after = load.cloneRequests('after', 2, SAMPLE_URL).map((body, i) => load.callWebhook(cluster.webhookUrl('clone'), body, 100 + i));
		const results = await phase('crash: every caller answered', () => Promise.all(calls));
		const afterResults = await Promise.all(after);

		// The other worker carries on: its executions and the calls made after the kill end with audio.
		const served = results.filter((result) => result.status === 200);
		const lost = results.filter((result) => result.status !== 200);
		expect(served.map((result) => load.checkAudio(result).problem)).toEqual(Array(16 - killedIds.length).fill(undefined));
		expect(afterResults.map((result) => load.checkAudio(result).problem)).toEqual([undefined, undefined]);
		const records = await finishedExecutions(['queueClone', 'queueTwoStep'], 18);
		const survivorRecords = records.filter((record) => !killedIds.includes(record.id));
		expect(survivorRecords).toHaveLength(16 - killedIds.length + 2);
		expect(survivorRecords.map((record) => record.status)).toEqual(Array(survivorRecords.length).fill('success'));
		expect(survivorRecords.map((record) => workersThatStarted(record.id))).toEqual(Array(survivorRecords.length).fill([survivor.name]));

		// n8n ends the killed executions as failed, and never runs them again.
		expect(lost).toHaveLength(killedIds.length);
		expect(lost.map((result) => result.status)).toEqual(Array(killedIds.length).fill(500));
		const lostViews = await Promise.all(killedIds.map(async (id) => summary(await cluster.api.execution(id))));
		expect(lostViews.map((view) => view.status)).toEqual(Array(killedIds.length).fill('error'));
		for (const view of lostViews) {
			expect(view.error).toMatch(MAX_STALLED_MESSAGE);
			expect(view.nodesRun).toEqual([]); // the record keeps no node data, not even the saved first step
		}
		expect(killedIds.filter((id) => survivor.started.has(id))).toEqual([]);

		// Magic Hour: every prompt was created exactly once; the lost executions' jobs were paid and rendered.
		const prompts = [...jobsTagged('crash'), ...jobsTagged('crash2'), ...jobsTagged('after')].map((/** @type {any} */ job) => job.prompt);
		expect(prompts.sort()).toEqual([...direct, ...twoStep, ...load.cloneRequests('after', 2, SAMPLE_URL)].map((body) => body.text).sort());
		const lostJobs = lost.map((result) => simulator.jobs().find((/** @type {any} */ job) => job.name === result.body.name));
		expect(lostJobs.every((job) => job && job.credits_charged > 0)).toBe(true);
		for (const [executionId, jobId] of Object.entries(savedJobIds)) {
			expect(lostJobs.map((job) => job.id)).toContain(jobId);
			expect(JSON.stringify(await cluster.api.execution(executionId))).not.toContain(jobId);
		}

		// The way back: Get Audio Project with the id from Magic Hour's library collects the audio, at no cost.
		const creates = simulator.stats().jobsCreated;
		const collected = await phase('crash: collect the lost jobs with Get Audio Project', () =>
			Promise.all(lostJobs.map((job, i) => load.callWebhook(cluster.webhookUrl('collect'), { project_id: job.id, text: job.prompt }, i))),
		);
		expect(collected.map((result) => load.checkAudio(result).problem)).toEqual(Array(lostJobs.length).fill(undefined));
		expect(simulator.stats().jobsCreated).toBe(creates);

		const answer = lost[0];
		const answeredAfterKill = lost.map((result) => (result.startedAt + result.latencyMs - killedAt) / 1000);
		userView.push(
			`caller: HTTP ${answer.status} ${answer.bytes.toString('utf8')}, ${Math.min(...answeredAfterKill).toFixed(0)}–${Math.max(...answeredAfterKill).toFixed(0)} s after the kill`,
			`executions list: ${killedIds.length} executions "${lostViews[0].status}", the others of the round "success"`,
			`execution opened: error "${lostViews[0].error}", node data: ${lostViews[0].nodesRun.length ? lostViews[0].nodesRun.join(', ') : 'none'}`,
			`Magic Hour: ${lostJobs.length} jobs paid and complete, collected afterwards with Get Audio Project (no new create)`,
		);
	});
});
