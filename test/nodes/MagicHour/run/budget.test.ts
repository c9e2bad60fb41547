/**
 * Spend control against the simulator (real HTTP): Max Credits per Run is never exceeded, the
 * account's balance is checked before anything is paid, and Estimate Cost says what Clone Voice
 * then charges.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';

import { runNode } from '../../../engine/harness';
import type { RunOptions, RunResult } from '../../../engine/harness';
import { cloneParameters, longProse } from '../../../builders';
import { startSimulator } from '../../../simulator';
import type { Simulator } from '../../../simulator';

const TOKEN = 'mhk_live_budget_token_3c1d';
let simulator: Simulator;

beforeAll(async () => {
	nock.restore();
	simulator = await startSimulator({ token: TOKEN, renderMs: 0 });
});
afterAll(async () => await simulator.close());
beforeEach(() => {
	simulator.reset();
	simulator.setOptions({ faults: [], renderMs: 0, latencyMs: 0, credits: 100000, creditsPerCharacter: 0.05 });
});

async function run(options: Partial<RunOptions> & { parameters: RunOptions['parameters'] }): Promise<RunResult> {
	return await runNode({ credentials: { apiToken: TOKEN, baseUrl: simulator.url }, ...options });
}

/** Items whose `text` is a prompt of `characters` each. */
function texts(count: number, characters: number) {
	return Array.from({ length: count }, () => ({ json: { text: longProse(characters) } }));
}

function clone(options: INodeParameters) {
	return cloneParameters({ prompt: '={{ $json.text }}', options });
}

const charged = () => simulator.jobs().reduce((sum, job) => sum + job.credits_charged, 0);

describe('Max Credits per Run: a run whose estimate is over it pays nothing', () => {
	it('fails every item before any request is paid, giving the estimate, the budget and the fix', async () => {
		const { output } = await run({
			parameters: clone({ maxCreditsPerRun: 20 }),
			items: texts(5, 100),
			continueOnFail: true,
		});
		expect(simulator.stats().jobsCreated).toBe(0);
		expect(output).toHaveLength(5);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.error).toBe(
				`This run would cost an estimated 25 credits (5 items, 500 characters at 0.05 credits per character), over "Max Credits per Run" of 20 [item ${index}]`,
			);
			expect(item.json.error_description).toMatch(/Nothing was sent\. Raise "Max Credits per Run" in the options to at least 25/);
			expect(item.json.error_code).toBe('over_budget');
		});
	});

	it('stops the run with that error without Continue On Fail', async () => {
		const { error } = await run({ parameters: clone({ maxCreditsPerRun: 20 }), items: texts(5, 100) });
		expect(error?.message).toMatch(/^This run would cost an estimated 25 credits/);
		expect(simulator.stats().jobsCreated).toBe(0);
	});

	it('counts every part of a long text, and pays for no part of one over the budget', async () => {
		const { output } = await run({
			parameters: clone({ maxCreditsPerRun: 100, longText: 'split' }),
			items: [{ json: { text: longProse(2500) } }],
			continueOnFail: true,
		});
		expect(output[0].json.error).toMatch(/^This run would cost an estimated 126 credits \(1 item, 2500 characters/);
		expect(simulator.stats().jobsCreated).toBe(0);
	});

	it('lets a run within the budget through, each item saying what the run has spent so far', async () => {
		const { output } = await run({ parameters: clone({ maxCreditsPerRun: 25, concurrency: 1 }), items: texts(5, 100) });
		expect(output.map((item) => item.json.credits_charged)).toEqual([5, 5, 5, 5, 5]);
		expect(output.map((item) => item.json.run_credits_charged)).toEqual([5, 10, 15, 20, 25]);
		expect(charged()).toBe(25);
	});
});

describe('Max Credits per Run: the real charges stop the paying exactly at the budget', () => {
	it('never goes over it when Magic Hour charges twice the estimate, with creates slow and many in flight', async () => {
		simulator.setOptions({ creditsPerCharacter: 0.1, latencyMs: 150 });
		const { output } = await run({
			parameters: clone({ maxCreditsPerRun: 70, concurrency: 12 }),
			items: texts(12, 100),
			continueOnFail: true,
		});
		// Estimated 12 × 5 = 60 fits; charged 10 each, so 7 fit exactly and 5 are refused unpaid.
		expect(charged()).toBe(70);
		expect(simulator.stats().jobsCreated).toBe(7);
		const paid = output.filter((item) => item.json.id !== undefined);
		const refused = output.filter((item) => item.json.error_code === 'over_budget');
		expect(paid).toHaveLength(7);
		expect(refused).toHaveLength(5);
		for (const item of refused) {
			expect(item.json.error).toMatch(/This item may cost 10 credits, and the run has spent or set aside \d+ of its "Max Credits per Run" of 70/);
			expect(item.json.error_description).toMatch(/^Nothing was paid for this item/);
		}
		expect(Math.max(...simulator.jobs().map((job) => job.credits_charged))).toBe(10);
		// The outputs say that the charge was not the estimate, and what rate to set.
		expect(paid[0].json.rate_note).toMatch(/Magic Hour charged 10 credits, the estimate at 0\.05 credits per character was 5\. This run was charged about 0\.1 credits per character/);
	});

	it('spends up to the budget when Magic Hour charges half the estimate', async () => {
		simulator.setOptions({ creditsPerCharacter: 0.05, latencyMs: 50 });
		const { output } = await run({
			parameters: clone({ maxCreditsPerRun: 100, concurrency: 10, creditsPerCharacter: 0.1 }),
			items: texts(20, 100),
			continueOnFail: true,
		});
		// Estimated 20 × 10 = 200 would be over 100: the whole run is refused before anything is paid.
		expect(output[0].json.error_code).toBe('over_budget');
		expect(charged()).toBe(0);
		const within = await run({
			parameters: clone({ maxCreditsPerRun: 100, concurrency: 10, creditsPerCharacter: 0.1 }),
			items: texts(10, 100),
			continueOnFail: true,
		});
		expect(within.output.every((item) => item.json.credits_charged === 5)).toBe(true);
		expect(charged()).toBe(50);
	});

	it('sends no further part of the first long text once one is refused, and says which part was paid', async () => {
		// Magic Hour charging 0.2 per character, above both rates it publishes: the one case in which a
		// part set aside before the run's first charge can cost more than was set aside for it.
		simulator.setOptions({ creditsPerCharacter: 0.2, latencyMs: 50 });
		const { output } = await run({
			parameters: clone({ maxCreditsPerRun: 300, longText: 'split', concurrency: 3 }),
			items: [{ json: { text: longProse(2500) } }],
			continueOnFail: true,
		});
		// Set aside at 0.1: 92 + 91 + 68 = 251. Part 1 is sent alone and charged 184: part 2, now 181,
		// would take the run to 184 spent + 68 set aside for part 3 + 181 = 433, over 300, and is
		// refused. Part 3 (136) would fit, but the item fails anyway: it is not sent either.
		const [job] = simulator.jobs();
		expect(simulator.jobs()).toHaveLength(1);
		expect(charged()).toBe(184);
		const item = output[0].json;
		expect(item.error).toBe(
			`Part 2 of 3 of the text failed: This part may cost 181 credits, and the run has spent or set aside 252 of its "Max Credits per Run" of 300 [item 0]. Parts with a paid job: part 1 ${job.id} (queued)`,
		);
		expect((item.parts as Array<{ id: string | null; status: string }>).map((part) => [part.id, part.status])).toEqual([
			[job.id, 'queued'],
			[null, 'not sent'],
			[null, 'not sent'],
		]);
		expect(item.error_description).toMatch(/^Nothing was paid for this part\. /);
		expect(item.error_description).toMatch(/Parts 2, 3 were not sent: nothing was paid for them\. The parts with a job are paid/);
	});

	it('lets an item wait for the creates in flight rather than refuse it at a rate a short first text rounded up', async () => {
		simulator.setOptions({ creditsPerCharacter: 0.04, latencyMs: 100 });
		const { output } = await run({
			parameters: clone({ maxCreditsPerRun: 51, concurrency: 11 }),
			items: [{ json: { text: longProse(17) } }, ...texts(10, 100)],
			continueOnFail: true,
		});
		// The estimate (1 + 10 × 5 = 51) fits. The first charge, 1 credit for 17 characters, reads as
		// 0.059 per character (6 for 100); the next charges show 0.04 (4 for 100): every item fits, 41 in all.
		expect(output.map((item) => item.json.error_code)).toEqual(new Array(11).fill(undefined));
		expect(charged()).toBe(41);
	});

	it('counts a create whose answer was lost as spent, at the rate charged: a job may exist', async () => {
		simulator.setOptions({ creditsPerCharacter: 0.1, faults: [{ kind: 'drop-after-create', route: 'create', times: 1 }] });
		const { output } = await run({
			parameters: clone({ maxCreditsPerRun: 20, concurrency: 1 }),
			items: texts(4, 100),
			continueOnFail: true,
		});
		// Estimated 4 × 5 = 20. The first answer is lost (Magic Hour charged 10 for it), the second is
		// charged 10: the lost one counts 10 too, so the run is full and nothing more is paid.
		expect(output[0].json.error).toMatch(/connection to Magic Hour failed|did not answer/);
		expect(output[1].json.credits_charged).toBe(10);
		expect(output.slice(2).map((item) => item.json.error_code)).toEqual(['over_budget', 'over_budget']);
		expect(charged()).toBe(20);
	});

	it('refuses a whole long text rather than pay part of it, when the real rate leaves room for one', async () => {
		simulator.setOptions({ creditsPerCharacter: 0.1, latencyMs: 50 });
		const { output } = await run({
			parameters: clone({ maxCreditsPerRun: 260, longText: 'split', concurrency: 2 }),
			items: [{ json: { text: longProse(2500) } }, { json: { text: longProse(2500) } }],
			continueOnFail: true,
		});
		// Estimated 2 × 126 = 252 fits; charged 251 for one, the other cannot fit and sends no part.
		expect((output[0].json.parts as Array<{ id: string | null }>).every((part) => part.id)).toBe(true);
		expect(output[1].json.error_code).toBe('over_budget');
		expect(output[1].json.error).not.toMatch(/paid job/);
		expect(simulator.stats().jobsCreated).toBe(3);
		expect(charged()).toBeLessThanOrEqual(260);
	});
});

describe('Max Credits per Run holds at either rate Magic Hour publishes (0.05 or 0.1 credits per character)', () => {
	it('prices the run\'s first text at 0.1 per character: a budget its estimate at 0.05 fits is not exceeded when Magic Hour charges 0.1', async () => {
		simulator.setOptions({ creditsPerCharacter: 0.1 });
		const { output } = await run({ parameters: clone({ maxCreditsPerRun: 60 }), items: texts(1, 1000), continueOnFail: true });
		// Estimated 50 at 0.05, within 60; at 0.1 it would be charged 100. Refused, unpaid.
		expect(simulator.requests().filter((request) => request.route === 'create')).toHaveLength(0);
		expect(charged()).toBe(0);
		expect(output[0].json).toMatchObject({
			error: 'This item may cost 100 credits, and the run has spent or set aside 0 of its "Max Credits per Run" of 60 [item 0]',
			error_code: 'over_budget',
		});
		expect(output[0].json.error_description).toBe(
			'Nothing was paid for this item. Until Magic Hour has charged a run once, a text is counted at 0.1 credits per character (the higher of "Credits per Character (Estimate)" and 0.1, the higher of the two rates Magic Hour publishes), so that the budget holds whichever it charges. Raise "Max Credits per Run" to at least 100, or put a shorter text first: once Magic Hour has charged the run, texts are counted at the rate it charged.',
		);
	});

	it('counts a long first text at 0.1 per character for all its parts, and sends none of them when they do not fit', async () => {
		simulator.setOptions({ creditsPerCharacter: 0.1, latencyMs: 50 });
		const { output } = await run({
			parameters: clone({ maxCreditsPerRun: 150, longText: 'split', concurrency: 3 }),
			items: [{ json: { text: longProse(2500) } }],
			continueOnFail: true,
		});
		// Estimated 126 at 0.05; at 0.1 its parts (918, 903, 677 characters) may cost 92 + 91 + 68 = 251.
		expect(simulator.stats().jobsCreated).toBe(0);
		expect(output[0].json.error).toBe('This item may cost 251 credits, and the run has spent or set aside 0 of its "Max Credits per Run" of 150 [item 0]');
	});

	it.each([
		[0.05, { paid: [5, 50], refused: [] as number[] }],
		[0.1, { paid: [10], refused: [1] }],
	])('lets a short first text teach the rate: charged %s per character, a budget of 60 pays %j', async (rate, expected) => {
		simulator.setOptions({ creditsPerCharacter: rate });
		const { output } = await run({
			parameters: clone({ maxCreditsPerRun: 60, concurrency: 2 }),
			items: [{ json: { text: longProse(100) } }, { json: { text: longProse(1000) } }],
			continueOnFail: true,
		});
		// The 100-character text goes first (set aside at 0.1: 10); the 1000-character one is then
		// counted at the rate Magic Hour charged: 50 at 0.05 fits, 100 at 0.1 does not.
		expect({
			paid: output.filter((item) => item.json.id !== undefined).map((item) => item.json.credits_charged),
			refused: output.flatMap((item, index) => (item.json.error_code === 'over_budget' ? [index] : [])),
		}).toEqual(expected);
		expect(charged()).toBeLessThanOrEqual(60);
	});
});

describe('the balance check before a run', () => {
	it('fails a batch the account cannot pay for, saying how many credits are missing, and pays nothing', async () => {
		simulator.setOptions({ credits: 40 });
		const { output } = await run({ parameters: clone({}), items: texts(10, 100), continueOnFail: true });
		expect(simulator.stats().jobsCreated).toBe(0);
		expect(output[3].json.error).toBe(
			'Your Magic Hour account has 40 credits; this run needs an estimated 50: 10 credits are missing [item 3]',
		);
		expect(output[3].json.error_code).toBe('insufficient_credits');
		expect(output[3].json.error_description).toMatch(/Nothing was paid\. Add credits/);
	});

	it('lets through a batch the balance covers', async () => {
		simulator.setOptions({ credits: 50 });
		const { output } = await run({ parameters: clone({}), items: texts(10, 100) });
		expect(output.every((item) => item.json.credits_charged === 5)).toBe(true);
	});

	it('goes on without the check, and says so in n8n\'s log, when the account cannot be read', async () => {
		simulator.setOptions({ credits: 40, faults: [{ kind: '500', route: 'account' }] });
		const warn = jest.spyOn(Container.get(Logger), 'warn');
		try {
			const { output } = await run({ parameters: clone({}), items: texts(2, 100) });
			expect(output.every((item) => item.json.credits_charged === 5)).toBe(true);
			expect(warn.mock.calls.map(([message]) => String(message)).join('\n')).toMatch(
				/could not read the account balance before the run \(Magic Hour answered 500.*the run goes on without checking/,
			);
			// Asked once: the balance only advises.
			expect(simulator.requests().filter((request) => request.route === 'account')).toHaveLength(1);
		} finally {
			warn.mockRestore();
		}
	});
});

describe('Estimate Cost', () => {
	it('says for free what Clone Voice then charges at the same rate, for short and long texts', async () => {
		const items = [{ json: { text: longProse(27) } }, { json: { text: longProse(1000) } }, { json: { text: longProse(2500) } }];
		const options = { longText: 'split', creditsPerCharacter: 0.05 };
		const estimated = await run({ parameters: { operation: 'estimate', prompt: '={{ $json.text }}', options }, items });
		expect(simulator.requests()).toHaveLength(0);
		expect(estimated.output.map((item) => item.json.prompt_characters)).toEqual([27, 1000, 2500]);
		expect(estimated.output[2].json.parts).toHaveLength(3);

		const cloned = await run({ parameters: clone(options), items });
		expect(cloned.output.map((item) => item.json.credits_charged)).toEqual(
			estimated.output.map((item) => item.json.estimated_credits),
		);
		expect(simulator.stats().jobsCreated).toBe(5);
	});

	it('fails a text Clone Voice would refuse, as Clone Voice does', async () => {
		const { error } = await run({ parameters: { operation: 'estimate', prompt: longProse(1001) } });
		expect(error?.message).toBe('"Prompt" is 1001 characters long; Magic Hour accepts at most 1000 [item 0]');
	});
});
