/**
 * Saved voices as a run uses them: the account's saved voices are read once (every page, free) the
 * first time an item names one, before anything is paid; each item then finds its voice there by id
 * and sends that voice's audio file.
 */
import type { NodeOperationError } from 'n8n-workflow';

import { readSavedVoices, voiceAudioPath } from '../api/savedItems';
import type { Caller, SavedItem } from '../api/savedItems';
import { failureOf, operationError } from '../errors';

/** The saved voices of one run, by id, once read. */
export type SavedVoices = Promise<Map<string, SavedItem>>;

/** What looking up a saved voice needs of the run (state.ts): its session with Magic Hour and the voices it read. */
type Run = Caller & { savedVoices?: SavedVoices };

const NOTHING_SENT = 'Nothing was sent for this item.';

async function readAll(run: Run, itemIndex: number): Promise<Map<string, SavedItem>> {
	const { items } = await readSavedVoices(run, { itemIndex });
	return new Map(items.map((voice) => [voice.id, voice]));
}

/** The voices of the run, read by the first item that needs them; a failed read fails every item that waited on it. */
async function savedVoicesOf(run: Run, itemIndex: number): Promise<Map<string, SavedItem>> {
	if (!run.savedVoices) {
		run.savedVoices = readAll(run, itemIndex);
		return await run.savedVoices;
	}
	try {
		return await run.savedVoices;
	} catch (error) {
		const { context, description } = failureOf(error);
		throw operationError(run.ctx.getNode(), error instanceof Error ? error.message : String(error), {
			itemIndex,
			description: `${description ? `${description} ` : ''}The saved voices are read once per run, for every item that names one.`,
			context,
		});
	}
}

function savedVoiceError(run: Run, itemIndex: number, message: string, fix: string, errorCode: string): NodeOperationError {
	return operationError(run.ctx.getNode(), `${message} [item ${itemIndex}]`, {
		itemIndex,
		description: `${fix} ${NOTHING_SENT}`,
		context: { errorCode },
	});
}

/** The audio file of the saved voice `id` (free to look up): the path Clone Voice sends as its sample. */
export async function savedVoicePath(run: Run, id: string, itemIndex: number): Promise<string> {
	const voice = (await savedVoicesOf(run, itemIndex)).get(id);
	if (!voice) {
		throw savedVoiceError(
			run,
			itemIndex,
			`"Saved Voice" "${id}" is not a voice saved in this Magic Hour account`,
			'Pick the voice from the list in "Saved Voice", which shows every voice saved in the account of the credential, or check the id: characters, references, mood boards and brand kits are not voices.',
			'saved_voice_not_found',
		);
	}
	const path = voiceAudioPath(voice);
	if (!path) {
		throw savedVoiceError(
			run,
			itemIndex,
			`The saved voice ${voice.name ? `"${voice.name}" (${id})` : id} has no audio file in Magic Hour`,
			'Open the voice in your Magic Hour library and save its recording again, or pick another voice in "Saved Voice".',
			'saved_voice_without_audio',
		);
	}
	return path;
}
