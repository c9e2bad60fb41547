/**
 * The Saved Voice field of Clone Voice: a voice the user saved in Magic Hour, picked by name from a
 * list the editor fills in (searchSavedVoices, free) or given by its id, as an expression or an AI
 * agent gives it.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult, INodeProperties } from 'n8n-workflow';

import { readSavedVoices, voiceAudioPath } from '../api/savedItems';
import type { SavedItem } from '../api/savedItems';
import { maskError } from '../errors';
import { DEFAULTS } from '../input/settings';
import { connect } from '../transport';

export const savedVoiceSource = {
	name: 'Saved Voice',
	value: 'savedVoice',
	description: 'A voice saved in your Magic Hour library, picked by name or given by its ID. Nothing is uploaded.',
};

export const savedVoiceProperty: INodeProperties = {
	displayName: 'Saved Voice',
	name: 'savedVoice',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A voice saved in the Magic Hour account of the credential. The node sends its audio file.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a saved voice…',
			typeOptions: { searchListMethod: 'searchSavedVoices', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. cm0abc123…',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[A-Za-z0-9_-]{1,128}$',
						errorMessage: 'A saved voice\'s ID has only letters, digits, "-" and "_"',
					},
				},
			],
		},
	],
	displayOptions: { show: { audioSource: ['savedVoice'] } },
};

/** At least this many voices per answer (or all that are left): n8n's list asks for more only when scrolled to its end. */
const ENOUGH_FOR_A_LIST = 20;
/** How long the editor's list may take in all, retries included. */
const LIST_DEADLINE_MS = DEFAULTS.requestTimeoutSeconds * 1000;

function shownName(voice: SavedItem): string {
	const name = voice.name ?? `Unnamed voice (${voice.id})`;
	return voiceAudioPath(voice) ? name : `${name} (no audio file)`;
}

/**
 * The editor's list of saved voices, newest first, `filter` matched against their names here (the
 * API has no search). Each answer reads whole pages of Magic Hour's list from `paginationToken` on,
 * until it has enough voices for the list or none are left, and hands on where the next page starts.
 */
export async function searchSavedVoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const connection = await connect(this, { itemIndex: 0, requestTimeoutMs: LIST_DEADLINE_MS });
	const wanted = (filter ?? '').trim().toLowerCase();
	try {
		const page = await readSavedVoices(
			{ ctx: this, connection },
			{
				cursor: paginationToken || undefined,
				itemIndex: 0,
				deadline: connection.clock.now() + LIST_DEADLINE_MS,
				keep: (voice) => shownName(voice).toLowerCase().includes(wanted),
				enough: (count) => count >= ENOUGH_FOR_A_LIST,
			},
		);
		return {
			results: page.items.map((voice) => ({ name: shownName(voice), value: voice.id })),
			paginationToken: page.nextCursor,
		};
	} catch (error) {
		throw maskError(error as Error, connection.secret);
	}
}
