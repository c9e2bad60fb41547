import { MIN_FINISHED_JOBS, REMEMBERED_JOBS, RenderTimes } from '../../../../nodes/MagicHour/run/renderTimes';
import type { FinishedJob } from '../../../../nodes/MagicHour/run/renderTimes';

/** A job of `characters` characters done at `doneAt`, seen by looks `step` ms apart around it. */
function seen(characters: number, doneAt: number, step = 1000, queuedUntil = 0): FinishedJob {
	const notDoneAt = Math.max(0, Math.floor(doneAt / step) * step - (doneAt % step === 0 ? step : 0));
	return { characters, notDoneAt, doneBy: notDoneAt + step, queuedUntil };
}

function learnt(jobs: FinishedJob[]): RenderTimes {
	const times = new RenderTimes();
	for (const job of jobs) times.record(job);
	return times;
}

/** Render time per character: 2 s plus 30 ms a character, times `factor`. */
const renderOf = (characters: number, factor = 1) => (2000 + 30 * characters) * factor;

describe('RenderTimes: what a run learns from its completed jobs', () => {
	it(`expects nothing before ${MIN_FINISHED_JOBS} jobs completed`, () => {
		const times = new RenderTimes();
		for (let count = 0; count < MIN_FINISHED_JOBS; count++) {
			expect(times.expectedEnd(100)).toBeUndefined();
			times.record(seen(100 + count * 50, renderOf(100 + count * 50)));
		}
		expect(times.expectedEnd(100)).toBeDefined();
	});

	it.each([
		[[0.9, 1.1, 1, 0.95, 1.05]],
		[[0.7, 1.3, 1.12, 0.81, 0.99, 1.24, 0.75]],
		[[1, 1, 1]],
	])('expects a job where jobs of its length ended, in proportion to the time per character (factors %j)', (factors) => {
		const lengths = [80, 400, 250, 900, 600, 150, 700];
		const jobs = factors.map((factor, index) => seen(lengths[index], renderOf(lengths[index], factor)));
		const times = learnt(jobs);
		// every job seen fits the window of its own length
		for (const job of jobs) {
			const window = times.expectedEnd(job.characters)!;
			expect(window.from).toBeLessThanOrEqual(job.doneBy);
			expect(window.to).toBeGreaterThanOrEqual(job.doneBy);
		}
		// other lengths among those seen: the window moves with the length and holds the spread (within a tenth)
		for (const characters of [100, 300, 800]) {
			const window = times.expectedEnd(characters)!;
			expect(window.from).toBeLessThanOrEqual(1.1 * renderOf(characters, Math.min(...factors)));
			expect(window.to).toBeGreaterThanOrEqual(0.9 * renderOf(characters, Math.max(...factors)));
			expect(window.to).toBeLessThan(renderOf(characters, 3));
		}
		expect(times.expectedEnd(1000)!.from).toBeGreaterThan(times.expectedEnd(50)!.to);
	});

	it('widens the spread of few jobs: three show less of it than twenty', () => {
		const factors = [0.75, 1.25, 1, 0.85, 1.15, 0.95, 1.05, 0.8, 1.2, 0.9, 1.1, 0.78, 1.22, 0.88, 1.12, 0.98, 1.02, 0.83, 1.17, 0.93];
		const jobs = factors.map((factor, index) => seen(500, renderOf(500, factor), 100));
		const width = (count: number) => {
			const window = learnt(jobs.slice(0, count)).expectedEnd(500)!;
			return window.to - window.from;
		};
		const spreadSeen = renderOf(500, 1.25) - renderOf(500, 0.75);
		expect(width(3)).toBeGreaterThan(1.9 * spreadSeen);
		expect(width(20)).toBeGreaterThanOrEqual(spreadSeen);
		expect(width(20)).toBeLessThan(1.2 * spreadSeen);
	});

	it('ends the window no earlier than the look that saw every job done when they all ended alike', () => {
		const jobs = [1, 2, 3, 4].map(() => ({ characters: 40, notDoneAt: 2000, doneBy: 3000, queuedUntil: 0 }));
		expect(learnt(jobs).expectedEnd(40)).toEqual({ from: 2500, to: 3000 });
	});

	it('moves the window of a job still queued later than any completed job was', () => {
		const times = learnt([100, 300, 500, 700].map((characters) => seen(characters, renderOf(characters), 1000, 1500)));
		const window = times.expectedEnd(300)!;
		expect(times.expectedEnd(300, 1000)).toEqual(window);
		expect(times.expectedEnd(300, 9500)).toEqual({ from: window.from + 8000, to: window.to + 8000 });
	});

	it(`follows a service that slows down: only the latest ${REMEMBERED_JOBS} jobs count`, () => {
		const times = learnt(Array.from({ length: REMEMBERED_JOBS }, (_, index) => seen(100 + index * 40, renderOf(100 + index * 40))));
		const before = times.expectedEnd(500)!;
		for (let index = 0; index < REMEMBERED_JOBS; index++) times.record(seen(100 + index * 40, renderOf(100 + index * 40, 3)));
		const after = times.expectedEnd(500)!;
		expect(after.from).toBeGreaterThan(2.5 * before.from);
		expect(after.to).toBeLessThan(3.5 * before.to);
	});

	it('expects nothing beyond a day', () => {
		const times = learnt([10, 11, 12].map((characters) => seen(characters, 60_000 * characters)));
		expect(times.expectedEnd(20)).toBeDefined();
		expect(times.expectedEnd(100_000)).toBeUndefined();
	});
});

describe('RenderWatch: the looks at one job', () => {
	it('teaches the run when the job completes: done after its last unfinished look, by its done-look', () => {
		const times = new RenderTimes();
		const watches = [120, 480, 900].map((characters) => times.watch(characters));
		for (const watch of watches) {
			watch.saw('queued', 2000);
			watch.saw('rendering', 3000);
		}
		watches[0].saw('complete', 4500);
		watches[1].saw('rendering', 9000);
		watches[1].saw('complete', 12_000);
		expect(watches[2].expectedEnd()).toBeUndefined();
		watches[2].saw('complete', 20_000);
		// three jobs: 120 → (3, 4.5], 480 → (9, 12], 900 → (3, 20]
		const window = times.watch(480).expectedEnd()!;
		expect(window.from).toBeLessThan(10_500);
		expect(window.to).toBeGreaterThanOrEqual(12_000);
	});

	it('makes scouts of the first jobs only when told how many: the jobs after them look sparsely until the run has learnt', () => {
		const automatic = new RenderTimes(5);
		expect(Array.from({ length: 8 }, () => automatic.watch(100).scout)).toEqual([true, true, true, true, true, false, false, false]);
		const fixed = new RenderTimes();
		expect(Array.from({ length: 8 }, () => fixed.watch(100).scout).every(Boolean)).toBe(true);
	});

	it('learns nothing from jobs that failed or were canceled', () => {
		const times = new RenderTimes();
		for (const [index, end] of ['error', 'canceled', 'error', 'canceled', 'error', 'canceled'].entries()) {
			const watch = times.watch(100 * (index + 1));
			watch.saw('rendering', 2000);
			watch.saw(end, 3000);
		}
		expect(times.watch(100).expectedEnd()).toBeUndefined();
	});

	it('moves its own window while the job stays queued', () => {
		const times = learnt([100, 300, 500].map((characters) => seen(characters, renderOf(characters), 1000, 2000)));
		const watch = times.watch(300);
		const window = watch.expectedEnd()!;
		watch.saw('queued', 2000);
		expect(watch.expectedEnd()).toEqual(window);
		watch.saw('queued', 30_000);
		expect(watch.expectedEnd()!.from).toBe(window.from + 28_000);
	});
});
