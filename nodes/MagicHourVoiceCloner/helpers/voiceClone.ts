import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiRequest } from '../transport';
import type { MagicHourConnection } from '../transport';
import { transportError, UNCERTAIN_CREATE_ADVICE } from '../transport/errors';

export interface VoiceCloneRequest {
	/** The sample as Magic Hour reads it: a public URL or an api-assets/… path. */
	audioFilePath: string;
	prompt: string;
	name?: string;
	itemIndex: number;
	deadline: number;
}

export interface CreatedJob {
	id: string;
	credits_charged: number;
}

/**
 * POST /v1/ai-voice-cloner: the one paid request. Sent once; the transport repeats it only
 * after an answer that proves no job was made.
 */
export async function createVoiceClone(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	request: VoiceCloneRequest,
): Promise<CreatedJob> {
	const body: IDataObject = {
		assets: { audio_file_path: request.audioFilePath },
		style: { prompt: request.prompt },
	};
	if (request.name) body.name = request.name;
	const created = await apiRequest<{ id?: unknown; credits_charged?: unknown }>(ctx, connection, {
		method: 'POST',
		path: '/v1/ai-voice-cloner',
		body,
		itemIndex: request.itemIndex,
		cost: 'paid',
		deadline: request.deadline,
	});
	if (typeof created?.id !== 'string' || !created.id) {
		throw transportError(ctx.getNode(), {
			message: 'Magic Hour accepted the request but returned no project id',
			description: UNCERTAIN_CREATE_ADVICE,
			itemIndex: request.itemIndex,
			code: 'no_project_id',
		});
	}
	return { id: created.id, credits_charged: created.credits_charged as number };
}
