import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { downloadAudio, MEGABYTE } from './binaryOutput';
import { assertComplete, waitForProject } from './polling';
import type { AudioProject } from './polling';
import { requireNumber, validatePropertyName } from './validation';
import { apiRequest } from '../transport';
import type { MagicHourConnection } from '../transport';
import { DEFAULTS } from '../actions/common.description';

/** What to do with a project once it exists: wait for it, download it, delete it. */
export interface DeliverySettings {
	wait: boolean;
	timeoutSeconds: number;
	download: boolean;
	outputProperty: string;
	deleteAfterDownload: boolean;
	maxBytes: number;
	/** An AI agent called the node: answer with short JSON, never audio bytes. */
	forAgent: boolean;
}

/**
 * An AI agent runs the node either through a supply-data context (isToolExecution) or, with the
 * newer agents, as the generated "…Tool" node type.
 */
export function isAgentRun(ctx: IExecuteFunctions): boolean {
	return (ctx.isToolExecution?.() ?? false) || ctx.getNode().type.endsWith('Tool');
}

export function readDeliverySettings(ctx: IExecuteFunctions, itemIndex: number): DeliverySettings {
	const node = ctx.getNode();
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const wait = ctx.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
	const forAgent = isAgentRun(ctx);
	const download = wait && !forAgent && options.downloadAudio !== false;
	return {
		wait,
		timeoutSeconds: requireNumber(node, itemIndex, 'Timeout (Seconds)', options.timeout ?? DEFAULTS.timeoutSeconds, {
			min: 0,
			exclusiveMin: true,
		}),
		download,
		outputProperty: download
			? validatePropertyName(node, itemIndex, 'Output Binary Field', options.outputBinaryPropertyName ?? 'data')
			: 'data',
		deleteAfterDownload: download && options.deleteAfterDownload === true,
		maxBytes:
			requireNumber(node, itemIndex, 'Max Download Size (MB)', options.maxDownloadSize ?? DEFAULTS.maxDownloadMb, {
				min: 0,
				exclusiveMin: true,
			}) * MEGABYTE,
		forAgent,
	};
}

/** The project as the API gives it, in a fixed order, plus what this node adds. */
export function projectJson(project: AudioProject, extra: IDataObject = {}): IDataObject {
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

/** The short answer an AI agent gets: no audio bytes, just what it needs to go on. */
export function agentJson(project: AudioProject, extra: IDataObject = {}): IDataObject {
	return {
		id: project.id,
		status: project.status,
		credits_charged: project.credits_charged,
		download_url: project.downloads?.[0]?.url ?? null,
		download_expires_at: project.downloads?.[0]?.expires_at ?? null,
		...extra,
	};
}

export async function deleteProject(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	projectId: string,
	itemIndex: number,
	deadline?: number,
): Promise<void> {
	await apiRequest(ctx, connection, {
		method: 'DELETE',
		path: `/v1/audio-projects/${encodeURIComponent(projectId)}`,
		itemIndex,
		projectId,
		deadline,
	});
}

/**
 * Waits for the project (when asked), downloads its audio into `outputProperty` and deletes it
 * from Magic Hour (when asked). `known` is a project already fetched.
 */
export async function deliverProject(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	request: {
		projectId: string;
		known?: AudioProject;
		settings: DeliverySettings;
		itemIndex: number;
		deadline: number;
		extra?: IDataObject;
	},
): Promise<INodeExecutionData> {
	const { projectId, settings, itemIndex, deadline, extra } = request;
	const project = await waitForProject(ctx, connection, {
		projectId,
		itemIndex,
		deadline,
		timeoutSeconds: settings.timeoutSeconds,
		known: request.known,
	});
	assertComplete(ctx, project, itemIndex);
	if (settings.forAgent) return { json: agentJson(project, extra) };
	if (!settings.download) return { json: projectJson(project, extra) };

	const { binary, project: downloaded } = await downloadAudio(ctx, connection, project, {
		itemIndex,
		deadline,
		timeoutSeconds: settings.timeoutSeconds,
		maxBytes: settings.maxBytes,
	});
	const json = projectJson(downloaded, extra);
	if (settings.deleteAfterDownload) {
		// The audio is already in n8n: a failed delete is reported on the item, not thrown,
		// so the paid result is not lost.
		try {
			await deleteProject(ctx, connection, projectId, itemIndex, deadline);
			json.deleted = true;
		} catch (error) {
			json.deleted = false;
			json.delete_error = error instanceof Error ? error.message : String(error);
		}
	}
	return { json, binary: { [settings.outputProperty]: binary } };
}
