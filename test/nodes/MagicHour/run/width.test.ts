/**
 * A run's width: how many of its jobs are at work at once. A fixed Concurrency is a hard cap; automatic
 * starts at 5, rises with every answer Magic Hour accepts, halves when 429s pile up, and stays under its
 * ceiling. Answers reach it through the run's learnt pace, on a clock the test moves by hand.
 */
import { RequestPace } from '../../../../nodes/MagicHour/transport';
import {
	MAX_JOBS_AT_WORK,
	MAX_JOBS_WITH_LONG_TEXTS,
	QUEUED_TOO_LONG_MS,
	START_WIDTH,
	Width,
	forEachWithPermit,
} from '../../../../nodes/MagicHour/run/width';
import type { Permit } from '../../../../nodes/MagicHour/run/width';
import { HandClock } from '../../../clock';

let clock: HandClock;
let pace: RequestPace;

beforeEach(() => {
	clock = new HandClock();
	pace = new RequestPace(clock);
});

/** `count` answers `status`, one every `everyMs`. */
function answers(count: number, status: number, everyMs = 10): void {
	for (let n = 0; n < count; n++) {
		clock.at += everyMs;
		pace.answered(clock.at, status);
	}
}

/** Takes every permit there is now, for item `rank`. */
async function takeAll(width: Width, rank = 0): Promise<Permit[]> {
	const permits: Permit[] = [];
	for (;;) {
		const giveUp = new AbortController();
		setImmediate(() => giveUp.abort());
		const next = await width.acquire(rank, giveUp.signal);
		if (!next) return permits;
		permits.push(next);
	}
}

/** Whether `waiting` is still waiting once everything due now has run. */
async function stillWaiting(waiting: Promise<unknown>): Promise<boolean> {
	return (await Promise.race([waiting.then(() => false), new Promise<boolean>((resolve) => setImmediate(() => resolve(true)))])) === true;
}

const automatic = (count: number, longTexts = false) => Width.automatic({ count, longTexts }, pace);

describe('a fixed Concurrency', () => {
	it('never has more jobs at work than the number given, whatever Magic Hour answers', async () => {
		const width = Width.fixed(5);
		answers(100, 200);
		const permits = await takeAll(width);
		expect(permits).toHaveLength(5);
		const waiting = width.acquire(7);
		permits[0].release();
		permits[0].release();
		expect(await waiting).toBeDefined();
		expect(await takeAll(width)).toEqual([]);
		expect(width.mostAtWork).toBe(5);
	});

	it('gives a freed permit to the earliest item waiting, in the order they asked within an item', async () => {
		const width = Width.fixed(1);
		const [held] = await takeAll(width);
		const granted: string[] = [];
		const ask = (rank: number, label: string) =>
			width.acquire(rank).then((permit) => {
				granted.push(label);
				permit!.release();
			});
		const all = [ask(3, 'item 3'), ask(1, 'item 1, part 2'), ask(2, 'item 2'), ask(1, 'item 1, part 3')];
		held.release();
		await Promise.all(all);
		expect(granted).toEqual(['item 1, part 2', 'item 1, part 3', 'item 2', 'item 3']);
	});

	it('withdraws a wait when its signal fires', async () => {
		const width = Width.fixed(1);
		const [held] = await takeAll(width);
		const stop = new AbortController();
		const withdrawn = width.acquire(0, stop.signal);
		const later = width.acquire(5);
		stop.abort();
		expect(await withdrawn).toBeUndefined();
		held.release();
		expect(await later).toBeDefined();
		expect(await width.acquire(0, stop.signal)).toBeUndefined();
	});
});

describe('automatic', () => {
	it(`starts with ${START_WIDTH} jobs at work, or as many as the run has`, async () => {
		expect(await takeAll(automatic(60))).toHaveLength(START_WIDTH);
		expect(await takeAll(automatic(3))).toHaveLength(3);
	});

	it('lets one more job to work for every request Magic Hour answers with success, up to the run\'s jobs', async () => {
		const width = automatic(12);
		expect(await takeAll(width)).toHaveLength(5);
		answers(3, 200);
		expect(width.allowed).toBe(8);
		expect(await takeAll(width)).toHaveLength(3);
		answers(20, 200);
		expect(width.allowed).toBe(12);
		expect(await takeAll(width)).toHaveLength(4);
	});

	it(`never goes over ${MAX_JOBS_AT_WORK} jobs, nor ${MAX_JOBS_WITH_LONG_TEXTS} when the run has long texts`, async () => {
		const singles = automatic(1000);
		const longTexts = automatic(1000, true);
		answers(1000, 200, 1);
		expect(singles.allowed).toBe(MAX_JOBS_AT_WORK);
		expect(await takeAll(singles)).toHaveLength(MAX_JOBS_AT_WORK);
		expect(longTexts.allowed).toBe(MAX_JOBS_WITH_LONG_TEXTS);
		expect(await takeAll(longTexts)).toHaveLength(MAX_JOBS_WITH_LONG_TEXTS);
	});

	it('halves the jobs at work when 429s pile up, and starts no job until fewer are at work', async () => {
		const width = automatic(100);
		answers(35, 200, 200);
		const permits = await takeAll(width);
		expect(permits).toHaveLength(40);
		answers(3, 429);
		expect(width.allowed).toBe(20);
		const waiting = width.acquire(50);
		permits.slice(0, 20).forEach((permit) => permit.release());
		expect(await stillWaiting(waiting)).toBe(true);
		permits[20].release();
		expect(await waiting).toBeDefined();
	});

	it('does not rise on answers that are errors: a Magic Hour in trouble gets no more jobs', async () => {
		const width = automatic(100);
		answers(20, 500);
		answers(20, 404);
		expect(width.allowed).toBe(START_WIDTH);
	});

	it('neither rises nor halves on a stray 429', async () => {
		const width = automatic(100);
		answers(30, 200);
		answers(1, 429);
		expect(width.allowed).toBe(35);
	});

	it(`stops rising while requests wait over ${QUEUED_TOO_LONG_MS / 1000} s for their turn: the pace holds the run, not the width`, async () => {
		const width = automatic(100);
		answers(20, 200, 100);
		clock.at += 100;
		answers(3, 429, 0);
		const before = width.allowed;
		// 10 requests a second accepted, paced at 9: 30 requests asking at once wait up to 3.3 s.
		for (let n = 0; n < 30; n++) void pace.turn(undefined);
		expect(pace.backlogMs()).toBeGreaterThan(QUEUED_TOO_LONG_MS);
		pace.answered(clock.at, 200);
		expect(width.allowed).toBe(before);
		clock.at += pace.backlogMs();
		pace.answered(clock.at, 200);
		expect(width.allowed).toBe(before + 1);
	});
});

describe('forEachWithPermit', () => {
	it('starts each index once it has a permit, in order, and waits for all of them', async () => {
		const width = Width.fixed(2);
		const started: number[] = [];
		let atOnce = 0;
		let most = 0;
		await forEachWithPermit(
			6,
			async (index) => await width.acquire(index),
			async (index) => {
				started.push(index);
				most = Math.max(most, ++atOnce);
				await new Promise((resolve) => setTimeout(resolve, 5 + (index % 3)));
				atOnce--;
			},
			() => false,
		);
		expect(started).toEqual([0, 1, 2, 3, 4, 5]);
		expect(most).toBe(2);
		expect(await takeAll(width)).toHaveLength(2);
	});

	it('hands a permit held already to index 0, and releases it when that work ends', async () => {
		const width = Width.fixed(1);
		const [held] = await takeAll(width);
		const order: string[] = [];
		await forEachWithPermit(
			3,
			async (index) => {
				order.push(`asks for ${index}`);
				return await width.acquire(0);
			},
			async (index) => {
				order.push(`runs ${index}`);
			},
			() => false,
			held,
		);
		expect(order).toEqual(['runs 0', 'asks for 1', 'runs 1', 'asks for 2', 'runs 2']);
		expect(await takeAll(width)).toHaveLength(1);
	});

	it('starts nothing more once told to stop, or once no permit comes, and gives back what it was holding', async () => {
		const width = Width.fixed(3);
		const started: number[] = [];
		await forEachWithPermit(
			10,
			async (index) => await width.acquire(index),
			async (index) => void started.push(index),
			() => started.length >= 4,
		);
		expect(started).toEqual([0, 1, 2, 3]);
		const stop = new AbortController();
		stop.abort();
		await forEachWithPermit(5, async (index) => await width.acquire(index, stop.signal), async (index) => void started.push(index), () => false);
		expect(started).toHaveLength(4);
		expect(await takeAll(width)).toHaveLength(3);
	});
});
