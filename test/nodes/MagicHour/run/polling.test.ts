import {
	FIRST_LOOK_MS,
	longestPause,
	MAX_LOOK_INTERVAL_MS,
	MIN_LOOK_PAUSE_MS,
	nextLookPause,
	pollInterval,
	todaysLooksUntil,
	todaysMeanLooks,
	todaysPauseAt,
} from '../../../../nodes/MagicHour/run/polling';
import type { ExpectedEnd } from '../../../../nodes/MagicHour/run/renderTimes';

/** How many looks it takes until the job, done after `renderMs`, is seen done. */
function looksUntilSeen(renderMs: number): number {
	let elapsed = 0;
	let looks = 0;
	while (elapsed < renderMs) {
		elapsed += pollInterval(looks);
		looks++;
	}
	return looks;
}

describe('pollInterval: how often a running job is looked at', () => {
	it('takes the first look after 2 seconds', () => {
		expect(FIRST_LOOK_MS).toBe(2000);
		expect(pollInterval(0)).toBe(2000);
	});

	it('looks again 1 s later, then grows gently: each pause at most 1.5 times the one before', () => {
		expect([0, 1, 2, 3, 4, 5].map(pollInterval)).toEqual([2000, 1000, 1500, 2250, 3375, 5062]);
		for (let look = 2; look < 20; look++) {
			expect(pollInterval(look)).toBeGreaterThanOrEqual(pollInterval(look - 1));
			expect(pollInterval(look)).toBeLessThanOrEqual(Math.ceil(pollInterval(look - 1) * 1.5));
		}
	});

	it('is capped at 15 seconds, however long the job runs', () => {
		expect(MAX_LOOK_INTERVAL_MS).toBe(15_000);
		expect(pollInterval(8)).toBe(15_000);
		expect(pollInterval(100)).toBe(15_000);
		expect(pollInterval(10_000)).toBe(15_000);
	});

	it.each([3, 20, 60])('sees a job of %i s done within render/3 + 3 looks', (renderSeconds) => {
		const looks = looksUntilSeen(renderSeconds * 1000);
		expect(looks).toBeLessThanOrEqual(renderSeconds / 3 + 3);
		// and it does not look needlessly late: the look before the last one came before the end
		const before = [...Array(looks - 1).keys()].reduce((sum, look) => sum + pollInterval(look), 0);
		expect(before).toBeLessThan(renderSeconds * 1000);
	});

	it('sees a 3 s job done at the second look, and the typical 21 s job at the seventh, 22.8 s after the start', () => {
		expect(looksUntilSeen(3000)).toBe(2);
		expect(looksUntilSeen(21_000)).toBe(7);
		const seenAt = [0, 1, 2, 3, 4, 5, 6].reduce((sum, look) => sum + pollInterval(look), 0);
		expect(seenAt).toBe(22_780);
	});
});

/** Follows a job done `doneAt` ms after its create with the learnt schedule for `expected`. */
function learntLooks(expected: ExpectedEnd | undefined, doneAt: number): { looks: number; lag: number; pauses: number[] } {
	const pauses: number[] = [];
	let elapsed = 0;
	while (elapsed < doneAt) {
		const pause = nextLookPause(pauses.length, elapsed, expected);
		pauses.push(pause);
		elapsed += pause;
	}
	return { looks: pauses.length, lag: elapsed - doneAt, pauses };
}

/** The same job under today's schedule. */
function todaysLooks(doneAt: number): { looks: number; lag: number } {
	let elapsed = 0;
	let looks = 0;
	while (elapsed < doneAt) elapsed += pollInterval(looks++);
	return { looks, lag: elapsed - doneAt };
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Windows as a run learns them: centres from 3 s to 2 min, spreads from none to ±40 %. */
const windows: ExpectedEnd[] = [3000, 5000, 8000, 14_000, 21_000, 33_000, 47_000, 75_000, 120_000].flatMap((centre) =>
	[0, 0.1, 0.3, 0.4].map((spread) => ({ from: centre * (1 - spread), to: centre * (1 + spread) })),
);
/** Ends a job may really have: far earlier and far later than any window, and everything between. */
const doneTimes = Array.from({ length: 160 }, (_, index) => Math.round(100 * 1.045 ** index + (index % 7) * 37));

describe("today's schedule as a function of time", () => {
	it('counts the looks today needs and the pause under way at any moment', () => {
		expect([1000, 2000, 2001, 3000, 4500, 22_780, 22_781, 49_000].map(todaysLooksUntil)).toEqual([1, 1, 2, 2, 3, 7, 8, 9]);
		expect([0, 1999, 2000, 2999, 3000, 6750, 22_780, 1e6].map(todaysPauseAt)).toEqual([2000, 2000, 1000, 1000, 1500, 3375, 11_390, 15_000]);
		for (const doneAt of doneTimes) expect(todaysLooksUntil(doneAt)).toBe(todaysLooks(doneAt).looks);
	});

	it('averages its looks over a window', () => {
		expect(todaysMeanLooks(14_000, 26_000)).toBeCloseTo((1.19 * 6 + 7.59 * 7 + 3.22 * 8) / 12, 1);
		for (const { from, to } of windows.filter((window) => window.to > window.from)) {
			const sampled = mean(Array.from({ length: 400 }, (_, index) => todaysLooksUntil(from + ((to - from) * (index + 0.5)) / 400)));
			expect(todaysMeanLooks(from, to)).toBeCloseTo(sampled, 1);
		}
	});
});

describe('nextLookPause: a schedule that learns render times within a run', () => {
	it("is today's schedule while nothing is learnt", () => {
		for (let look = 0; look < 30; look++) {
			for (const elapsed of [0, 1234, 60_000]) expect(nextLookPause(look, elapsed, undefined)).toBe(pollInterval(look));
		}
	});

	it("keeps a job that is not one of the run's scouts a look behind today's schedule, whatever its window says", () => {
		for (const expected of windows) {
			for (const doneAt of doneTimes.filter((_, index) => index % 3 === 0)) {
				let elapsed = 0;
				let looks = 0;
				while (elapsed < doneAt) {
					const pause = nextLookPause(looks, elapsed, expected, false);
					expect(pause).toBeLessThanOrEqual(longestPause(elapsed));
					elapsed += pause;
					looks++;
					// its nth look no sooner than today's (n+1)th
					expect(todaysLooksUntil(elapsed + 1)).toBeGreaterThanOrEqual(looks + 1);
				}
				expect(looks).toBeLessThanOrEqual(todaysLooksUntil(doneAt));
			}
		}
	});

	it("looks sparsely at a job that is not one of the run's scouts while nothing is learnt: half today's looks or fewer", () => {
		for (const doneAt of [3000, 5000, 12_000, 21_000, 60_000]) {
			let elapsed = 0;
			let looks = 0;
			while (elapsed < doneAt) {
				const pause = nextLookPause(looks, elapsed, undefined, false);
				expect(pause).toBe(longestPause(elapsed));
				elapsed += pause;
				looks++;
			}
			expect(looks).toBeLessThanOrEqual(Math.ceil(looksUntilSeen(doneAt) / 2) + 1);
			// seen within twice the pause today's schedule is in when the job is done
			expect(elapsed - doneAt).toBeLessThanOrEqual(2 * todaysPauseAt(doneAt) + 2 * MIN_LOOK_PAUSE_MS);
		}
	});

	it('never waits less than 1 s or longer than twice the pause today is in, in whole tenths of a second', () => {
		for (const expected of windows) {
			for (const doneAt of doneTimes.filter((_, index) => index % 4 === 0)) {
				let elapsed = 0;
				for (const pause of learntLooks(expected, doneAt).pauses) {
					expect(pause).toBeGreaterThanOrEqual(MIN_LOOK_PAUSE_MS);
					expect(pause).toBeLessThanOrEqual(longestPause(elapsed));
					expect(pause).toBeLessThanOrEqual(2 * todaysPauseAt(elapsed));
					expect(pause % 100).toBe(0);
					elapsed += pause;
				}
			}
		}
	});

	it('sees a job that ends far from its window within twice the pause today is in when it ends', () => {
		for (const expected of windows) {
			for (const doneAt of doneTimes) {
				expect(learntLooks(expected, doneAt).lag).toBeLessThanOrEqual(2 * todaysPauseAt(doneAt));
			}
		}
	});

	it('sees a late job with pauses that grow, never longer than today is taking', () => {
		for (const expected of windows) {
			const doneAt = expected.to * 2 + 5000;
			let elapsed = 0;
			let previous = 0;
			for (const pause of learntLooks(expected, doneAt).pauses) {
				if (elapsed >= expected.to + 100) {
					expect(pause).toBeLessThanOrEqual(todaysPauseAt(elapsed));
					expect(pause).toBeGreaterThanOrEqual(Math.min(previous, todaysPauseAt(elapsed)));
				}
				previous = pause;
				elapsed += pause;
			}
		}
	});

	it('takes on average no more looks than today for jobs that end in their window, and sees them sooner', () => {
		const lags = { learnt: [] as number[], today: [] as number[] };
		for (const expected of windows) {
			const ends = Array.from({ length: 100 }, (_, index) => expected.from + ((expected.to - expected.from) * (index + 0.5)) / 100);
			const learnt = ends.map((doneAt) => learntLooks(expected, doneAt));
			const today = ends.map(todaysLooks);
			expect(mean(learnt.map((job) => job.looks))).toBeLessThanOrEqual(mean(today.map((job) => job.looks)));
			// half a spacing after the end, against today's pauses of up to 15 s
			expect(median(learnt.map((job) => job.lag))).toBeLessThanOrEqual(Math.max(600, median(today.map((job) => job.lag))));
			if (expected.from >= 10_000) {
				lags.learnt.push(...learnt.map((job) => job.lag));
				lags.today.push(...today.map((job) => job.lag));
			}
		}
		// renders of 10 s and more: seen in less than half today's delay
		expect(median(lags.learnt)).toBeLessThan(median(lags.today) / 2);
		expect(mean(lags.learnt)).toBeLessThan(mean(lags.today) / 2);
	});

	it('looks sparsely before the window and closely in it', () => {
		const expected = { from: 70_000, to: 110_000 };
		const { pauses } = learntLooks(expected, 90_000);
		let elapsed = 0;
		for (const pause of pauses) {
			if (elapsed + pause < expected.from) expect(pause).toBe(longestPause(elapsed));
			else if (elapsed > expected.from) expect(pause).toBeLessThanOrEqual(6000);
			elapsed += pause;
		}
		expect(pauses.length).toBeLessThan(todaysLooksUntil(90_000));
	});

	it('takes the looks a job made before anything was learnt from its close looks', () => {
		const expected = { from: 20_000, to: 40_000 };
		// the same moment in the window, after the plan's own looks and after four more
		const plan = learntLooks(expected, 30_000).pauses.length - 1;
		expect(nextLookPause(plan + 4, 30_000, expected)).toBeGreaterThan(nextLookPause(plan, 30_000, expected));
	});

	it('plans from the present: after a long rate-limit pause the next look is still at least 1 s away', () => {
		for (const expected of windows) {
			for (const elapsed of [expected.from + 150, expected.to - 150, expected.to + 40_000]) {
				expect(nextLookPause(3, elapsed, expected)).toBeGreaterThanOrEqual(MIN_LOOK_PAUSE_MS);
			}
		}
	});
});
