import { getAudioProject, isTerminal } from '../api/audioProjects';
import type { AudioProject } from '../api/audioProjects';
import type { Session } from '../api/session';
import { jobFailed, transportError } from '../errors';
import type { ExpectedEnd, RenderWatch } from './renderTimes';

export const FIRST_LOOK_MS = 2000;
export const MAX_LOOK_INTERVAL_MS = 15_000;
const SECOND_LOOK_MS = 1000;
const INTERVAL_GROWTH = 1.5;
/** Today's shortest pause: no job is ever looked at more often. */
export const MIN_LOOK_PAUSE_MS = 1000;
/** Looks a learnt schedule keeps in reserve, on average, for jobs that end outside their window. */
export const RESERVE_LOOKS = 0.5;

/**
 * Today's schedule, and the one used while a run has learnt nothing: pause before look number
 * `look` (0-based): 2 s, then 1 s, 1.5 s, 2.25 s, … growing by half up to 15 s, so looks fall at
 * 2, 3, 4.5, 6.75, 10.1, 15.2, 22.8 s … Short renders (about 3 s) are seen done a second after
 * they finish, long ones cost few looks. Looks are free but rate limited.
 */
export function pollInterval(look: number): number {
	if (look === 0) return FIRST_LOOK_MS;
	return Math.min(MAX_LOOK_INTERVAL_MS, Math.floor(SECOND_LOOK_MS * INTERVAL_GROWTH ** (look - 1)));
}

/** When today's schedule sends look number `look` (1 = the first), in ms after the create. */
function todaysLookAt(look: number): number {
	let at = 0;
	for (let made = 0; made < look; made++) {
		const pause = pollInterval(made);
		if (pause === MAX_LOOK_INTERVAL_MS) return at + (look - made) * pause;
		at += pause;
	}
	return at;
}

/** How many looks today's schedule takes to see a job done `doneAt` ms after its create. */
export function todaysLooksUntil(doneAt: number): number {
	let look = 1;
	while (todaysLookAt(look) < doneAt) {
		if (pollInterval(look) === MAX_LOOK_INTERVAL_MS) {
			return look + Math.ceil((doneAt - todaysLookAt(look)) / MAX_LOOK_INTERVAL_MS);
		}
		look++;
	}
	return look;
}

/** The pause of today's schedule under way `elapsed` ms after the create: how long a job done then may wait to be seen. */
export function todaysPauseAt(elapsed: number): number {
	let look = 1;
	while (todaysLookAt(look) <= elapsed && pollInterval(look - 1) < MAX_LOOK_INTERVAL_MS) look++;
	return pollInterval(look - 1);
}

/** Today's looks, on average, for a job done anywhere from `from` to `to` ms after its create. */
export function todaysMeanLooks(from: number, to: number): number {
	if (!(to > from)) return todaysLooksUntil(to);
	let sum = 0;
	for (let look = todaysLooksUntil(from); todaysLookAt(look - 1) < to; look++) {
		const overlap = Math.min(todaysLookAt(look), to) - Math.max(todaysLookAt(look - 1), from);
		if (overlap > 0) sum += look * overlap;
	}
	return sum / (to - from);
}

/** Pauses of a learnt schedule are whole tenths of a second. */
const TENTH_MS = 100;
const tenths = (ms: number) => Math.floor(ms / TENTH_MS) * TENTH_MS;

/**
 * The longest pause a learnt schedule takes `elapsed` ms after the create, so that a job done at any
 * moment of it is seen within twice the pause today's schedule is in at that moment. Today's pauses
 * only grow, but for the 1 s after its first look: a pause over that look ends by 2 s after it.
 */
export function longestPause(elapsed: number): number {
	const overFirstLook = elapsed < FIRST_LOOK_MS ? FIRST_LOOK_MS - elapsed + 2 * SECOND_LOOK_MS : Infinity;
	return tenths(Math.min(2 * todaysPauseAt(elapsed), overFirstLook));
}

/**
 * The pause before the next look at a job, `elapsed` ms after its create, `looks` looks made so far,
 * `expected` what the run has learnt about when this job will be done (run/renderTimes.ts).
 *
 * - Nothing learnt (the run's first jobs, a single item, Get Audio Project): today's schedule; but a
 *   job that is not one of the run's scouts (`scout` false: automatic Concurrency starts many jobs before
 *   its first ones end) looks sparsely, each pause as long as the bound below allows, until they teach it,
 *   and then stays a look behind today's schedule: its nth look comes no sooner than today's (n+1)th. So
 *   however many jobs start together, none takes more looks than today's schedule would.
 * - Learnt: the job is expected done between `from` and `to`. Looks before `from` find nothing, so
 *   they are sparse: each pause as long as the bound below allows. Between `from` and `to` they are
 *   close and evenly spaced, the last at `to`, so a job that ends as expected is seen about half a
 *   spacing after it ends.
 * - The spacing is what today's schedule pays for: a job ending anywhere in its window takes on
 *   average no more looks than today's schedule would for the same end, less half a look kept in
 *   reserve for jobs that end outside it. Looks this job made beyond that plan (before anything was
 *   learnt, or before its window moved) are taken from the close looks.
 * - A surprise costs little: no pause is longer than longestPause allows, so a job that ends far
 *   earlier than expected is seen within twice the pause today's schedule is in when it ends. A
 *   job still unfinished at `to` is looked at with pauses that grow with how late it is (doubling
 *   it), never longer than today's.
 * - Rate limits: never less than 1 s between looks at a job (today's shortest pause), and the next
 *   look is planned from now, so looks held back by a rate-limit pause are not caught up in a burst.
 */
export function nextLookPause(looks: number, elapsed: number, expected: ExpectedEnd | undefined, scout = true): number {
	if (!expected) return scout ? pollInterval(looks) : longestPause(elapsed);
	const { from, to } = expected;
	const sparse: number[] = [];
	for (let at = longestPause(0); at < from; at += longestPause(at)) sparse.push(at);
	const spacingWith = (extraLooks: number) => {
		const close = Math.floor(2 * (todaysMeanLooks(from, to) - RESERVE_LOOKS - sparse.length - extraLooks) - 1);
		return Math.max(MIN_LOOK_PAUSE_MS, close >= 1 ? (to - from) / close : to - from);
	};
	// Close looks fall at to, to − spacing, … down to just above from; these many come after `at`.
	const closeAfter = (at: number, spacing: number) =>
		at >= to ? 0 : Math.max(1, Math.ceil((to - Math.max(at, from)) / spacing));
	// A look due in less than a tenth of a second counts as made: pauses are rounded down to tenths.
	const now = elapsed + TENTH_MS;
	const plan = spacingWith(0);
	const beyondPlan = looks - sparse.filter((at) => at <= elapsed).length - (closeAfter(from, plan) - closeAfter(now, plan));
	const spacing = spacingWith(Math.max(0, beyondPlan));
	const ahead = closeAfter(now, spacing);
	const planned =
		ahead > 0
			? to - (ahead - 1) * spacing - elapsed
			: Math.min(todaysPauseAt(elapsed), Math.max(spacing, elapsed - to));
	// Not a scout: a look behind today's schedule (its window may have been learnt from the shortest of the
	// jobs started with it, and moves with every job that ends).
	const pause = scout ? planned : Math.max(planned, todaysLookAt(looks + 2) - elapsed);
	return Math.min(longestPause(elapsed), tenths(Math.max(MIN_LOOK_PAUSE_MS, pause)));
}

export interface WaitOptions {
	projectId: string;
	itemIndex: number;
	/** When the item's timeout runs out (see itemDeadline). */
	deadline: number;
	timeoutSeconds: number;
	/** A project already fetched (Get), so the first look can be skipped. */
	known?: AudioProject;
	/** Ends the wait early, besides the execution's Stop (a long text's failed part stops the others). */
	stop?: AbortSignal;
	/** A clone job the run learns render times from, and plans its looks by (see nextLookPause). */
	watch?: RenderWatch;
}

/** Looks at the project until it is complete, failed or canceled, or until the deadline. */
export async function waitForProject(session: Session, options: WaitOptions): Promise<AudioProject> {
	const { projectId, itemIndex, deadline, watch } = options;
	const { clock, signal } = session.connection;
	const pause = options.stop ? (signal ? AbortSignal.any([signal, options.stop]) : options.stop) : signal;
	let project = options.known;
	const notFinished = () =>
		transportError(session.ctx.getNode(), {
			message: `Magic Hour had not finished after ${options.timeoutSeconds} s (status: ${project?.status ?? 'unknown'})`,
			description: session.advice.notFinished(projectId),
			itemIndex,
			projectId,
			code: 'timeout',
		});
	const started = clock.now();
	for (let look = 0; !project || !isTerminal(project); look++) {
		const now = clock.now();
		const remaining = deadline - now;
		if (remaining <= 0) throw notFinished();
		await clock.sleep(Math.min(nextLookPause(look, now - started, watch?.expectedEnd(), watch?.scout), remaining), pause);
		// A look sent at the deadline would be cut off at once: the last one comes before it.
		const sentAt = clock.now();
		if (sentAt >= deadline) throw notFinished();
		project = await getAudioProject(session, projectId, itemIndex, deadline);
		watch?.saw(project.status, sentAt - started);
	}
	return project;
}

/** Fails the item when the project ended in error or was canceled. */
export function assertComplete(session: Session, project: AudioProject, itemIndex: number): void {
	if (project.status !== 'complete') throw jobFailed(session.ctx.getNode(), project, itemIndex);
}
