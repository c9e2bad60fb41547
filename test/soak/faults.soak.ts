/**
 * Fault soak: many items through the node (n8n-core engine) against the simulator with seeded
 * faults on every route. Checks, for every seed, that nothing is paid twice, every item ends
 * readably, the token leaks nowhere, the run never hangs, and delivered audio is intact; with
 * Max Credits per Run, that the run is never charged over it and paid items are told from unpaid
 * ones (the budget scenario); and against hostile answers.
 *
 * The fault and budget runs leave Concurrency unset (automatic), against an account that also limits its
 * request rate (429 rate_limited, with Retry-After for even seeds), so the learnt width and pace meet every
 * fault; SOAK_CONCURRENCY=<n> runs them at that fixed number instead.
 *
 * SOAK_ITEMS (default 500), SOAK_SEEDS (default "1,2,3"), SOAK_CONCURRENCY (default: not set, automatic).
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryBuffer, runNode } from '../engine/harness';
import type { TestItem } from '../engine/harness';
import { startSimulator } from '../simulator';
import type { Fault, SimulatedJob, SimulatedRequest, Simulator } from '../simulator';
import { parseWavHeader } from '../simulator/wav';
import { longProse, wav } from '../builders';

const ITEMS = Number(process.env.SOAK_ITEMS ?? 500);
const SEEDS = (process.env.SOAK_SEEDS ?? '1,2,3').split(',').map(Number);
/** Concurrency of the fault and budget runs: undefined, not set (automatic), unless SOAK_CONCURRENCY gives one. */
const CONCURRENCY = process.env.SOAK_CONCURRENCY ? Number(process.env.SOAK_CONCURRENCY) : undefined;
/** The account's request rate in the fault and budget runs: enough for the run, not for every request at once. */
const RATE_LIMIT_PER_SECOND = 30;
const rateLimit = (seed: number) => ({ perSecond: RATE_LIMIT_PER_SECOND, retryAfter: seed % 2 === 0 });
/** The jobs the run's time is bounded by, at once: a fixed Concurrency, or where automatic starts (it only halves on 429s that pile up). */
const WIDTH_FOR_BOUND = CONCURRENCY ?? 5;
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
const retried = (request: SimulatedRequest) => request.rateLimited || (request.fault !== null && RETRIED.has(request.fault));

const prompt = (index: number) => `Soak line ${index}: ${'la '.repeat(index % 40)}end.`;

/** What an item's error says when a create's answer was lost: a paid job may exist. */
const MAY_HAVE_PAID = /may still have started a paid job/;

interface SeedSummary {
	seed: number;
	items: number;
	seconds: number;
	faults: Record<string, number>;
	outcomes: Record<string, number>;
	createRequests: number;
	createRetries: number;
	/** API requests, and those the account's request rate answered 429. */
	requests: number;
	rateLimited: number;
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

/** `count` items named `item-<index>`, each with its own binary sample and the prompt `promptOf(index)`. */
function soakItems(count: number, promptOf: (index: number) => string): TestItem[] {
	const sample = wav(16000);
	return Array.from({ length: count }, (_, index) => ({
		json: { name: `item-${index}`, prompt: promptOf(index) },
		binary: { data: { data: sample, fileName: 'voice.wav', mimeType: 'audio/wav' } },
	}));
}

/** The node against the simulator, reading each item's prompt (and name) from its JSON. */
async function runSoakNode(run: { parameters: INodeParameters; items: TestItem[]; continueOnFail?: boolean; apiToken?: string }) {
	return await runNode({
		credentials: { apiToken: run.apiToken ?? TOKEN, baseUrl: simulator.url },
		continueOnFail: run.continueOnFail,
		parameters: { prompt: '={{ $json.prompt }}', ...run.parameters },
		items: run.items,
	});
}

/** Clone Voice with a binary sample for `items` numbered items, each named and voiced after its index. */
async function cloneItems(run: {
	items: number;
	/** Undefined: not set, automatic. */
	concurrency: number | undefined;
	timeoutSeconds: number;
	continueOnFail: boolean;
	apiToken?: string;
	/** The prompt of item `index`; `prompt` unless given. */
	promptOf?: (index: number) => string;
	/** Options besides Concurrency, Timeout and Request Timeout. */
	options?: IDataObject;
}) {
	return await runSoakNode({
		apiToken: run.apiToken,
		continueOnFail: run.continueOnFail,
		parameters: {
			operation: 'clone',
			audioSource: 'binary',
			name: '={{ $json.name }}',
			waitForCompletion: true,
			options: {
				...(run.concurrency === undefined ? {} : { concurrency: run.concurrency }),
				timeout: run.timeoutSeconds,
				requestTimeout: REQUEST_TIMEOUT_S,
				...run.options,
			},
		},
		items: soakItems(run.items, run.promptOf ?? prompt),
	});
}

function outcomeOf(item: INodeExecutionData): string {
	if (item.json.error === undefined) return 'success';
	return `error: ${String(item.json.error_code ?? item.json.http_status ?? 'invalid')}`;
}

describe.each(SEEDS)('seed %i', (seed) => {
	it(`${ITEMS} items: nothing paid twice, every item explained, no token leak, no hang, audio intact`, async () => {
		simulator.reset();
		simulator.setOptions({ seed, faults: FAULTS, renderMs: RENDER_MS, rateLimit: rateLimit(seed) });
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
		expect(seconds).toBeLessThan(Math.ceil(ITEMS / WIDTH_FOR_BOUND) * ITEM_TIMEOUT_S + 30);
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
					if (!MAY_HAVE_PAID.test(String(item.json.error_description))) {
						console.log(`item ${index}, job ${job}:`, JSON.stringify(item.json));
					}
					expect(String(item.json.error_description)).toMatch(MAY_HAVE_PAID);
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
			createRetries: createRequests.filter(retried).length,
			rateLimited: simulator.stats().rateLimited,
			requests: simulator.requests().filter((request) => request.path.startsWith('/v1/')).length,
			duplicates,
			leaks,
		});
		expect(succeeded).toBeGreaterThan(ITEMS / 2);
	});
});

/**
 * Budget: the same faults and request rate, with Max Credits per Run set and Magic Hour charging another
 * rate than the estimate (above it for some seeds, below it for others), Concurrency not set (automatic:
 * up to 50 jobs at once with long texts in the run) and every answer held back, so that many creates are
 * open at once while the run does not yet know the rate it is charged, and a 2,500-character text (three
 * parts) every 50 items. The budget is the run's
 * own estimate, asked first from Estimate Cost (free): the tightest one the check before the run lets
 * through. Per seed it checks what a user would count afterwards in Magic Hour's library and in the
 * output: the run's jobs were charged no more than the budget in all; every id an item reports is a
 * job of that item; every job Magic Hour made is reported by its item, or that item's error says a
 * paid job may exist (a lost answer); no item has two jobs for one text or part; an item refused for
 * the budget has no job; each item says what it was charged and what the run had spent, never over
 * the budget.
 */
const ESTIMATE_RATE = 0.05;
/** What Magic Hour charges per character, by seed: 2×, 0.6×, 1.4× and 0.8× the estimate. */
const CHARGED_RATES = [0.1, 0.03, 0.07, 0.04];
const chargedRate = (seed: number) => CHARGED_RATES[Math.abs(seed - 1) % CHARGED_RATES.length];
/** Held back before every answer, creates included. */
const BUDGET_LATENCY_MS = 150;
const LONG_TEXT_EVERY = 50;
const budgetPrompt = (index: number) => (index % LONG_TEXT_EVERY === LONG_TEXT_EVERY / 2 ? longProse(2500) : prompt(index));

interface BudgetSummary {
	seed: number;
	items: number;
	seconds: number;
	chargedRate: number;
	budget: number;
	charged: number;
	paidItems: number;
	refused: number;
	otherErrors: number;
	lostAnswers: number;
	maxCreatesOpen: number;
	reportedWithoutJob: number;
	jobsNotReported: number;
	duplicates: number;
}
const budgetSummaries: BudgetSummary[] = [];

/** The most requests open at the same moment, from the simulator's log. */
function mostOpenAtOnce(requests: SimulatedRequest[]): number {
	const events = requests.flatMap((request) => [
		{ at: request.at, open: 1 },
		{ at: request.endedAt ?? Infinity, open: -1 },
	]);
	events.sort((a, b) => a.at - b.at || a.open - b.open);
	let open = 0;
	let most = 0;
	for (const event of events) most = Math.max(most, (open += event.open));
	return most;
}

/** The simulator's jobs by the item whose name they carry: `item-7`, or `item-25 (part 2 of 3)`. */
function jobsByItemIndex(jobs: SimulatedJob[]): Map<number, SimulatedJob[]> {
	const byItem = new Map<number, SimulatedJob[]>();
	for (const job of jobs) {
		const index = Number(/^item-(\d+)\b/.exec(job.name)?.[1]);
		byItem.set(index, [...(byItem.get(index) ?? []), job]);
	}
	return byItem;
}

/** The project ids an output item reports: its `id` and its parts' ids. */
function reportedIds(item: INodeExecutionData): string[] {
	const parts = (item.json.parts ?? []) as Array<{ id: string | null }>;
	return [...new Set([item.json.id, ...parts.map((part) => part.id)].filter((id): id is string => typeof id === 'string'))];
}

describe.each(SEEDS)('budget, seed %i', (seed) => {
	it(`${ITEMS} items, Max Credits per Run = their estimate: never charged over it, paid and unpaid items told apart`, async () => {
		simulator.reset();
		const rate = chargedRate(seed);
		simulator.setOptions({ seed, faults: FAULTS, renderMs: RENDER_MS, latencyMs: BUDGET_LATENCY_MS, creditsPerCharacter: rate, rateLimit: rateLimit(seed) });
		const costOptions = { longText: 'split', creditsPerCharacter: ESTIMATE_RATE };

		// The budget: what Estimate Cost says the run costs, without a request.
		const estimate = await runSoakNode({ parameters: { operation: 'estimate', options: costOptions }, items: soakItems(ITEMS, budgetPrompt) });
		expect(estimate.error).toBeUndefined();
		expect(simulator.requests()).toEqual([]);
		const budget = estimate.output.reduce((sum, item) => sum + (item.json.estimated_credits as number), 0);

		const started = Date.now();
		const { output, error } = await cloneItems({
			items: ITEMS,
			concurrency: CONCURRENCY,
			timeoutSeconds: ITEM_TIMEOUT_S,
			continueOnFail: true,
			promptOf: budgetPrompt,
			options: { ...costOptions, maxCreditsPerRun: budget },
		});
		const seconds = (Date.now() - started) / 1000;
		expect(error).toBeUndefined();
		expect(output).toHaveLength(ITEMS);

		// Never over the budget: what Magic Hour charged for the run's jobs, refunds deducted.
		const jobs = simulator.jobs();
		const charged = jobs.reduce((sum, job) => sum + job.credits_charged, 0);
		expect(charged).toBeLessThanOrEqual(budget);

		const jobsOf = jobsByItemIndex(jobs);
		let reportedWithoutJob = 0;
		let jobsNotReported = 0;
		let lostAnswers = 0;
		let duplicates = 0;
		for (const [index, item] of output.entries()) {
			expect(item.pairedItem).toEqual({ item: index });
			const itemJobs = jobsOf.get(index) ?? [];
			const reported = reportedIds(item);
			const mayHavePaid = item.json.error !== undefined && MAY_HAVE_PAID.test(String(item.json.error_description));
			// One job per text (or part) at most.
			const names = itemJobs.map((job) => job.name);
			duplicates += names.length - new Set(names).size;
			// Reported as paid: a job of this item in Magic Hour.
			const unknown = reported.filter((id) => !itemJobs.some((job) => job.id === id));
			reportedWithoutJob += unknown.length;
			// Paid in Magic Hour: reported, or the item says a paid job may exist.
			const unreported = itemJobs.filter((job) => !reported.includes(job.id));
			if (unreported.length && mayHavePaid) lostAnswers += unreported.length;
			else jobsNotReported += unreported.length;
			if (unknown.length || (unreported.length && !mayHavePaid)) console.log(`budget, seed ${seed}, item ${index}:`, JSON.stringify(item.json), JSON.stringify(itemJobs));

			if (item.json.error_code === 'over_budget' && reported.length === 0) {
				// Refused for the budget before anything was sent: unpaid, and says so.
				expect(itemJobs).toEqual([]);
				expect(String(item.json.error_description)).toMatch(/^Nothing was paid for this item/);
			}
			if (item.json.error === undefined) {
				// What it was charged (its jobs, as Magic Hour charged them) and what the run had spent by then.
				expect(item.json.credits_charged).toBe(itemJobs.reduce((sum, job) => sum + job.credits_charged, 0));
				expect(item.json.run_credits_charged).toBeLessThanOrEqual(budget);
				expect(item.json.run_credits_charged).toBeGreaterThanOrEqual(item.json.credits_charged as number);
			}
		}
		expect({ reportedWithoutJob, jobsNotReported, duplicates }).toEqual({ reportedWithoutJob: 0, jobsNotReported: 0, duplicates: 0 });

		const refused = output.filter((item) => item.json.error_code === 'over_budget').length;
		const paidItems = output.filter((item) => reportedIds(item).length > 0).length;
		const creates = simulator.requests().filter((request) => request.route === 'create');
		// The budget was what stopped the paying when Magic Hour charged more than the estimate.
		if (rate > ESTIMATE_RATE) expect(refused).toBeGreaterThan(0);
		expect(paidItems).toBeGreaterThan(0);
		budgetSummaries.push({
			seed,
			items: ITEMS,
			seconds,
			chargedRate: rate,
			budget,
			charged,
			paidItems,
			refused,
			otherErrors: output.filter((item) => item.json.error !== undefined).length - refused,
			lostAnswers,
			maxCreatesOpen: mostOpenAtOnce(creates),
			reportedWithoutJob,
			jobsNotReported,
			duplicates,
		});
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
			simulator.setOptions({ seed, faults: HOSTILE_FAULTS, renderMs: RENDER_MS, dripMs: 500, dripBytes: 1, rateLimit: null, latencyMs: 0, creditsPerCharacter: 0.05 });
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
		`| seed | items | seconds | ${kinds.map((kind) => `fault ${kind}`).join(' | ')} | ${outcomes.join(' | ')} | API requests | answered 429 by the request rate | create requests | of which retries | duplicates | leaks |`,
		`|${' --- |'.repeat(9 + kinds.length + outcomes.length)}`,
		...summaries.map(
			(summary) =>
				`| ${summary.seed} | ${summary.items} | ${summary.seconds.toFixed(1)} | ${kinds
					.map((kind) => summary.faults[kind] ?? 0)
					.join(' | ')} | ${outcomes.map((outcome) => summary.outcomes[outcome] ?? 0).join(' | ')} | ${summary.requests} | ${summary.rateLimited} | ${summary.createRequests} | ${summary.createRetries} | ${summary.duplicates} | ${summary.leaks} |`,
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
	const budget = [
		`| seed | items | seconds | charged rate (estimate ${ESTIMATE_RATE}) | budget | charged | items paid | refused over_budget | other errors | lost answers | most creates open at once | reported paid without a job | jobs not reported | duplicates |`,
		`|${' --- |'.repeat(14)}`,
		...budgetSummaries.map(
			(summary) =>
				`| ${summary.seed} | ${summary.items} | ${summary.seconds.toFixed(1)} | ${summary.chargedRate} | ${summary.budget} | ${summary.charged} | ${summary.paidItems} | ${summary.refused} | ${summary.otherErrors} | ${summary.lostAnswers} | ${summary.maxCreatesOpen} | ${summary.reportedWithoutJob} | ${summary.jobsNotReported} | ${summary.duplicates} |`,
		),
	];
	process.stdout.write(
		`\nFault soak summary (Concurrency ${CONCURRENCY ?? 'not set: automatic'}, request rate ${RATE_LIMIT_PER_SECOND} a second)\n${lines.join('\n')}\n\nBudget (Max Credits per Run = the estimate, Concurrency ${CONCURRENCY ?? 'not set: automatic'}, latency ${BUDGET_LATENCY_MS} ms)\n${budget.join('\n')}\n\nHostile answers (Timeout ${HOSTILE_TIMEOUT_S} s, all items at once)\n${hostile.join('\n')}\n`,
	);
}

