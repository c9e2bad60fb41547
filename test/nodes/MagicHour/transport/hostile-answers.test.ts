/**
 * The node against a misbehaving Magic Hour (the local simulator, real HTTP): bodies that drip or
 * stall, redirects to another origin, the token echoed in every answer, a pasted token with
 * whitespace, a run that stops with paid jobs in flight, a deleted project.
 */
import nock from 'nock';

import { binaryBuffer, runNode } from '../../../engine/harness';
import type { RunOptions, RunResult } from '../../../engine/harness';
import { cloneParameters, getParameters, wav } from '../../../builders';
import { startSimulator } from '../../../simulator';
import type { Fault, Simulator } from '../../../simulator';

const TOKEN = 'mhk_live_hostile_token_91b0';
let simulator: Simulator;

beforeAll(async () => {
	// Real sockets: nock's pass-through would buffer the dripping bodies these tests are about.
	nock.restore();
	simulator = await startSimulator({ token: TOKEN, renderMs: 0 });
});
afterAll(async () => await simulator.close());
beforeEach(() => {
	simulator.reset();
	simulator.setOptions({ faults: [], renderMs: 0, dripMs: 1000, dripBytes: 1 });
});

async function run(options: Partial<RunOptions> & { parameters: RunOptions['parameters'] }): Promise<RunResult> {
	return await runNode({ credentials: { apiToken: TOKEN, baseUrl: simulator.url }, ...options });
}

/** Creates a finished job directly in the simulator and returns its id. */
async function finishedJob(): Promise<string> {
	const { output, error } = await run({ parameters: cloneParameters({ audioUrl: 'https://cdn.example.com/v.mp3' }) });
	expect(error).toBeUndefined();
	return output[0].json.id as string;
}

const sample = { data: { data: wav(1600), fileName: 'voice.wav', mimeType: 'audio/wav' } };

describe('deadlines that hold everywhere', () => {
	// The item's Timeout counts on the test clock, which only the node's planned waits move (none here): the
	// requests before the one under test take none of it, however slow the machine. The request in flight is
	// cut at the Timeout, and a stalled one after the Request Timeout, by real timers: the body drips for real.
	// The same on the wall clock, items that drip at once: the soak's hostile answers.

	it('a download that drips past the Timeout is cut off, saying so with the project id and how to fetch it again', async () => {
		const id = await finishedJob();
		simulator.setOptions({ faults: [{ kind: 'slow-drip', route: 'download' }], dripMs: 200 });
		const { error } = await run({
			parameters: getParameters({ projectId: id, waitForCompletion: true, options: { timeout: 1, requestTimeout: 5 } }),
		});
		expect(error?.message).toBe(`The Timeout of 1 s ran out while the audio was downloading (project ${id})`);
		expect(error?.description).toContain('"Get Audio Project" (free) fetches it again');
		expect(simulator.stats().downloadsBytes).toBeGreaterThan(0);
	});

	it('a download with no bytes for the Request Timeout is aborted as stalled', async () => {
		const id = await finishedJob();
		simulator.setOptions({ faults: [{ kind: 'slow-drip', route: 'download' }], dripMs: 60_000 });
		const { error } = await run({
			parameters: getParameters({ projectId: id, waitForCompletion: true, options: { timeout: 60, requestTimeout: 1 } }),
		});
		expect(error?.message).toBe(`The download of the audio stalled: no data for 1 s (project ${id})`);
		expect(error?.description).toContain('"Get Audio Project" (free) fetches it again');
	});

	it('an upload the storage reads a byte at a time ends at the Timeout, and nothing is paid', async () => {
		simulator.setOptions({ faults: [{ kind: 'slow-drip', route: 'upload' }], dripMs: 100 });
		const { error } = await run({
			parameters: cloneParameters({ audioSource: 'binary', options: { timeout: 1, requestTimeout: 30 } }),
			items: [{ json: {}, binary: sample }],
		});
		expect(error?.message).toBe("The item's Timeout ran out during the upload of the audio sample");
		expect(error?.description).toMatch(/Nothing was paid/);
		expect(simulator.stats().jobsCreated).toBe(0);
	});
});

describe('the token stays with Magic Hour', () => {
	it.each([
		['get', getParameters({ projectId: 'cabc' })],
		['create', cloneParameters()],
	] as const)('a redirect on the API (%s) is not followed: the error names the host, nothing reaches it', async (route, parameters) => {
		simulator.setOptions({ faults: [{ kind: 'redirect-foreign', route }] });
		const { error } = await run({ parameters });
		const foreignHost = new URL(simulator.foreignUrl).host;
		expect(error?.message).toContain(`a redirect to ${foreignHost}; it was not followed`);
		expect(error?.description).toMatch(/stays with Magic Hour/);
		expect(simulator.requests().filter((request) => request.origin === 'foreign')).toEqual([]);
	});

	it('a signed download redirected to another origin is fetched there without the token', async () => {
		const id = await finishedJob();
		simulator.setOptions({ faults: [{ kind: 'redirect-foreign', route: 'download' }] });
		const { output, error } = await run({ parameters: getParameters({ projectId: id, waitForCompletion: true }) });
		expect(error).toBeUndefined();
		expect((await binaryBuffer(output[0])).subarray(0, 4).toString()).toBe('RIFF');
		const foreign = simulator.requests().filter((request) => request.origin === 'foreign');
		expect(foreign.map((request) => [request.route, request.authorization, request.tokenSeen])).toEqual([
			['download', false, false],
		]);
	});

	it('a signed upload redirected to another origin fails without following it, and nothing is paid', async () => {
		simulator.setOptions({ faults: [{ kind: 'redirect-foreign', route: 'upload' }] });
		const { error } = await run({ parameters: cloneParameters({ audioSource: 'binary' }), items: [{ json: {}, binary: sample }] });
		expect(error?.message).toContain(`a redirect to ${new URL(simulator.foreignUrl).host}`);
		expect(simulator.stats()).toMatchObject({ jobsCreated: 0, tokenAtForeignOrigin: 0 });
	});
});

describe('every echo of the token masked', () => {
	it.each<[string, Fault[]]>([
		['a create error', [{ kind: 'echo-token', route: 'create' }]],
		['an upload-URL error', [{ kind: 'echo-token', route: 'uploadUrls' }]],
		['a failed job', [{ kind: 'job-error-echo' }]],
		['a download error, twice', [{ kind: 'echo-token', route: 'download' }]],
		['every field of a finished project', [{ kind: 'echo-token-fields' }]],
	])('%s: the token is in no output field and no error', async (_label, faults) => {
		simulator.setOptions({ faults });
		const options = { parameters: cloneParameters({ audioSource: 'binary', waitForCompletion: true }), items: [{ json: {}, binary: sample }] };
		const stopped = await run(options);
		simulator.reset();
		simulator.setOptions({ faults });
		const continued = await run({ ...options, continueOnFail: true });
		const everything = JSON.stringify([stopped.output, stopped.error, stopped.error?.stack, continued.output]);
		expect(simulator.requests().some((request) => request.fault !== null)).toBe(true);
		expect(everything).not.toContain(TOKEN);
		expect(everything).toContain('***');
	});
});

describe('a pasted token', () => {
	it('with spaces and a line break around it works: the header and the masking use it trimmed', async () => {
		const { output, error } = await runNode({
			credentials: { apiToken: `  ${TOKEN}\n`, baseUrl: simulator.url },
			parameters: cloneParameters(),
		});
		expect(error).toBeUndefined();
		expect(output[0].json.id).toEqual(expect.any(String));
	});

	it.each([
		['empty', '  \n', 'has an empty API Token'],
		['with a space inside', 'mhk_live abc', 'has an API Token with a space or line break inside'],
	])('%s is refused before any request, pointing at the credential', async (_label, apiToken, problem) => {
		const { error } = await runNode({ credentials: { apiToken, baseUrl: simulator.url }, parameters: cloneParameters() });
		expect(error?.message).toBe(`The "Magic Hour API" credential ${problem} [item 0]`);
		expect(error?.description).toMatch(/^Open Credentials → Magic Hour API/);
		expect(simulator.requests()).toEqual([]);
	});
});

describe('no paid result lost from view', () => {
	it('when a run stops on an error, the error lists every job it created with its last status', async () => {
		simulator.setOptions({ faults: [{ kind: 'job-error', rate: 1, times: 1 }] });
		const { error } = await run({
			parameters: cloneParameters({
				name: '={{ $json.name }}',
				waitForCompletion: true,
				options: { concurrency: 3, downloadAudio: false },
			}),
			items: ['a', 'b', 'c'].map((name) => ({ json: { name } })),
		});
		const jobs = simulator.jobs();
		expect(jobs).toHaveLength(3);
		expect(error?.message).toMatch(/could not render the audio/);
		for (const job of jobs) {
			expect(error?.description).toMatch(new RegExp(`${job.id} \\(item \\d, last status: ${job.status}\\)`));
		}
		expect(error?.description).toMatch(/created 3 paid Magic Hour jobs/);
	});
});

describe('a deleted project', () => {
	it('Get Audio Project says its files were deleted and to clone again, not to wait', async () => {
		const id = await finishedJob();
		await fetch(`${simulator.url}/v1/audio-projects/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${TOKEN}` } });
		const { error } = await run({ parameters: getParameters({ projectId: id, waitForCompletion: true }) });
		expect(error?.message).toBe(`The audio files of this project were deleted from Magic Hour (project ${id})`);
		expect(error?.description).toMatch(/run "Clone Voice" again/);
		expect(error?.description).not.toMatch(/in a few minutes/);
	});
});
