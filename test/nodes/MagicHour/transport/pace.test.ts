/**
 * The learnt pace of a run's API requests (automatic Concurrency), on a clock the test moves by hand:
 * requests go at once until Magic Hour limits the run, then in turn at just under the rate it accepted.
 */
import { RequestPace } from '../../../../nodes/MagicHour/transport';
import type { PaceNews } from '../../../../nodes/MagicHour/transport';
import { PROBE_AFTER_MS, PROBE_STEP, SLOWEST_PER_SECOND } from '../../../../nodes/MagicHour/transport/pace';
import { FrozenClock, HandClock } from '../../../clock';

let clock: HandClock;
let pace: RequestPace;
let news: PaceNews[];

beforeEach(() => {
	clock = new HandClock();
	pace = new RequestPace(clock);
	news = [];
	pace.listen((heard) => news.push(heard));
});

/** `count` answers `status`, one every `everyMs`, each to a request sent when it is answered. */
function answers(count: number, status: number, everyMs = 0): void {
	for (let n = 0; n < count; n++) {
		clock.at += everyMs;
		pace.answered(clock.at, status);
	}
}

/** Turns asked for at the same moment: the waits they were given. */
async function turns(count: number): Promise<number[]> {
	clock.waits.length = 0;
	for (let n = 0; n < count; n++) await pace.turn(undefined);
	return clock.waits.map(Math.round);
}

/** Magic Hour accepted 10 requests a second for 2 s, then answered 429 three times: the pace drops to 9 a second. */
function limitedAtTenASecond(): void {
	answers(20, 200, 100);
	clock.at += 100;
	answers(3, 429);
}

describe('until Magic Hour limits the run', () => {
	it('sends every request at once', async () => {
		answers(50, 200, 10);
		expect(pace.rate).toBe(Infinity);
		expect(await turns(10)).toEqual([]);
	});

	it('is not slowed by a stray 429 among many accepted answers, nor by two', () => {
		answers(40, 200, 50);
		answers(2, 429);
		answers(10, 200, 50);
		answers(1, 429);
		expect(pace.rate).toBe(Infinity);
		expect(news.some((heard) => heard.lowered)).toBe(false);
	});

	it('learns nothing from a request that got no answer', () => {
		answers(5, 200, 10);
		for (let n = 0; n < 5; n++) pace.answered(clock.at, undefined);
		expect(news).toHaveLength(5);
	});
});

describe('when 429s pile up', () => {
	it('paces requests, first come first sent, at 0.9× the rate Magic Hour accepted', async () => {
		limitedAtTenASecond();
		expect(pace.rate).toBeCloseTo(9, 5);
		expect(news.filter((heard) => heard.lowered)).toHaveLength(1);
		expect(await turns(4)).toEqual([111, 222, 333]);
		expect(pace.backlogMs()).toBeCloseTo(444.4, 0);
	});

	it('does not drop again for 429s to requests sent before it dropped, but does for later ones', () => {
		limitedAtTenASecond();
		const sentBefore = clock.at - 50;
		for (let n = 0; n < 5; n++) pace.answered(sentBefore, 429);
		expect(pace.rate).toBeCloseTo(9, 5);
		clock.at += 1000;
		answers(5, 200, 100);
		answers(3, 429, 10);
		expect(pace.rate).toBeLessThan(9);
		expect(news.filter((heard) => heard.lowered)).toHaveLength(2);
	});

	it('measures a run\'s first second as a whole second: its first answers come in a burst', () => {
		answers(6, 200, 1);
		answers(3, 429);
		expect(pace.rate).toBeCloseTo(0.9 * 6, 5);
	});

	it('never goes slower than one request every 2 s', () => {
		answers(3, 200, 1000);
		answers(3, 429, 1000);
		clock.at += 1000;
		answers(20, 429, 200);
		expect(pace.rate).toBe(SLOWEST_PER_SECOND);
	});
});

describe('finding a limit that was raised', () => {
	it('rises by 5 % once requests waited for their turn and no 429 came for 5 s', async () => {
		limitedAtTenASecond();
		await turns(3);
		answers(1, 200, PROBE_AFTER_MS - 1);
		expect(pace.rate).toBeCloseTo(9, 5);
		answers(1, 200, 1);
		expect(pace.rate).toBeCloseTo(9 * PROBE_STEP, 5);
	});

	it('does not rise while no request waits: the pace is not what holds the run', () => {
		limitedAtTenASecond();
		answers(30, 200, 1000);
		expect(pace.rate).toBeCloseTo(9, 5);
	});

	it('takes a rise back at a 429 soon after it, and waits twice as long before the next', async () => {
		limitedAtTenASecond();
		await turns(3);
		answers(1, 200, PROBE_AFTER_MS);
		expect(pace.rate).toBeCloseTo(9 * PROBE_STEP, 5);
		answers(1, 429, 100);
		expect(pace.rate).toBeCloseTo(9, 5);
		await turns(3);
		answers(1, 200, PROBE_AFTER_MS);
		expect(pace.rate).toBeCloseTo(9, 5);
		answers(1, 200, PROBE_AFTER_MS);
		expect(pace.rate).toBeCloseTo(9 * PROBE_STEP, 5);
	});
});

describe('waiting for a turn', () => {
	it('refuses, without waiting, a turn that would come at or after the deadline', async () => {
		limitedAtTenASecond();
		expect(await pace.turn(undefined, clock.at + 1000)).toBe(clock.at);
		expect(await pace.turn(undefined, clock.at + 100)).toBeUndefined();
		expect(clock.waits).toEqual([]);
		expect(await pace.turn(undefined, clock.at + 1000)).toBeCloseTo(clock.at + 111.1, 0);
	});

	it('ends when the execution is stopped', async () => {
		const frozen = new RequestPace(new FrozenClock());
		for (let n = 0; n < 20; n++) frozen.answered(Date.now() + n, 200);
		for (let n = 0; n < 3; n++) frozen.answered(Date.now() + 30, 429);
		const stop = new AbortController();
		await frozen.turn(stop.signal);
		const waiting = frozen.turn(stop.signal);
		stop.abort(new Error('stopped'));
		await expect(waiting).rejects.toThrow('stopped');
	});
});
