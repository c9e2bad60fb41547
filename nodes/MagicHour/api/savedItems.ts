/**
 * GET /v1/saved-items (free): what the user saved in Magic Hour (voices, characters, references, …),
 * newest first, a page at a time. A saved voice's audio is a durable file in Magic Hour's storage,
 * which the voice cloner takes as its sample without an upload.
 */
import { transportError } from '../errors';
import { apiRequest } from '../transport';
import type { ApiContext, MagicHourConnection } from '../transport';

export const SAVED_ITEMS_PATH = '/v1/saved-items';
/** The most items one page may hold, as the API allows. */
export const PAGE_LIMIT = 100;
/** A list longer than this many pages is taken for a cursor that never ends. */
const MAX_PAGES = 1000;

export interface SavedAsset {
	file_path?: unknown;
	is_primary?: unknown;
	media_kind?: unknown;
	[key: string]: unknown;
}

/** One saved item, as far as the node reads it. */
export interface SavedItem {
	id: string;
	name: string | null;
	type: string;
	assets: SavedAsset[];
}

export interface SavedItemsPage {
	items: SavedItem[];
	/** The cursor of the next page; none after the last one. */
	nextCursor?: string;
}

/** Who asks: a run (its session), or the editor filling in the list of saved voices. */
export interface Caller {
	ctx: ApiContext;
	connection: MagicHourConnection;
}

function readItem(raw: unknown): SavedItem | undefined {
	if (typeof raw !== 'object' || raw === null) return undefined;
	const { id, name, type, assets } = raw as Record<string, unknown>;
	if (typeof id !== 'string' || id === '') return undefined;
	return {
		id,
		name: typeof name === 'string' && name.trim() !== '' ? name : null,
		type: typeof type === 'string' ? type : '',
		assets: Array.isArray(assets) ? assets.filter((asset): asset is SavedAsset => typeof asset === 'object' && asset !== null) : [],
	};
}

/** One page of the voices the user saved (`type=voice`), from `cursor` on. */
export async function savedVoicesPage(
	caller: Caller,
	page: { cursor?: string; itemIndex: number; deadline?: number },
): Promise<SavedItemsPage> {
	const query = new URLSearchParams({ type: 'voice', limit: String(PAGE_LIMIT) });
	if (page.cursor) query.set('cursor', page.cursor);
	const answer = await apiRequest<{ items?: unknown; next_cursor?: unknown } | undefined>(caller.ctx, caller.connection, {
		method: 'GET',
		path: `${SAVED_ITEMS_PATH}?${query.toString()}`,
		itemIndex: page.itemIndex,
		deadline: page.deadline,
	});
	if (!Array.isArray(answer?.items)) {
		throw transportError(caller.ctx.getNode(), {
			message: 'Magic Hour answered the list of saved voices without its items',
			description: 'Nothing was paid. Try again in a few minutes; if this repeats, contact Magic Hour support.',
			itemIndex: page.itemIndex,
			code: 'malformed_response',
		});
	}
	const items = answer.items.map(readItem).filter((item): item is SavedItem => item !== undefined);
	const next = answer.next_cursor;
	return { items, nextCursor: typeof next === 'string' && next !== '' ? next : undefined };
}

/** Only voices: the API is asked for them, and anything else it sends is left out all the same. */
export function isVoice(item: SavedItem): boolean {
	return item.type.toLowerCase() === 'voice';
}

/** The file Magic Hour reads a saved voice from: its audio asset, the primary one where it has several. */
export function voiceAudioPath(item: SavedItem): string | undefined {
	const audio = item.assets.filter(
		(asset) => String(asset.media_kind).toUpperCase() === 'AUDIO' && typeof asset.file_path === 'string' && asset.file_path !== '',
	);
	const chosen = audio.find((asset) => asset.is_primary === true) ?? audio[0];
	return chosen?.file_path as string | undefined;
}

/**
 * Reads pages from `cursor` on until `enough(voices so far)` or the last page, and returns the
 * voices and where the next unread page starts. Whole pages are read, so nothing is skipped or
 * given twice when the reading goes on from that cursor.
 */
export async function readSavedVoices(
	caller: Caller,
	options: { cursor?: string; itemIndex: number; deadline?: number; keep?: (item: SavedItem) => boolean; enough?: (count: number) => boolean },
): Promise<SavedItemsPage> {
	const keep = options.keep ?? (() => true);
	const voices: SavedItem[] = [];
	const seen = new Set<string>();
	let cursor = options.cursor;
	for (let pages = 0; ; pages++) {
		if (pages >= MAX_PAGES || (cursor !== undefined && seen.has(cursor))) {
			throw transportError(caller.ctx.getNode(), {
				message: 'Magic Hour\'s list of saved voices does not come to an end',
				description: 'Nothing was paid. Give the voice By ID, or try again later; if this repeats, contact Magic Hour support.',
				itemIndex: options.itemIndex,
				code: 'endless_list',
			});
		}
		if (cursor !== undefined) seen.add(cursor);
		const page = await savedVoicesPage(caller, { cursor, itemIndex: options.itemIndex, deadline: options.deadline });
		voices.push(...page.items.filter((item) => isVoice(item) && keep(item)));
		cursor = page.nextCursor;
		if (cursor === undefined || options.enough?.(voices.length)) return { items: voices, nextCursor: cursor };
	}
}
