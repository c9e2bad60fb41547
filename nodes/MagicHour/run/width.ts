/**
 * How many jobs of one run are at work at once: the run's width. A job is one voice clone (each part of a
 * long text is one), or one project Get Audio Project waits for. It is at work from the moment it starts
 * until its audio is in n8n: for an item, that includes the check against Max Credits per Run and the
 * upload of its sample; for a part, its create, its wait and its download. Every item and every part of a
 * run takes its permit from the run's one width.
 *
 * - Concurrency set: a hard cap, the number given.
 * - Concurrency not set (automatic): 5 at first, one more for every request Magic Hour answers with
 *   success while requests do not wait over 1 s for their turn under the run's learnt pace
 *   (transport/pace.ts), and half of the jobs at work when 429s pile up. Never more than the ceiling: the run's jobs, at most
 *   MAX_JOBS_AT_WORK (MAX_JOBS_WITH_LONG_TEXTS when the run has long texts).
 *
 * Permits go to the earliest item first: the parts of an item go before any later item. A job holds one
 * permit and never waits for another (an item hands its own permit to its first part), so no wait for a
 * permit can hold up the jobs that would free one.
 */
import type { RequestPace } from '../transport';

/** Where automatic starts. */
export const START_WIDTH = 5;
/**
 * The ceiling of automatic: every single clone streams its audio to n8n's binary store, so a job in flight
 * holds a connection and, while it downloads, a file handle and a stream buffer, not its audio; 200 keeps
 * that to a few hundred handles, under the 1,024 open files many systems give a process by default.
 */
export const MAX_JOBS_AT_WORK = 200;
/**
 * The ceiling of automatic for a run with long texts: the parts of a long text are held in memory until all
 * of them are in and joined (up to a few MB of audio per part), so their number is bounded near what
 * Concurrency 5 allowed: 5 items of the default Max Characters (10,000) in 10 to 11 parts each.
 */
export const MAX_JOBS_WITH_LONG_TEXTS = 50;
/** Requests waiting longer than this for their turn: the pace, not the width, is what holds the run. */
export const QUEUED_TOO_LONG_MS = 1000;

/** One job's place at work; releasing it twice is harmless. */
export interface Permit {
	release(): void;
}

interface Waiter {
	rank: number;
	grant: (permit: Permit | undefined) => void;
}

export class Width {
	protected atWork = 0;
	private most = 0;
	private readonly waiting: Waiter[] = [];

	protected constructor(protected limit: number) {}

	/** Concurrency set: never more than `concurrency` jobs at work. */
	static fixed(concurrency: number): Width {
		return new Width(concurrency);
	}

	/** Concurrency not set: learns from the answers that `pace` hears (see the top of this file). */
	static automatic(jobs: { count: number; longTexts: boolean }, pace: RequestPace): Width {
		const bound = jobs.longTexts ? MAX_JOBS_WITH_LONG_TEXTS : MAX_JOBS_AT_WORK;
		return new AutomaticWidth(Math.max(1, Math.min(jobs.count, bound)), pace);
	}

	/** How many jobs may be at work now. */
	get allowed(): number {
		return this.limit;
	}

	/** The most jobs that were at work at once. */
	get mostAtWork(): number {
		return this.most;
	}

	/**
	 * A permit for a job of the item `rank` (its index): at once when one is free, else when the jobs of
	 * earlier items have had theirs. Undefined when `signal` fires first.
	 */
	async acquire(rank: number, signal?: AbortSignal): Promise<Permit | undefined> {
		if (signal?.aborted) return undefined;
		if (this.atWork < this.limit && this.waiting.length === 0) return this.take();
		return await new Promise<Permit | undefined>((resolve) => {
			const withdraw = () => {
				const at = this.waiting.indexOf(waiter);
				if (at >= 0) this.waiting.splice(at, 1);
				resolve(undefined);
			};
			const waiter: Waiter = {
				rank,
				grant: (permit) => {
					signal?.removeEventListener('abort', withdraw);
					resolve(permit);
				},
			};
			const after = this.waiting.findIndex((other) => other.rank > rank);
			this.waiting.splice(after < 0 ? this.waiting.length : after, 0, waiter);
			signal?.addEventListener('abort', withdraw, { once: true });
		});
	}

	/** Hands out the permits there is room for, earliest item first. */
	protected grant(): void {
		while (this.atWork < this.limit && this.waiting.length > 0) this.waiting.shift()!.grant(this.take());
	}

	private take(): Permit {
		this.atWork++;
		this.most = Math.max(this.most, this.atWork);
		let held = true;
		return {
			release: () => {
				if (!held) return;
				held = false;
				this.atWork--;
				this.grant();
			},
		};
	}
}

class AutomaticWidth extends Width {
	constructor(
		private readonly ceiling: number,
		pace: RequestPace,
	) {
		super(Math.min(START_WIDTH, ceiling));
		pace.listen(({ succeeded, lowered }) => {
			if (lowered) this.halve();
			else if (succeeded && pace.backlogMs() <= QUEUED_TOO_LONG_MS) this.raise();
		});
	}

	private raise(): void {
		if (this.limit >= this.ceiling) return;
		this.limit++;
		this.grant();
	}

	private halve(): void {
		this.limit = Math.max(1, Math.floor(Math.min(this.limit, this.atWork) / 2));
	}
}

/**
 * Runs `work(index, permit)` for the indexes 0 … count − 1, in order, each once `acquire` gave it a permit
 * (`first`: the permit of index 0, when the caller holds one already). Starts nothing more once
 * `shouldStop()` says so or no permit came (the wait was stopped); waits for what was started. A permit is
 * released when its work ends, if the work did not release it before.
 */
export async function forEachWithPermit(
	count: number,
	acquire: (index: number) => Promise<Permit | undefined>,
	work: (index: number, permit: Permit) => Promise<void>,
	shouldStop: () => boolean,
	first?: Permit,
): Promise<void> {
	const started: Array<Promise<void>> = [];
	let permit = first;
	for (let index = 0; index < count; index++) {
		permit ??= await acquire(index);
		if (!permit || shouldStop()) break;
		const held = permit;
		started.push(work(index, held).finally(() => held.release()));
		permit = undefined;
	}
	permit?.release();
	await Promise.all(started);
}
