import { forEachInFlight } from '../../../../nodes/MagicHour/run/inFlight';

/** Work that records when each index starts and finishes, and how many run at once. */
function recorder(durationMs: (index: number) => number = () => 5) {
	const started: number[] = [];
	const finished: number[] = [];
	let running = 0;
	let mostAtOnce = 0;
	const work = async (index: number) => {
		started.push(index);
		running++;
		mostAtOnce = Math.max(mostAtOnce, running);
		await new Promise((resolve) => setTimeout(resolve, durationMs(index)));
		running--;
		finished.push(index);
	};
	return { work, started, finished, mostAtOnce: () => mostAtOnce };
}

describe('forEachInFlight: items worked on side by side', () => {
	it.each([
		[10, 3],
		[10, 1],
		[4, 10],
	])('runs %i items with at most %i at once', async (count, limit) => {
		const run = recorder((index) => 2 + ((index * 7) % 5));
		await forEachInFlight(count, limit, run.work);
		expect(run.mostAtOnce()).toBe(Math.min(count, limit));
		expect([...run.finished].sort((a, b) => a - b)).toEqual([...Array(count).keys()]);
	});

	it('runs every index exactly once', async () => {
		const run = recorder();
		await forEachInFlight(7, 2, run.work);
		expect(run.started).toHaveLength(7);
		expect(new Set(run.started).size).toBe(7);
	});

	it('starts items in index order', async () => {
		const run = recorder((index) => (index % 2 === 0 ? 9 : 1));
		await forEachInFlight(8, 3, run.work);
		expect(run.started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
	});

	it('does nothing for no items', async () => {
		const run = recorder();
		await forEachInFlight(0, 5, run.work);
		expect(run.started).toEqual([]);
	});

	it('starts no new item once told to stop, but lets the running ones finish', async () => {
		const run = recorder();
		let stop = false;
		await forEachInFlight(
			10,
			2,
			async (index) => {
				await run.work(index);
				if (index === 2) stop = true;
			},
			() => stop,
		);
		expect(run.started.length).toBeLessThan(10);
		expect(run.started).toContain(2);
		expect(run.finished.sort()).toEqual(run.started.sort());
		expect(Math.max(...run.started)).toBeLessThanOrEqual(3);
	});

	it('starts nothing when told to stop before the first item', async () => {
		const run = recorder();
		await forEachInFlight(5, 2, run.work, () => true);
		expect(run.started).toEqual([]);
	});
});
