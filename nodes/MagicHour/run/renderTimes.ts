/**
 * What one run learns about Magic Hour's render times from its own jobs that completed: how long
 * after its create a job of so many characters is seen done, and how much that varies from job to
 * job. The poll schedule (polling.ts) uses it to look closely only around a job's expected end.
 *
 * Times are those of the node's looks, in ms after the create was answered: a completed job was
 * done after the last look that saw it unfinished and by the first look that saw it complete.
 */

/** One completed job, as the looks at it saw it. */
export interface FinishedJob {
	characters: number;
	/** When the last look that saw it unfinished was sent (0 when the first look saw it done). */
	notDoneAt: number;
	/** When the first look that saw it complete was sent. */
	doneBy: number;
	/** When the last look that saw it still queued was sent (0 when none did). */
	queuedUntil: number;
}

/** When a job is expected done, in ms after its create: no earlier than `from`, no later than `to`. */
export interface ExpectedEnd {
	from: number;
	to: number;
}

/** With fewer completed jobs nothing is expected: two say nothing about how much jobs vary. */
export const MIN_FINISHED_JOBS = 3;
/** Only the latest jobs count, so that the model follows Magic Hour getting faster or slower during a long run. */
export const REMEMBERED_JOBS = 20;
/** A prediction beyond a day is no prediction: the schedule then stays today's. */
const LONGEST_EXPECTED_MS = 24 * 3600 * 1000;

/** The middle of what a job's looks say about its end. */
const middle = (job: FinishedJob) => (job.notDoneAt + job.doneBy) / 2;

/**
 * Time after the create as a line in the characters, fitted to the jobs by least squares, with a
 * fixed part and a time per character that are never negative. Jobs all of one length: time in
 * proportion to the length.
 */
function fitTimePerCharacter(jobs: FinishedJob[]): (characters: number) => number {
	const meanCharacters = jobs.reduce((sum, job) => sum + job.characters, 0) / jobs.length;
	const meanTime = jobs.reduce((sum, job) => sum + middle(job), 0) / jobs.length;
	let spread = 0;
	let together = 0;
	for (const job of jobs) {
		spread += (job.characters - meanCharacters) ** 2;
		together += (job.characters - meanCharacters) * (middle(job) - meanTime);
	}
	let perCharacter = spread > 0 ? Math.max(0, together / spread) : meanTime / Math.max(1, meanCharacters);
	let fixed = meanTime - perCharacter * meanCharacters;
	if (fixed < 0) {
		fixed = 0;
		perCharacter =
			jobs.reduce((sum, job) => sum + job.characters * middle(job), 0) /
			Math.max(1, jobs.reduce((sum, job) => sum + job.characters ** 2, 0));
	}
	return (characters) => Math.max(1, fixed + perCharacter * characters);
}

/** The render times a run has seen: filled by the waits of its clone jobs, read by their schedules. */
export class RenderTimes {
	private readonly finished: FinishedJob[] = [];
	private watched = 0;

	/**
	 * `scouts`: how many of the run's first jobs follow today's schedule while nothing is learnt. The jobs
	 * after them, started before the run has learnt (automatic Concurrency starts many at once), look
	 * sparsely until their scouts teach it (see nextLookPause). Unlimited when Concurrency is set.
	 */
	constructor(private readonly scouts = Infinity) {}

	/** Learns from a job that completed (failed jobs say nothing about render times and are not given). */
	record(job: FinishedJob): void {
		this.finished.push(job);
		if (this.finished.length > REMEMBERED_JOBS) this.finished.shift();
	}

	/**
	 * When a job of `characters` characters is expected done, or undefined while too little is known.
	 *
	 * - The time per character comes from the fit; how far jobs stray from it, as a ratio, from the
	 *   jobs seen. A few jobs show only part of the spread (n of them cover (n − 1) / (n + 1) of a
	 *   uniform spread on average), so their range is widened by the inverse around its middle.
	 * - The window ends no earlier than the latest done-look of any job, scaled to this length: when
	 *   every job was seen done at the same look, that look is where the next one is seen too.
	 * - A job seen still queued later than any completed job was has not started rendering: its
	 *   window moves back by the difference (`queuedAt`: its latest look that saw it queued).
	 */
	expectedEnd(characters: number, queuedAt = 0): ExpectedEnd | undefined {
		const jobs = this.finished;
		const count = jobs.length;
		if (count < MIN_FINISHED_JOBS) return undefined;
		const predict = fitTimePerCharacter(jobs);
		const ratios = jobs.map((job) => middle(job) / predict(job.characters));
		const lowest = Math.min(...ratios);
		const highest = Math.max(...ratios);
		const centre = (lowest + highest) / 2;
		const half = ((highest - lowest) / 2) * ((count + 1) / (count - 1));
		const latestDone = Math.max(...jobs.map((job) => job.doneBy / predict(job.characters)));
		const queueDelay = Math.max(0, queuedAt - Math.max(...jobs.map((job) => job.queuedUntil)));
		const expected = predict(characters);
		const to = expected * Math.max(centre + half, latestDone) + queueDelay;
		if (!(to <= LONGEST_EXPECTED_MS)) return undefined;
		return { from: Math.max(0, expected * (centre - half)) + queueDelay, to };
	}

	/** Follows one job's looks: what to expect of it, and what it teaches once complete. */
	watch(characters: number): RenderWatch {
		return new RenderWatch(this, characters, this.watched++ < this.scouts);
	}
}

/** The looks at one clone job, kept to teach the run when it completes. */
export class RenderWatch {
	private notDoneAt = 0;
	private queuedUntil = 0;

	constructor(
		private readonly times: RenderTimes,
		private readonly characters: number,
		/** One of the run's first jobs: today's schedule until the run has learnt. */
		readonly scout: boolean,
	) {}

	expectedEnd(): ExpectedEnd | undefined {
		return this.times.expectedEnd(this.characters, this.queuedUntil);
	}

	/** A look sent `sentAt` ms after the create saw `status`. */
	saw(status: string, sentAt: number): void {
		if (status === 'complete') {
			const { characters, notDoneAt, queuedUntil } = this;
			this.times.record({ characters, notDoneAt, doneBy: sentAt, queuedUntil });
		} else if (status === 'queued' || status === 'rendering' || status === 'draft') {
			this.notDoneAt = sentAt;
			if (status === 'queued') this.queuedUntil = sentAt;
		}
	}
}
