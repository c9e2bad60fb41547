/** Audio extensions Magic Hour accepts for a voice sample (as an upload of type "audio", see api/files.ts). */
export const ALLOWED_AUDIO_EXTENSIONS = [
	'mp3',
	'wav',
	'aac',
	'flac',
	'webm',
	'weba',
	'm4a',
	'opus',
	'ogg',
	'oga',
	'aiff',
	'amr',
] as const;

export type AudioExtension = (typeof ALLOWED_AUDIO_EXTENSIONS)[number];

const EXTENSION_ALIASES: Record<string, AudioExtension> = { aif: 'aiff', mpga: 'mp3' };

const EXTENSION_BY_MIME_TYPE: Record<string, AudioExtension> = {
	'audio/mpeg': 'mp3',
	'audio/mp3': 'mp3',
	'audio/wav': 'wav',
	'audio/wave': 'wav',
	'audio/x-wav': 'wav',
	'audio/vnd.wave': 'wav',
	'audio/aac': 'aac',
	'audio/x-aac': 'aac',
	'audio/flac': 'flac',
	'audio/x-flac': 'flac',
	'audio/webm': 'webm',
	'audio/mp4': 'm4a',
	'audio/m4a': 'm4a',
	'audio/x-m4a': 'm4a',
	'audio/opus': 'opus',
	'audio/ogg': 'ogg',
	'application/ogg': 'ogg',
	'audio/aiff': 'aiff',
	'audio/x-aiff': 'aiff',
	'audio/amr': 'amr',
};

const MIME_TYPE_BY_EXTENSION: Record<AudioExtension, string> = {
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	aac: 'audio/aac',
	flac: 'audio/flac',
	webm: 'audio/webm',
	weba: 'audio/webm',
	m4a: 'audio/mp4',
	opus: 'audio/opus',
	ogg: 'audio/ogg',
	oga: 'audio/ogg',
	aiff: 'audio/aiff',
	amr: 'audio/amr',
};

/** MIME types that say nothing about the content, so the file name decides. */
const NEUTRAL_MIME_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

export function normalizeMimeType(mimeType: string | undefined): string {
	return (mimeType ?? '').split(';')[0].trim().toLowerCase();
}

export function toAudioExtension(candidate: string | undefined): AudioExtension | undefined {
	const extension = (candidate ?? '').trim().replace(/^\./, '').toLowerCase();
	if (EXTENSION_ALIASES[extension]) return EXTENSION_ALIASES[extension];
	return (ALLOWED_AUDIO_EXTENSIONS as readonly string[]).includes(extension)
		? (extension as AudioExtension)
		: undefined;
}

/** The text after the last dot of a file name or URL path, lower case; '' when there is none. */
export function extensionOf(fileNameOrPath: string | undefined): string {
	const base = (fileNameOrPath ?? '').split('/').pop() ?? '';
	const dot = base.lastIndexOf('.');
	return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

export function extensionFromMimeType(mimeType: string | undefined): AudioExtension | undefined {
	return EXTENSION_BY_MIME_TYPE[normalizeMimeType(mimeType)];
}

export function mimeTypeForExtension(extension: AudioExtension): string {
	return MIME_TYPE_BY_EXTENSION[extension];
}

export function isNeutralMimeType(mimeType: string | undefined): boolean {
	return NEUTRAL_MIME_TYPES.has(normalizeMimeType(mimeType));
}

/** True for MIME types that may hold audio: audio/*, Ogg, and WebM (often labelled video/webm). */
export function mayHoldAudio(mimeType: string | undefined): boolean {
	const type = normalizeMimeType(mimeType);
	return (
		type.startsWith('audio/') ||
		type === 'application/ogg' ||
		type === 'video/webm' ||
		type === 'video/ogg' ||
		isNeutralMimeType(type)
	);
}
