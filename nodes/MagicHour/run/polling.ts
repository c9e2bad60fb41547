import { getAudioProject, isTerminal } from '../api/audioProjects';
import type { AudioProject } from '../api/audioProjects';
import type { Session } from '../api/session';
import { jobFailed, transportError } from '../errors';

export const FIRST_LOOK_MS = 2000;
export const MAX_LOOK_INTERVAL_MS = 15_000;
const SECOND_LOOK_MS = 1000;
const INTERVAL_GROWTH = 1.5;

/**
 * Pause before look number `look` (0-based): 2 s, then 1 s, 1.5 s, 2.25 s, … growing by half up to
 * 15 s, so looks fall at 2, 3, 4.5, 6.75, 10.1, 15.2, 22.8 s … Short renders (about 3 s) are seen
 * done a second after they finish, long ones cost few looks. Looks are free but rate limited.
 */
export function pollInterval(look: number): number {
	if (look === 0) return FIRST_LOOK_MS;
	return Math.min(MAX_LOOK_INTERVAL_MS, Math.floor(SECOND_LOOK_MS * INTERVAL_GROWTH ** (look - 1)));
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
}

/** Looks at the project until it is complete, failed or canceled, or until the deadline. */
export async function waitForProject(session: Session, options: WaitOptions): Promise<AudioProject> {
	const { projectId, itemIndex, deadline } = options;
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
	for (let look = 0; !project || !isTerminal(project); look++) {
		const remaining = deadline - clock.now();
		if (remaining <= 0) throw notFinished();
		await clock.sleep(Math.min(pollInterval(look), remaining), pause);
		// A look sent at the deadline would be cut off at once: the last one comes before it.
		if (clock.now() >= deadline) throw notFinished();
		project = await getAudioProject(session, projectId, itemIndex, deadline);
	}
	return project;
}

/** Fails the item when the project ended in error or was canceled. */
export function assertComplete(session: Session, project: AudioProject, itemIndex: number): void {
	if (project.status !== 'complete') throw jobFailed(session.ctx.getNode(), project, itemIndex);
}
