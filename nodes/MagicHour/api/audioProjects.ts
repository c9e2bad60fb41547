import type { IDataObject } from 'n8n-workflow';

import { apiRequest } from '../transport';
import type { Session } from './session';

export type ProjectStatus = 'draft' | 'queued' | 'rendering' | 'complete' | 'error' | 'canceled';

/** The answer of GET /v1/audio-projects/{id}, and the payload of Magic Hour's audio events. */
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

export function isTerminal(project: AudioProject): boolean {
	return TERMINAL.has(project.status);
}

function projectPath(projectId: string): string {
	return `/v1/audio-projects/${encodeURIComponent(projectId)}`;
}

/** GET /v1/audio-projects/{id} (free): the project's status, charge and download links. */
export async function getAudioProject(
	session: Session,
	projectId: string,
	itemIndex: number,
	deadline?: number,
): Promise<AudioProject> {
	const project = await apiRequest<AudioProject>(session.ctx, session.connection, {
		method: 'GET',
		path: projectPath(projectId),
		itemIndex,
		projectId,
		deadline,
		whenLate: session.advice.collectLater(projectId),
	});
	if (typeof project?.status === 'string') session.paidJobs.seen(projectId, project.status, project.credits_charged);
	return project;
}

/** DELETE /v1/audio-projects/{id} (free): removes the project's rendered files for good. */
export async function deleteAudioProject(
	session: Session,
	projectId: string,
	itemIndex: number,
	deadline?: number,
): Promise<void> {
	await apiRequest<undefined>(session.ctx, session.connection, {
		method: 'DELETE',
		path: projectPath(projectId),
		itemIndex,
		projectId,
		deadline,
		whenLate: session.advice.collectLater(projectId),
	});
}
