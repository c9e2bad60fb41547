/**
 * Magic Hour library links: `https://magichour.ai/my-library?audioId=<project id>` names audio that
 * is already in the account (an earlier render or an upload). Magic Hour takes such a link as a
 * voice sample as it is; it carries no file extension.
 */

const LIBRARY_ORIGIN = 'https://magichour.ai';
const LIBRARY_PATH = '/my-library';
const LIBRARY_HOSTS: ReadonlySet<string> = new Set(['magichour.ai', 'www.magichour.ai']);

/** What other kinds of media a library link can name, by its query parameter. */
const OTHER_MEDIA: Record<string, string> = { videoId: 'a video', imageId: 'an image' };

/** Ids as Magic Hour writes them (cuids); anything else could not name an audio project. */
export const MAGIC_HOUR_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** How a library link of audio looks, for messages. */
export const LIBRARY_URL_FORM = `${LIBRARY_ORIGIN}${LIBRARY_PATH}?audioId=<id>`;

/** The library link of an audio project. */
export function libraryUrl(projectId: string): string {
	return `${LIBRARY_ORIGIN}${LIBRARY_PATH}?audioId=${encodeURIComponent(projectId)}`;
}

export type LibraryLink = { audioId: string } | { problem: string };

/**
 * Whether `url` is on Magic Hour's own site: undefined for any other host (an outside link), else
 * the audio id it names, or why it cannot be used as a voice sample.
 */
export function readLibraryLink(url: URL): LibraryLink | undefined {
	if (!LIBRARY_HOSTS.has(url.hostname.toLowerCase())) return undefined;
	const keys = [...url.searchParams.keys()];
	const other = keys.find((key) => key in OTHER_MEDIA);
	if (url.pathname === LIBRARY_PATH && other) {
		return { problem: `names ${OTHER_MEDIA[other]} in your Magic Hour library, not audio` };
	}
	const audioId = url.searchParams.get('audioId') ?? '';
	const wellFormed =
		url.protocol === 'https:' &&
		url.pathname === LIBRARY_PATH &&
		keys.length === 1 &&
		keys[0] === 'audioId' &&
		MAGIC_HOUR_ID_PATTERN.test(audioId) &&
		url.hash === '' &&
		url.username === '' &&
		url.port === '';
	if (!wellFormed) return { problem: 'is a Magic Hour link, but not a library link of an audio' };
	return { audioId };
}
