import {
	FIRST_LOOK_MS,
	MAX_LOOK_INTERVAL_MS,
	pollInterval,
} from '../../../../nodes/MagicHour/run/polling';

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
