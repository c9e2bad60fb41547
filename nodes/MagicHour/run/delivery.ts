/**
 * A job after its create: wait for it, fail the item if it failed, download its audio, and delete
 * it from Magic Hour once the audio is in n8n. A single clone, each part of a long text and Get
 * Audio Project all go this way.
 */
import type { IDataObject } from 'n8n-workflow';

import { deleteAudioProject } from '../api/audioProjects';
import type { AudioProject } from '../api/audioProjects';
import type { Session } from '../api/session';
import type { DeliverySettings } from '../input/settings';
import { downloadAudio } from '../output/binaryOutput';
import type { Keep } from '../output/binaryOutput';
import { forEachInFlight } from './inFlight';
import { assertComplete, waitForProject } from './polling';
import type { RenderWatch } from './renderTimes';

/** How far one job got; filled in as it goes, so that a failure still tells what was paid. */
export interface JobState<T> {
	id?: string;
	creditsCharged?: number;
	/** A project status, or "not sent" / "failed" while no job is known. */
	status: string;
	project?: AudioProject;
	/** The downloaded audio, kept where `keep` put it. */
	audio?: T;
}

export interface Delivery<T> {
	settings: DeliverySettings;
	itemIndex: number;
	deadline: number;
	keep: Keep<T>;
	/** A project already fetched (Get), so the first look can be skipped. */
	known?: AudioProject;
	/** Ends the wait, and skips what has not started, once fired (a long text's failed part). */
	stop?: AbortSignal;
	/** A clone job: its looks follow, and teach, the run's render times (see polling.ts). */
	watch?: RenderWatch;
}

function seen<T>(state: JobState<T>, project: AudioProject): void {
	Object.assign(state, { project, status: project.status, creditsCharged: project.credits_charged });
}

/** Waits for the job of `state` and downloads its audio, as far as the settings ask. */
export async function deliverJob<T>(session: Session, state: JobState<T>, delivery: Delivery<T>): Promise<void> {
	const { settings, itemIndex, deadline, stop } = delivery;
	const stopped = () => stop?.aborted === true;
	if (!settings.wait || stopped()) return;
	const project = await waitForProject(session, {
		projectId: state.id as string,
		itemIndex,
		deadline,
		timeoutSeconds: settings.timeoutSeconds,
		known: delivery.known,
		stop,
		watch: delivery.watch,
	});
	seen(state, project);
	assertComplete(session, project, itemIndex);
	if (!settings.download || stopped()) return;
	const downloaded = await downloadAudio(
		session,
		project,
		{ itemIndex, deadline, timeoutSeconds: settings.timeoutSeconds, maxBytes: settings.maxBytes },
		delivery.keep,
	);
	seen(state, downloaded.project);
	state.audio = downloaded.kept;
}

/**
 * Deletes projects whose audio is already in n8n ("Delete After Download"). A failed delete is
 * reported on the item, not thrown, so the paid result is not lost. `label` names a long text's part.
 */
export async function deleteDelivered(
	session: Session,
	jobs: Array<{ id: string; label?: string }>,
	itemIndex: number,
	deadline: number,
): Promise<IDataObject> {
	const problems: string[] = [];
	await forEachInFlight(jobs.length, jobs.length, async (index) => {
		const { id, label } = jobs[index];
		try {
			await deleteAudioProject(session, id, itemIndex, deadline);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			problems[index] = label ? `${label}: ${message}` : message;
		}
	});
	const failures = problems.filter(Boolean);
	return failures.length ? { deleted: false, delete_error: failures.join('; ') } : { deleted: true };
}
