import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiRequest, clock } from '../transport';
import type { MagicHourConnection } from '../transport';
import { keepMessage, transportError, withFailureContext } from '../transport/errors';

export type ProjectStatus = 'draft' | 'queued' | 'rendering' | 'complete' | 'error' | 'canceled';

/** GET /v1/audio-projects/{id} */
export interface AudioProject extends IDataObject {
	id: string;
	name: string | null;
	status: ProjectStatus;
	type: string;
	created_at: string;
	enabled: boolean;
	credits_charged: number;
	downloads: Array<{ url: string; expires_at: string }>;
	error: { message: string; code: string } | null;
}

const TERMINAL: ReadonlySet<string> = new Set(['complete', 'error', 'canceled']);

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

export function isTerminal(project: AudioProject): boolean {
	return TERMINAL.has(project.status);
}

export async function getProject(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	projectId: string,
	itemIndex: number,
	deadline?: number,
): Promise<AudioProject> {
	const project = await apiRequest<AudioProject>(ctx, connection, {
		method: 'GET',
		path: `/v1/audio-projects/${encodeURIComponent(projectId)}`,
		itemIndex,
		projectId,
		deadline,
	});
	if (typeof project?.status === 'string') connection.paidJobs.seen(projectId, project.status);
	return project;
}

export interface WaitOptions {
	projectId: string;
	itemIndex: number;
	/** Epoch ms when the item's timeout runs out. */
	deadline: number;
	timeoutSeconds: number;
	/** A project already fetched (Get), so the first look can be skipped. */
	known?: AudioProject;
}

/** Looks at the project until it is complete, failed or canceled, or until the deadline. */
export async function waitForProject(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	options: WaitOptions,
): Promise<AudioProject> {
	const { projectId, itemIndex, deadline } = options;
	let project = options.known;
	const notFinished = () =>
		transportError(ctx.getNode(), {
			message: `Magic Hour had not finished after ${options.timeoutSeconds} s (status: ${project?.status ?? 'unknown'})`,
			description: `The job keeps rendering and is already paid for. Later, run this node with the operation "Get Audio Project" and Project ID ${projectId} to collect the audio: that costs nothing. To wait longer next time, raise "Timeout" in the options.`,
			itemIndex,
			projectId,
			code: 'timeout',
		});
	for (let look = 0; !project || !isTerminal(project); look++) {
		const remaining = deadline - clock().now();
		if (remaining <= 0) throw notFinished();
		await clock().sleep(Math.min(pollInterval(look), remaining), connection.signal);
		// A look sent at the deadline would be cut off at once: the last one comes before it.
		if (clock().now() >= deadline) throw notFinished();
		project = await getProject(ctx, connection, projectId, itemIndex, deadline);
	}
	return project;
}

/** Fails the item when the project ended in error or was canceled. */
export function assertComplete(ctx: IExecuteFunctions, project: AudioProject, itemIndex: number): void {
	if (project.status === 'complete') return;
	const failed = project.status === 'error';
	const message = failed
		? `Magic Hour could not render the audio: ${project.error?.message ?? 'no reason given'}${project.error?.code ? ` [${project.error.code}]` : ''} (project ${project.id})`
		: `The Magic Hour job was canceled (project ${project.id})`;
	const description = failed
		? 'Credits for a failed job are refunded by Magic Hour. Check the sample (10 to 30 s of clear speech by one speaker) and the text, then run the item again.'
		: 'Someone canceled the job in Magic Hour. Run the item again to create a new one.';
	const error = new NodeApiError(
		ctx.getNode(),
		{ message, code: project.error?.code ?? project.status },
		{ message, description, itemIndex },
	);
	throw withFailureContext(keepMessage(error, message), {
		projectId: project.id,
		errorCode: project.error?.code ?? project.status,
	});
}
