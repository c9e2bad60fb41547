import type { IDataObject } from 'n8n-workflow';

import type { AudioProject } from '../api/audioProjects';
import { libraryUrl } from '../input/libraryUrl';

/**
 * The library link of a project's audio once it is complete and not deleted: Clone Voice takes it
 * as a sample (Audio URL) without an upload. Null before, and for a failed or deleted project.
 */
export function libraryUrlOf(project: { id?: string; status?: string; enabled?: boolean } | undefined): string | null {
	if (!project?.id || project.status !== 'complete' || project.enabled === false) return null;
	return libraryUrl(project.id);
}

/** An item whose projects "Delete After Download" removed: their library links lead nowhere any more. */
export function withoutDeletedLink(json: IDataObject): IDataObject {
	if (json.deleted !== true) return json;
	const withoutLink = (part: unknown) => (typeof part === 'object' && part !== null ? { ...part, library_url: null } : part);
	return {
		...json,
		...('library_url' in json ? { library_url: null } : {}),
		...(Array.isArray(json.parts) ? { parts: json.parts.map(withoutLink) } : {}),
	} as IDataObject;
}

/**
 * How an output item shows a project: `plain`, the project as Get Audio Project gives it, in a
 * fixed order (the trigger uses the same field names); `agent`, the short answer an AI agent gets,
 * with one download link and never audio bytes. `extra` is what the operation adds.
 */
export function projectJson(project: AudioProject, shape: 'plain' | 'agent', extra: IDataObject = {}): IDataObject {
	if (shape === 'agent') {
		return { id: project.id, status: project.status, credits_charged: project.credits_charged, ...linkOf(project), ...extra };
	}
	return {
		id: project.id,
		status: project.status,
		type: project.type,
		name: project.name,
		created_at: project.created_at,
		credits_charged: project.credits_charged,
		downloads: project.downloads ?? [],
		...(project.error ? { error_details: project.error } : {}),
		...extra,
	};
}

/** One part of a long text, as far as it got: no job yet, queued, or its project. */
export interface PartProgress {
	id?: string;
	characters: number;
	creditsCharged?: number;
	status: string;
	project?: AudioProject;
}

/**
 * A long text's part in its item's `parts`: its job, characters, charge and status; with its
 * `downloads` when the audio was not downloaded, or its one link for an AI agent.
 */
export function partJson(part: PartProgress, shape: 'plain' | 'downloads' | 'agent' = 'plain'): IDataObject {
	return {
		id: part.id ?? null,
		characters: part.characters,
		credits_charged: part.creditsCharged ?? null,
		status: part.status,
		library_url: libraryUrlOf(part.project),
		...(shape === 'downloads' ? { downloads: part.project?.downloads ?? [] } : {}),
		...(shape === 'agent' ? linkOf(part.project) : {}),
	};
}

/** The first download link and when it expires (null until the job is complete). */
function linkOf(project: AudioProject | undefined): IDataObject {
	return {
		download_url: project?.downloads?.[0]?.url ?? null,
		download_expires_at: project?.downloads?.[0]?.expires_at ?? null,
	};
}
