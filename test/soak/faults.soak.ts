/**
 * Fault soak: many items through the node (n8n-core engine) against the simulator with seeded
 * faults on every route. Checks, for every seed, that nothing is paid twice, every item ends
 * readably, the token leaks nowhere, the run never hangs, and delivered audio is intact.
 *
 * SOAK_ITEMS (default 500), SOAK_SEEDS (default "1,2,3"), SOAK_CONCURRENCY (default 25).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { binaryBuffer, runNode } from '../engine/harness';
import { startSimulator } from '../simulator';
import type { Fault, Simulator } from '../simulator';
import { parseWavHeader } from '../simulator/wav';
import { wav } from '../builders';

const ITEMS = Number(process.env.SOAK_ITEMS ?? 500);
const SEEDS = (process.env.SOAK_SEEDS ?? '1,2,3').split(',').map(Number);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 25);
const ITEM_TIMEOUT_S = 40;
const REQUEST_TIMEOUT_S = 2;
const RENDER_MS = 1500;
const TOKEN = 'mhk_live_soak_secret_token_7d3e';

const FAULTS: Fault[] = [
	{ kind: '429', rate: 0.03 },
	{ kind: '429-retry-after', rate: 0.02 },
	{ kind: '500', route: 'get', rate: 0.03 },
	{ kind: '500', route: 'uploadUrls', rate: 0.03 },
	{ kind: '502', rate: 0.02 },
	{ kind: '503', rate: 0.02 },
	{ kind: '500-after-create', rate: 0.02 },
	{ kind: 'drop-after-create', rate: 0.02 },
	{ kind: 'malformed-json', route: 'create', rate: 0.01 },
	{ kind: 'malformed-json', route: 'get', rate: 0.01 },
	{ kind: 'slow', route: 'get', rate: 0.01 },
	{ kind: 'slow', route: 'create', rate: 0.01 },
	{ kind: 'drop', route: 'download', rate: 0.02 },
	{ kind: 'job-error', rate: 0.04 },
	{ kind: 'job-canceled', rate: 0.02 },
	{ kind: 'expired-download', rate: 0.05 },
	{ kind: 'upload-fail', rate: 0.05 },
];

/** Create answers that prove no job was made: the node sends the create again after them. */
const RETRIED = new Set(['429', '429-retry-after', '502', '503']);

const prompt = (index: number) => `Soak line ${index}: ${'la '.repeat(index % 40)}end.`;

interface SeedSummary {
	seed: number;
	items: number;
	seconds: number;
	faults: Record<string, number>;
	outcomes: Record<string, number>;
	createRequests: number;
	createRetries: number;
	duplicates: number;
	leaks: number;
}

const summaries: SeedSummary[] = [];
let simulator: Simulator;

beforeAll(async () => {
	simulator = await startSimulator({ token: TOKEN, renderMs: RENDER_MS, slowMs: (REQUEST_TIMEOUT_S + 1) * 1000 });
});

afterAll(async () => {
	await simulator?.close();
	printSummary();
});

/** Clone Voice with a binary sample for `items` numbered items, each named and voiced after its index. */
async function cloneItems(run: {
	items: number;
	concurrency: number;
	timeoutSeconds: number;
	continueOnFail: boolean;
	apiToken?: string;
}) {
	const sample = wav(16000);
	return await runNode({
		credentials: { apiToken: run.apiToken ?? TOKEN, baseUrl: simulator.url },
		continueOnFail: run.continueOnFail,
		parameters: {
			operation: 'clone',
			audioSource: 'binary',
			prompt: '={{ $json.prompt }}',
			name: '={{ $json.name }}',
			waitForCompletion: true,
			options: { concurrency: run.concurrency, timeout: run.timeoutSeconds, requestTimeout: REQUEST_TIMEOUT_S },
		},
		items: Array.from({ length: run.items }, (_, index) => ({
			json: { name: `item-${index}`, prompt: prompt(index) },
			binary: { data: { data: sample, fileName: 'voice.wav', mimeType: 'audio/wav' } },
		})),
	});
}

function outcomeOf(item: INodeExecutionData): string {
	if (item.json.error === undefined) return 'success';
	return `error: ${String(item.json.error_code ?? item.json.http_status ?? 'invalid')}`;
}

describe.each(SEEDS)('seed %i', (seed) => {
	it(`${ITEMS} items: nothing paid twice, every item explained, no token leak, no hang, audio intact`, async () => {
		simulator.reset();
		simulator.setOptions({ seed, faults: FAULTS, renderMs: RENDER_MS });
		const started = Date.now();
		const { output, error } = await cloneItems({
			items: ITEMS,
			concurrency: CONCURRENCY,
			timeoutSeconds: ITEM_TIMEOUT_S,
			continueOnFail: true,
		});
		const seconds = (Date.now() - started) / 1000;

		// (4) the run ended, and within the per-item timeout for each wave of items.
		expect(error).toBeUndefined();
		expect(seconds).toBeLessThan(Math.ceil(ITEMS / CONCURRENCY) * ITEM_TIMEOUT_S + 30);
		expect(output).toHaveLength(ITEMS);

		// (1) jobs created ≤ items, no item with two jobs.
		const jobs = simulator.jobs();
		const jobsByItem = new Map<string, string[]>();
		for (const job of jobs) jobsByItem.set(job.name, [...(jobsByItem.get(job.name) ?? []), job.id]);
		const duplicates = [...jobsByItem.values()].filter((ids) => ids.length > 1).length;
		expect(jobs.length).toBeLessThanOrEqual(ITEMS);
		expect(duplicates).toBe(0);

		// Which create answers were lost (the job exists, but its id could not reach the node).
		const createRequests = simulator.requests().filter((request) => request.route === 'create');

		// (3) the token nowhere in what the run produced.
		const everything = JSON.stringify({ output, error });
		const leaks = everything.split(TOKEN).length - 1;
		expect(leaks).toBe(0);

		const outcomes: Record<string, number> = {};
		for (const [index, item] of output.entries()) {
			outcomes[outcomeOf(item)] = (outcomes[outcomeOf(item)] ?? 0) + 1;
			expect(item.pairedItem).toEqual({ item: index });
			const job = jobsByItem.get(`item-${index}`)?.[0];
			if (item.json.error !== undefined) {
				// (2) an error item says what happened and what to do, with the project id once known.
				expect(typeof item.json.error).toBe('string');
				if (!item.json.error_description) console.log(JSON.stringify(item.json));
				expect({ item: index, description: String(item.json.error_description ?? '') }).not.toEqual({
					item: index,
					description: '',
				});
				if (item.json.id !== undefined) expect(item.json.id).toBe(job);
				// A job exists but its id never reached the node (the create answer was lost):
				// then the error must say that a paid job may exist.
				if (job !== undefined && item.json.id === undefined) {
					if (!/may still have started a paid job/.test(String(item.json.error_description))) {
						console.log(`item ${index}, job ${job}:`, JSON.stringify(item.json));
					}
					expect(String(item.json.error_description)).toMatch(/may still have started a paid job/);
				}
				continue;
			}
			// (5) delivered audio is a valid WAV whose length follows the text.
			expect(item.json.id).toBe(job);
			const audio = await binaryBuffer(item);
			const header = parseWavHeader(audio);
			expect(header.dataOffset + header.dataBytes).toBe(audio.length);
			const expectedSeconds = Math.max(0.5, [...prompt(index)].length * 0.06);
			expect(Math.abs(header.durationSec - expectedSeconds)).toBeLessThan(0.01);
		}
		const succeeded = outcomes.success ?? 0;
		summaries.push({
			seed,
			items: ITEMS,
			seconds,
			faults: simulator.stats().faultsInjected,
			outcomes,
			createRequests: createRequests.length,
			createRetries: createRequests.filter((request) => request.fault && RETRIED.has(request.fault)).length,
			duplicates,
			leaks,
		});
		expect(succeeded).toBeGreaterThan(ITEMS / 2);
	});
});

/**
 * Hostile answers: bodies that drip, redirects to another origin (which records what it
 * receives), the token echoed in every answer. All items start at once, so the run's length
 * bounds each item's: every item must end within its Timeout plus a small margin.
 */
const HOSTILE_ITEMS = Number(process.env.SOAK_HOSTILE_ITEMS ?? 60);
const HOSTILE_TIMEOUT_S = 10;
const HOSTILE_MARGIN_S = 5;
const HOSTILE_FAULTS: Fault[] = [
	{ kind: 'slow-drip', route: 'download', rate: 0.1 },
	{ kind: 'slow-drip', route: 'upload', rate: 0.05 },
	{ kind: 'redirect-foreign', route: 'get', rate: 0.03 },
	{ kind: 'redirect-foreign', route: 'create', rate: 0.03 },
	{ kind: 'redirect-foreign', route: 'uploadUrls', rate: 0.03 },
	{ kind: 'redirect-foreign', route: 'download', rate: 0.2 },
	{ kind: 'echo-token', rate: 0.03 },
	{ kind: 'echo-token-fields', rate: 0.3 },
	{ kind: 'job-error-echo', rate: 0.05 },
	{ kind: '429', rate: 0.02 },
];

interface HostileSummary {
	seed: number;
	continueOnFail: boolean;
	items: number;
	seconds: number;
	faults: Record<string, number>;
	successes: number;
	foreignRequests: number;
	tokenAtForeignOrigin: number;
	leaks: number;
	paidJobs: number;
	paidJobsListed: number | '-';
}
const hostileSummaries: HostileSummary[] = [];

describe.each(SEEDS)('hostile answers, seed %i', (seed) => {
	it.each([true, false])(
		'continue on fail %s: each item within its Timeout, no token abroad or in any output or error, paid jobs listed',
		async (continueOnFail) => {
			simulator.reset();
			simulator.setOptions({ seed, faults: HOSTILE_FAULTS, renderMs: RENDER_MS, dripMs: 500, dripBytes: 1 });
			const started = Date.now();
			const { output, error } = await cloneItems({
				items: HOSTILE_ITEMS,
				concurrency: HOSTILE_ITEMS,
				timeoutSeconds: HOSTILE_TIMEOUT_S,
				continueOnFail,
				// pasted with whitespace around it, as copying often gives
				apiToken: ` ${TOKEN}\n`,
			});
			const seconds = (Date.now() - started) / 1000;

			// Every item started with the run, so none took longer than the run.
			expect(seconds).toBeLessThan(HOSTILE_TIMEOUT_S + HOSTILE_MARGIN_S);

			const requests = simulator.requests();
			const stats = simulator.stats();
			expect(stats.tokenAtForeignOrigin).toBe(0);
			expect(requests.filter((request) => request.origin === 'foreign' && request.authorization)).toEqual([]);

			const everything = JSON.stringify({ output, error, stack: error?.stack });
			const leaks = everything.split(TOKEN).length - 1;
			expect(leaks).toBe(0);

			// Jobs whose id reached the node: a create answered 200 that made the job.
			const paid = requests.filter((request) => request.route === 'create' && request.status === 200 && request.jobId);
			let listed: number | '-' = '-';
			if (continueOnFail) {
				expect(error).toBeUndefined();
				expect(output).toHaveLength(HOSTILE_ITEMS);
			} else if (error) {
				listed = paid.filter((request) => String(error.description).includes(request.jobId!)).length;
				expect(listed).toBe(paid.length);
			}
			hostileSummaries.push({
				seed,
				continueOnFail,
				items: HOSTILE_ITEMS,
				seconds,
				faults: stats.faultsInjected,
				successes: output.filter((item) => item.json.error === undefined).length,
				foreignRequests: requests.filter((request) => request.origin === 'foreign').length,
				tokenAtForeignOrigin: stats.tokenAtForeignOrigin,
				leaks,
				paidJobs: paid.length,
				paidJobsListed: listed,
			});
		},
	);
});

function printSummary(): void {
	const kinds = [...new Set(summaries.flatMap((summary) => Object.keys(summary.faults)))].sort();
	const outcomes = [...new Set(summaries.flatMap((summary) => Object.keys(summary.outcomes)))].sort();
	const lines = [
		`| seed | items | seconds | ${kinds.map((kind) => `fault ${kind}`).join(' | ')} | ${outcomes.join(' | ')} | create requests | of which retries | duplicates | leaks |`,
		`|${' --- |'.repeat(7 + kinds.length + outcomes.length)}`,
		...summaries.map(
			(summary) =>
				`| ${summary.seed} | ${summary.items} | ${summary.seconds.toFixed(1)} | ${kinds
					.map((kind) => summary.faults[kind] ?? 0)
					.join(' | ')} | ${outcomes.map((outcome) => summary.outcomes[outcome] ?? 0).join(' | ')} | ${summary.createRequests} | ${summary.createRetries} | ${summary.duplicates} | ${summary.leaks} |`,
		),
	];
	const hostileKinds = [...new Set(hostileSummaries.flatMap((summary) => Object.keys(summary.faults)))].sort();
	const hostile = [
		`| seed | continue on fail | items | seconds | ${hostileKinds.map((kind) => `fault ${kind}`).join(' | ')} | successes | requests to the foreign origin | token at the foreign origin | leaks | paid jobs | listed in the error |`,
		`|${' --- |'.repeat(10 + hostileKinds.length)}`,
		...hostileSummaries.map(
			(summary) =>
				`| ${summary.seed} | ${summary.continueOnFail} | ${summary.items} | ${summary.seconds.toFixed(1)} | ${hostileKinds
					.map((kind) => summary.faults[kind] ?? 0)
					.join(' | ')} | ${summary.successes} | ${summary.foreignRequests} | ${summary.tokenAtForeignOrigin} | ${summary.leaks} | ${summary.paidJobs} | ${summary.paidJobsListed} |`,
		),
	];
	process.stdout.write(
		`\nFault soak summary\n${lines.join('\n')}\n\nHostile answers (Timeout ${HOSTILE_TIMEOUT_S} s, all items at once)\n${hostile.join('\n')}\n`,
	);
}

