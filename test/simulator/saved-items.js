// @ts-check
'use strict';

/**
 * GET /v1/saved-items (`savedItems`): what the simulated user saved in Magic Hour, newest first: voices
 * and other kinds of items (characters, references, a mood board, a brand kit), paged by `limit` and an
 * opaque `cursor`, answering at most `savedItemsPageSize` items a page (a server may give fewer than
 * `limit`). Among the voices: one whose first audio file is not its primary one, one without an audio
 * file, one without a name. Also which storage paths of saved items the create route takes as a sample.
 */

const { iso, sendError } = require('./json');
const { respondOk } = require('./fault-answers');

/** @typedef {import('./state').State} State */
/** @typedef {import('./types').RequestRecord} RequestRecord */
/** @typedef {import('./types').SavedItem} SavedItem */

const USER = 'user_sim_0001';
const TYPES = ['character', 'reference', 'voice', 'moodboard', 'brand_kit'];
const LIMIT = { min: 1, max: 100, default: 20 };
const DAY_MS = 24 * 3600 * 1000;

/**
 * The items before their links: [id, name, type, assets as [file name, media kind, primary]], newest first.
 * @type {Array<[string, string | null, string, Array<[string, 'AUDIO' | 'IMAGE' | 'VIDEO', boolean]>]>}
 */
const ITEMS = [
	['sv_narrator_warm', 'Narrator (warm)', 'voice', [['voice.mp3', 'AUDIO', true]]],
	['ch_mascot', 'Mascot', 'character', [['front.png', 'IMAGE', true], ['side.png', 'IMAGE', false]]],
	['sv_podcast_host', 'Podcast host', 'voice', [['take-1.mp3', 'AUDIO', false], ['cover.png', 'IMAGE', false], ['voice.wav', 'AUDIO', true]]],
	['rf_studio', 'Studio reference', 'reference', [['studio.png', 'IMAGE', true]]],
	['sv_support', 'Customer support', 'voice', [['voice.mp3', 'AUDIO', true]]],
	['mb_spring', 'Spring campaign', 'moodboard', [['board-1.png', 'IMAGE', true], ['board-2.png', 'IMAGE', false]]],
	['sv_audiobook_calm', 'Audiobook (calm)', 'voice', [['voice.m4a', 'AUDIO', true]]],
	['bk_acme', 'Acme brand kit', 'brand_kit', [['logo.png', 'IMAGE', true]]],
	['sv_narrador', 'Narrador (español)', 'voice', [['voz.mp3', 'AUDIO', true]]],
	['sv_old_take', 'Old take', 'voice', [['cover.png', 'IMAGE', true]]],
	['sv_unnamed_0042', null, 'voice', [['voice.wav', 'AUDIO', true]]],
];

/** @param {string} id @param {string} file */
const filePath = (id, file) => `saved-items/${USER}/${id}/${file}`;

/**
 * Every saved item, newest first: the fixed ones, then `extraSavedVoices` older voices ("Voice 001", …).
 * Preview links are signed-looking and expire 24 h from now; the simulator does not serve them.
 * @param {State} state
 * @returns {SavedItem[]}
 */
function savedItems(state) {
	const expires = iso(state.now() + DAY_MS);
	const extra = Array.from({ length: state.opts.extraSavedVoices }, (_, index) => {
		const n = String(index + 1).padStart(3, '0');
		return /** @type {(typeof ITEMS)[number]} */ ([`sv_extra_${n}`, `Voice ${n}`, 'voice', [['voice.mp3', 'AUDIO', true]]]);
	});
	return [...ITEMS, ...extra].map(([id, name, type, assets]) => ({
		id,
		name,
		type,
		assets: assets.map(([file, mediaKind, primary]) => ({
			file_path: filePath(id, file),
			is_primary: primary,
			media_kind: mediaKind,
			url: `${state.url}/signed/preview/${filePath(id, file)}?expires=${encodeURIComponent(expires)}`,
			url_expires_at: expires,
		})),
	}));
}

/** @param {number} offset @param {string} type */
const encodeCursor = (offset, type) => Buffer.from(JSON.stringify({ o: offset, t: type })).toString('base64url');

/** @param {string} cursor @returns {{ o: number, t: string } | undefined} */
function decodeCursor(cursor) {
	try {
		const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		return Number.isInteger(value?.o) && value.o > 0 && typeof value.t === 'string' ? value : undefined;
	} catch {
		return undefined;
	}
}

/**
 * @param {State} state
 * @param {import('http').ServerResponse} res
 * @param {URLSearchParams} query
 * @param {RequestRecord} rec
 */
function handleSavedItems(state, res, query, rec) {
	/** @param {string} message */
	const bad = (message) => sendError(res, 400, message, 'invalid_request');
	const type = query.get('type') ?? '';
	if (query.has('type') && !TYPES.includes(type)) return bad(`type must be one of: ${TYPES.join(', ')}`);
	const limitText = query.get('limit');
	const limit = limitText === null ? LIMIT.default : Number(limitText);
	if (!/^\d+$/.test(limitText ?? String(LIMIT.default)) || limit < LIMIT.min || limit > LIMIT.max) {
		return bad(`limit must be an integer from ${LIMIT.min} to ${LIMIT.max}`);
	}
	let offset = 0;
	const cursor = query.get('cursor');
	if (cursor !== null) {
		const decoded = decodeCursor(cursor);
		if (!decoded || decoded.t !== type) return bad('cursor is not valid for this list');
		offset = decoded.o;
	}
	const matching = savedItems(state).filter((item) => type === '' || item.type === type);
	const size = Math.min(limit, state.opts.savedItemsPageSize);
	const items = matching.slice(offset, offset + size);
	const next = offset + size < matching.length ? encodeCursor(offset + size, type) : null;
	respondOk(state, res, 'savedItems', rec, { items, next_cursor: next });
}

/**
 * What the create route makes of an `assets.audio_file_path` under `saved-items/`: fine when it is the
 * audio file of a saved item, else the 422 Magic Hour gives for a file it cannot clone from.
 * @param {State} state
 * @param {string} path
 * @returns {{ ok: true } | { ok: false, status: number, message: string, code: string }}
 */
function savedItemSample(state, path) {
	const asset = savedItems(state)
		.flatMap((item) => item.assets)
		.find((candidate) => candidate.file_path === path);
	if (!asset) return { ok: false, status: 422, message: 'Unable to clone voice', code: 'file_not_found' };
	if (asset.media_kind !== 'AUDIO') return { ok: false, status: 422, message: 'Unable to clone voice', code: 'unsupported_audio_file' };
	return { ok: true };
}

module.exports = { handleSavedItems, savedItems, savedItemSample };
