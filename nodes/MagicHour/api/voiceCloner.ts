import type { IDataObject } from 'n8n-workflow';

import { transportError, UNCERTAIN_CREATE_ADVICE } from '../errors';
import { countCharacters } from '../input/validation';
import type { VoiceStyle } from '../input/voiceStyle';
import { apiRequest } from '../transport';
import type { Session } from './session';

export interface VoiceCloneRequest {
	/** The sample as Magic Hour reads it: a public URL, a library link, or a path in Magic Hour's storage. */
	audioFilePath: string;
	prompt: string;
	/** Language and speed, each sent only when set. */
	style?: VoiceStyle;
	name?: string;
	itemIndex: number;
	deadline: number;
}

/** The answer of POST /v1/ai-voice-cloner. */
export interface CreatedJob {
	id: string;
	credits_charged: number;
}

/**
 * POST /v1/ai-voice-cloner (**paid**): the one request that costs credits. Magic Hour has no
 * idempotency key, so it is sent once; the transport repeats it only after an answer that proves
 * no job was made (see transport/retry.ts). The job is entered in the session's paid jobs.
 */
export async function createVoiceClone(session: Session, request: VoiceCloneRequest): Promise<CreatedJob> {
	const body: IDataObject = {
		assets: { audio_file_path: request.audioFilePath },
		style: { prompt: request.prompt, ...request.style },
	};
	if (request.name) body.name = request.name;
	const created = await apiRequest<{ id?: unknown; credits_charged?: unknown } | undefined>(
		session.ctx,
		session.connection,
		{
			method: 'POST',
			path: '/v1/ai-voice-cloner',
			body,
			itemIndex: request.itemIndex,
			cost: 'paid',
			deadline: request.deadline,
		},
	);
	if (typeof created?.id !== 'string' || !created.id) {
		throw transportError(session.ctx.getNode(), {
			message: 'Magic Hour accepted the request but returned no project id',
			description: UNCERTAIN_CREATE_ADVICE,
			itemIndex: request.itemIndex,
			code: 'no_project_id',
		});
	}
	const creditsCharged = typeof created.credits_charged === 'number' ? created.credits_charged : 0;
	session.paidJobs.created(created.id, request.itemIndex, { creditsCharged, characters: countCharacters(request.prompt) });
	return { id: created.id, credits_charged: created.credits_charged as number };
}
