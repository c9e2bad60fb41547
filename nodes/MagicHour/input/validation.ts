import type { INode } from 'n8n-workflow';

import { invalidInput } from '../errors';
import { ALLOWED_AUDIO_EXTENSIONS, extensionOf, toAudioExtension } from './audioFormats';
import type { AudioExtension } from './audioFormats';
import { LIBRARY_URL_FORM, MAGIC_HOUR_ID_PATTERN, readLibraryLink } from './libraryUrl';

export const MAX_PROMPT_CHARACTERS = 1000;

const ALLOWED_LIST = ALLOWED_AUDIO_EXTENSIONS.join(', ');

export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value} (${String(value)})`;
}

/** A text parameter resolved per item: expressions can give numbers, objects or null. */
export function requireText(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	fix: string,
): string {
	if (value === undefined || value === null || value === '') {
		throw invalidInput(node, itemIndex, `"${field}" is empty`, fix);
	}
	if (typeof value !== 'string') {
		throw invalidInput(
			node,
			itemIndex,
			`"${field}" must be text, but its expression gave ${describeValue(value)}`,
			`Make the expression return text, for example {{ String($json.value) }}. ${fix}`,
		);
	}
	const text = value.trim();
	if (text === '') throw invalidInput(node, itemIndex, `"${field}" is blank`, fix);
	return text;
}

/** Unicode code points, the unit Magic Hour counts and charges by. */
export function countCharacters(text: string): number {
	return [...text].length;
}

/**
 * The prompt, trimmed, and its length. Without `split`, longer than one clone takes is an error;
 * with it (Long Text = Split), longer than its Max Characters guard is.
 */
export function validatePrompt(
	node: INode,
	itemIndex: number,
	value: unknown,
	split?: { maxCharacters: number },
): { prompt: string; characters: number } {
	const fix = `Give the text the cloned voice should speak: 1 to ${split?.maxCharacters ?? MAX_PROMPT_CHARACTERS} characters.`;
	const prompt = requireText(node, itemIndex, 'Prompt', value, fix);
	const characters = countCharacters(prompt);
	if (split && characters > split.maxCharacters) {
		throw invalidInput(
			node,
			itemIndex,
			`"Prompt" is ${characters} characters long, over the "Max Characters" guard of ${split.maxCharacters}`,
			'Nothing was sent. Check the expression that builds the text; if a text this long is intended, raise "Max Characters" in the options (Magic Hour charges per character).',
		);
	}
	if (!split && characters > MAX_PROMPT_CHARACTERS) {
		throw invalidInput(
			node,
			itemIndex,
			`"Prompt" is ${characters} characters long; Magic Hour accepts at most ${MAX_PROMPT_CHARACTERS}`,
			'Shorten the text, or set Options → Long Text to "Split Into Parts and Join the Audio": the node then clones it in parts and joins the audio.',
		);
	}
	return { prompt, characters };
}

function requireAudioExtension(
	node: INode,
	itemIndex: number,
	field: string,
	path: string,
	fix: string,
): AudioExtension {
	const found = extensionOf(path);
	const extension = toAudioExtension(found);
	if (!extension) {
		const what = found ? `ends in ".${found}"` : 'has no file extension';
		throw invalidInput(
			node,
			itemIndex,
			`"${field}" ${what}, which is not an audio format Magic Hour accepts`,
			`${fix} Accepted formats: ${ALLOWED_LIST}.`,
		);
	}
	return extension;
}

export function validateAudioUrl(node: INode, itemIndex: number, value: unknown): string {
	const fix = `Use a public http(s) link to the audio file, such as https://example.com/voice.mp3, or the library link of audio in your Magic Hour account (${LIBRARY_URL_FORM}).`;
	const text = requireText(node, itemIndex, 'Audio URL', value, fix);
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw invalidInput(node, itemIndex, `"Audio URL" is not a valid URL: "${text}"`, fix);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw invalidInput(
			node,
			itemIndex,
			`"Audio URL" uses "${url.protocol}", but Magic Hour can only fetch http and https links`,
			fix,
		);
	}
	let path: string;
	try {
		path = decodeURIComponent(url.pathname);
	} catch {
		throw invalidInput(node, itemIndex, `"Audio URL" has a broken %-escape in its path: "${text}"`, fix);
	}
	// Magic Hour's own library links name audio in the account and carry no extension: sent as given.
	const library = readLibraryLink(url);
	if (library && 'problem' in library) {
		throw invalidInput(
			node,
			itemIndex,
			`"Audio URL" ${library.problem}: "${text}"`,
			`A library link of audio in your Magic Hour account looks like ${LIBRARY_URL_FORM}, as Clone Voice and Get Audio Project output it in "library_url". For other audio, link to the file itself.`,
		);
	}
	if (library) return text;
	requireAudioExtension(
		node,
		itemIndex,
		'Audio URL',
		path,
		'Magic Hour reads the format from the end of the link\'s path. Link to the file itself, not to a page that plays it.',
	);
	return url.toString();
}

export function validateAudioFilePath(node: INode, itemIndex: number, value: unknown): string {
	const fix =
		'Use the "audio_file_path" output of an earlier Clone Voice run or a Magic Hour upload (api-assets/…), kept for 7 days.';
	const filePath = requireText(node, itemIndex, 'Magic Hour File Path', value, fix);
	if (/^[a-z][a-z0-9+.-]*:/i.test(filePath)) {
		throw invalidInput(
			node,
			itemIndex,
			'"Magic Hour File Path" looks like a URL',
			'Set "Audio Source" to "URL" for links; this field takes a Magic Hour file path such as api-assets/…/sample.mp3.',
		);
	}
	requireAudioExtension(node, itemIndex, 'Magic Hour File Path', filePath, fix);
	return filePath;
}

export function validateProjectId(node: INode, itemIndex: number, value: unknown): string {
	const fix = 'Use the "id" that Clone Voice returned, for example {{ $json.id }}.';
	const id = requireText(node, itemIndex, 'Project ID', value, fix);
	if (!MAGIC_HOUR_ID_PATTERN.test(id)) {
		throw invalidInput(
			node,
			itemIndex,
			`"Project ID" "${id}" is not a Magic Hour project id (letters, digits, "-" and "_" only)`,
			fix,
		);
	}
	return id;
}

/** A saved voice's id, as the Saved Voice field gives it: picked from the list, or given By ID. */
export function validateSavedVoiceId(node: INode, itemIndex: number, value: unknown): string {
	const fix =
		'Pick a voice from the list in "Saved Voice", or give the id of a voice saved in your Magic Hour library (By ID).';
	const id = requireText(node, itemIndex, 'Saved Voice', value, fix);
	if (!MAGIC_HOUR_ID_PATTERN.test(id)) {
		throw invalidInput(
			node,
			itemIndex,
			`"Saved Voice" "${id}" is not the id of a Magic Hour saved item (letters, digits, "-" and "_" only)`,
			fix,
		);
	}
	return id;
}

export function validateName(node: INode, itemIndex: number, value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw invalidInput(
			node,
			itemIndex,
			`"Name" must be text, but its expression gave ${describeValue(value)}`,
			'Leave it empty for Magic Hour\'s default name, or give a short label.',
		);
	}
	const name = String(value).trim();
	return name === '' ? undefined : name;
}

export function validatePropertyName(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
): string {
	return requireText(
		node,
		itemIndex,
		field,
		value,
		'Give the name of a binary property, such as "data".',
	);
}

export function requireNumber(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	{ min, integer, exclusiveMin }: { min: number; integer?: boolean; exclusiveMin?: boolean },
): number {
	const rule = `${integer ? 'a whole number' : 'a number'} ${exclusiveMin ? 'above' : 'of at least'} ${min}`;
	const valid =
		typeof value === 'number' &&
		Number.isFinite(value) &&
		(!integer || Number.isInteger(value)) &&
		(exclusiveMin ? value > min : value >= min);
	if (!valid) {
		throw invalidInput(
			node,
			itemIndex,
			`"${field}" must be ${rule}, but it is ${describeValue(value)}`,
			`Set "${field}" in the node's options to ${rule}.`,
		);
	}
	return value;
}
