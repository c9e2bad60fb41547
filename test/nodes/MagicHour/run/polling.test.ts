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
import { mulberry32 } from '../../../simulator';

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

/**
 * Seeded draws for the points the properties below are checked at: the same points in every run, whichever
 * tests run. The boundaries of the schedule are not left to the draws: each has a test of its own
 * (nextLookPause at its boundaries).
 */
class Draws {
	private readonly next: () => number;

	constructor(seed: number) {
		this.next = mulberry32(seed);
	}

	between(low: number, high: number): number {
		return low + (high - low) * this.next();
	}

	/** Evenly on a log scale: as many short times as long ones. */
	logBetween(low: number, high: number): number {
		return Math.round(Math.exp(this.between(Math.log(low), Math.log(high))));
	}

	/** Ends a job may really have: far earlier and far later than any window, and everything between (100 ms to 2 min). */
	ends(count: number): number[] {
		return Array.from({ length: count }, () => this.logBetween(100, 120_000));
	}

	/** Ends within a window: one in each of `count` equal slices of it. */
	endsWithin({ from, to }: ExpectedEnd, count: number): number[] {
		return Array.from({ length: count }, (_, slice) => from + ((to - from) * (slice + this.next())) / count);
	}
}

const windowOf = (centre: number, spread: number): ExpectedEnd => ({ from: centre * (1 - spread), to: centre * (1 + spread) });
/** Windows as a run learns them: centres from 3 s to 2 min, spreads from none to ±40 %, drawn. */
const windows: ExpectedEnd[] = ((draws) => Array.from({ length: 16 }, () => windowOf(draws.logBetween(3000, 120_000), draws.between(0, 0.4))))(new Draws(26));
/** The corners of that range: the shortest and longest centre, with no spread (jobs that all ended alike) and the widest. */
const corners: ExpectedEnd[] = [3000, 120_000].flatMap((centre) => [0, 0.4].map((spread) => windowOf(centre, spread)));
/** A window's edges, and a millisecond on either side of each. */
const edgesOf = ({ from, to }: ExpectedEnd) => [from - 1, from, from + 1, to - 1, to, to + 1];
/** When today's schedule looks (its first 14 looks, the 15 s cap reached): the moments its pause changes. */
const todaysLookTimes = Array.from({ length: 14 }, (_, look) => Array.from({ length: look + 1 }, (__, made) => pollInterval(made)).reduce((sum, pause) => sum + pause, 0));

/** What breaks "no pause under 1 s, none over twice today's pause at that moment, whole tenths" for a job done at `doneAt`. */
function pauseFaults(expected: ExpectedEnd, doneAt: number, looks = learntLooks(expected, doneAt)): string[] {
	const faults: string[] = [];
	let elapsed = 0;
	for (const pause of looks.pauses) {
		const broken = [
			pause < MIN_LOOK_PAUSE_MS && 'under 1 s',
			pause > longestPause(elapsed) && 'over longestPause',
			pause > 2 * todaysPauseAt(elapsed) && "over twice today's",
			pause % 100 !== 0 && 'not whole tenths',
		].filter(Boolean);
		if (broken.length > 0) faults.push(`${broken.join(', ')}: ${JSON.stringify(expected)}, done at ${doneAt}, ${pause} ms at ${elapsed}`);
		elapsed += pause;
	}
	return faults;
}

/** What breaks "seen within twice the pause today is in when it ends". */
function lagFaults(expected: ExpectedEnd, doneAt: number, { lag } = learntLooks(expected, doneAt)): string[] {
	return lag <= 2 * todaysPauseAt(doneAt) ? [] : [`${JSON.stringify(expected)}, done at ${doneAt}: seen ${lag} ms late, today's pause ${todaysPauseAt(doneAt)}`];
}

/** Both of the above. */
function boundFaults(expected: ExpectedEnd, doneAt: number): string[] {
	const looks = learntLooks(expected, doneAt);
	return [...pauseFaults(expected, doneAt, looks), ...lagFaults(expected, doneAt, looks)];
}

/** Looks and lag, learnt and today's, for jobs that end at `ends` in their window. */
function inWindow(expected: ExpectedEnd, ends: number[]) {
	const learnt = ends.map((doneAt) => learntLooks(expected, doneAt));
	const today = ends.map(todaysLooks);
	return { learnt, today, looks: mean(learnt.map((job) => job.looks)), todaysLooks: mean(today.map((job) => job.looks)) };
}

describe("today's schedule as a function of time", () => {
	it('counts the looks today needs and the pause under way at any moment', () => {
		expect([1000, 2000, 2001, 3000, 4500, 22_780, 22_781, 49_000].map(todaysLooksUntil)).toEqual([1, 1, 2, 2, 3, 7, 8, 9]);
		expect([0, 1999, 2000, 2999, 3000, 6750, 22_780, 1e6].map(todaysPauseAt)).toEqual([2000, 2000, 1000, 1000, 1500, 3375, 11_390, 15_000]);
		const ends = [...new Draws(1).ends(40), ...todaysLookTimes.flatMap((at) => [at - 1, at, at + 1])];
		expect(ends.filter((doneAt) => todaysLooksUntil(doneAt) !== todaysLooks(doneAt).looks)).toEqual([]);
	});

	it('averages its looks over a window', () => {
		expect(todaysMeanLooks(14_000, 26_000)).toBeCloseTo((1.19 * 6 + 7.59 * 7 + 3.22 * 8) / 12, 1);
		for (const { from, to } of [...corners, ...windows].filter((window) => window.to > window.from)) {
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
		// Drawn ends, and today's look times with a millisecond on either side: where "a look behind" is tightest.
		const ends = [...new Draws(25).ends(40), ...todaysLookTimes.flatMap((at) => [at - 1, at, at + 1])];
		const faults: string[] = [];
		for (const expected of [...corners, ...windows]) {
			for (const doneAt of [...ends, ...edgesOf(expected)]) {
				let elapsed = 0;
				let looks = 0;
				while (elapsed < doneAt) {
					const pause = nextLookPause(looks, elapsed, expected, false);
					if (pause > longestPause(elapsed)) faults.push(`${JSON.stringify(expected)}, done at ${doneAt}: ${pause} ms at ${elapsed}, over longestPause`);
					elapsed += pause;
					looks++;
					// its nth look no sooner than today's (n+1)th
					if (todaysLooksUntil(elapsed + 1) < looks + 1) faults.push(`${JSON.stringify(expected)}, done at ${doneAt}: look ${looks} at ${elapsed}, before today's look ${looks + 1}`);
				}
				if (looks > todaysLooksUntil(doneAt)) faults.push(`${JSON.stringify(expected)}, done at ${doneAt}: ${looks} looks, today ${todaysLooksUntil(doneAt)}`);
			}
		}
		expect(faults).toEqual([]);
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
		const draws = new Draws(2);
		expect(windows.flatMap((expected) => draws.ends(10).flatMap((doneAt) => pauseFaults(expected, doneAt)))).toEqual([]);
	});

	it('sees a job that ends far from its window within twice the pause today is in when it ends', () => {
		const draws = new Draws(3);
		expect(windows.flatMap((expected) => draws.ends(30).flatMap((doneAt) => lagFaults(expected, doneAt)))).toEqual([]);
	});

	it('sees a late job with pauses that grow, never longer than today is taking', () => {
		for (const expected of [...corners, ...windows]) {
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
		const draws = new Draws(4);
		const lags = { learnt: [] as number[], today: [] as number[] };
		for (const expected of windows) {
			const jobs = inWindow(expected, draws.endsWithin(expected, 24));
			expect(jobs.looks).toBeLessThanOrEqual(jobs.todaysLooks);
			// half a spacing after the end, against today's pauses of up to 15 s
			expect(median(jobs.learnt.map((job) => job.lag))).toBeLessThanOrEqual(Math.max(600, median(jobs.today.map((job) => job.lag))));
			if (expected.from >= 10_000) {
				lags.learnt.push(...jobs.learnt.map((job) => job.lag));
				lags.today.push(...jobs.today.map((job) => job.lag));
			}
		}
		// renders of 10 s and more: seen in less than half today's delay
		expect(lags.learnt.length).toBeGreaterThan(0);
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
		for (const expected of [...corners, ...windows]) {
			for (const elapsed of [expected.from + 150, expected.to - 150, expected.to + 40_000]) {
				expect(nextLookPause(3, elapsed, expected)).toBeGreaterThanOrEqual(MIN_LOOK_PAUSE_MS);
			}
		}
	});
});

describe('nextLookPause at its boundaries', () => {
	it("a window's edges: a job that ends a millisecond before, at, or after either edge keeps every bound", () => {
		const all = [...corners, ...windows];
		expect(all.flatMap((expected) => edgesOf(expected).flatMap((doneAt) => boundFaults(expected, doneAt)))).toEqual([]);
	});

	it("the 2× cap: at each of today's look times and a millisecond either side, no pause is longer than twice today's, nor ends over 2 s after the first look", () => {
		const faults: string[] = [];
		for (const expected of [...corners, ...windows]) {
			for (const elapsed of [0, ...todaysLookTimes.flatMap((at) => [at - 1, at, at + 1])]) {
				for (const looks of [0, todaysLooksUntil(elapsed), 30]) {
					const pause = nextLookPause(looks, elapsed, expected);
					const at = `${JSON.stringify(expected)}, ${looks} looks, ${pause} ms at ${elapsed}`;
					if (pause > 2 * todaysPauseAt(elapsed)) faults.push(`over twice today's: ${at}`);
					if (elapsed < FIRST_LOOK_MS && elapsed + pause > FIRST_LOOK_MS + 2000) faults.push(`over 2 s after the first look: ${at}`);
					if (pause < MIN_LOOK_PAUSE_MS) faults.push(`under 1 s: ${at}`);
				}
			}
		}
		expect(faults).toEqual([]);
		// the cap binds: before a far window every pause is the longest allowed
		expect(longestPause(FIRST_LOOK_MS - 1)).toBe(2000);
		expect(longestPause(1e6)).toBe(2 * MAX_LOOK_INTERVAL_MS);
	});

	it('one sample: a window of no width (every job ended alike) keeps every bound, and a job that ends there is seen there', () => {
		const points = corners.filter((window) => window.from === window.to);
		expect(points).toHaveLength(2);
		const draws = new Draws(5);
		for (const expected of [...points, { from: 21_000, to: 21_000 }]) {
			expect([expected.to, ...edgesOf(expected), ...draws.ends(10)].flatMap((doneAt) => boundFaults(expected, doneAt))).toEqual([]);
			expect(learntLooks(expected, expected.to).lag).toBe(0);
		}
	});

	it('spread: the widest windows (±40 %) at 3 s and at 2 min take on average no more looks than today', () => {
		const draws = new Draws(6);
		for (const expected of corners.filter((window) => window.to > window.from)) {
			const jobs = inWindow(expected, draws.endsWithin(expected, 24));
			expect(jobs.looks).toBeLessThanOrEqual(jobs.todaysLooks);
			expect(median(jobs.learnt.map((job) => job.lag))).toBeLessThanOrEqual(Math.max(600, median(jobs.today.map((job) => job.lag))));
		}
	});
});
