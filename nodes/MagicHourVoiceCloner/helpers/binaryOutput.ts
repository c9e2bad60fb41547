import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { openSignedDownload } from '../transport';
import type { ByteStream, MagicHourConnection } from '../transport';
import { apiError, transportError } from '../transport/errors';
import {
	extensionFromMimeType,
	extensionOf,
	isNeutralMimeType,
	mimeTypeForExtension,
	normalizeMimeType,
	toAudioExtension,
} from './audioFormats';
import { getProject } from './polling';
import type { AudioProject } from './polling';

export const MEGABYTE = 1024 * 1024;

/** Statuses of a signed link that a fresh link from GET /v1/audio-projects/{id} may cure. */
const STALE_LINK_STATUSES = new Set([401, 403, 404, 410]);

export interface DownloadOptions {
	itemIndex: number;
	deadline: number;
	maxBytes: number;
}

/** MIME type and file extension of the result: the answer's Content-Type first, else the URL. */
export function audioFileType(
	contentType: string | undefined,
	url: string,
): { mimeType: string; extension: string } {
	const fromUrl = toAudioExtension(extensionOf(new URL(url).pathname));
	const mimeType = normalizeMimeType(contentType);
	if (mimeType && !isNeutralMimeType(mimeType)) {
		return { mimeType, extension: extensionFromMimeType(mimeType) ?? fromUrl ?? 'bin' };
	}
	if (fromUrl) return { mimeType: mimeTypeForExtension(fromUrl), extension: fromUrl };
	return { mimeType: 'application/octet-stream', extension: 'bin' };
}

/** "My clip: take 2" → "My clip- take 2"; the project id when the name is empty. */
export function audioFileName(project: AudioProject, extension: string): string {
	const base = (project.name ?? '').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').trim().slice(0, 120);
	return `${base || project.id}.${extension}`;
}

function downloadUrl(ctx: IExecuteFunctions, project: AudioProject, itemIndex: number): string {
	const url = project.downloads?.[0]?.url;
	let parsed: URL | undefined;
	try {
		parsed = url ? new URL(url) : undefined;
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
		throw transportError(ctx.getNode(), {
			message: 'Magic Hour reported the audio complete but gave no usable download link',
			description: `Run "Get Audio Project" with this project id in a few minutes to fetch it again, at no cost.`,
			itemIndex,
			projectId: project.id,
			code: 'no_download',
		});
	}
	return parsed.toString();
}

function tooLarge(ctx: IExecuteFunctions, project: AudioProject, options: DownloadOptions, size: string) {
	return transportError(ctx.getNode(), {
		message: `The cloned audio is ${size}, over the "Max Download Size" of ${Math.round(options.maxBytes / MEGABYTE)} MB`,
		description:
			'Raise "Max Download Size" in the options, or turn off "Download Audio" and pass the download URL on instead.',
		itemIndex: options.itemIndex,
		projectId: project.id,
		code: 'too_large',
	});
}

/** Stops the stream once it has carried more than `maxBytes`. */
function capped(stream: ByteStream, maxBytes: number, onExceeded: () => void): ByteStream {
	let received = 0;
	// `map` (a Readable method) keeps the stream a stream without importing node:stream, which
	// community nodes may not do.
	return stream.map((chunk: Buffer) => {
		received += chunk.length;
		if (received > maxBytes) {
			onExceeded();
			throw new RangeError('download size limit exceeded');
		}
		return chunk;
	});
}

/**
 * Streams the finished audio into n8n's binary store, without the API token. A link that
 * expired or was refused is renewed once with a free GET of the project.
 */
export async function downloadAudio(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	completed: AudioProject,
	options: DownloadOptions,
): Promise<{ binary: IBinaryData; project: AudioProject }> {
	let project = completed;
	let result = await openSignedDownload(ctx, connection, {
		url: downloadUrl(ctx, project, options.itemIndex),
		itemIndex: options.itemIndex,
		projectId: project.id,
		deadline: options.deadline,
	});
	if (!result.ok && STALE_LINK_STATUSES.has(result.status)) {
		project = await getProject(ctx, connection, project.id, options.itemIndex, options.deadline);
		result = await openSignedDownload(ctx, connection, {
			url: downloadUrl(ctx, project, options.itemIndex),
			itemIndex: options.itemIndex,
			projectId: project.id,
			deadline: options.deadline,
		});
	}
	if (!result.ok) {
		throw apiError(ctx.getNode(), {
			status: result.status,
			message: `the download link was refused: ${result.message}`,
			code: result.code,
			itemIndex: options.itemIndex,
			projectId: project.id,
			advice:
				'The audio was rendered and paid for. Run "Get Audio Project" with this project id to get a fresh link and download it, at no cost.',
		});
	}
	const { stream, contentType, contentLength } = result;
	if (contentLength !== undefined && contentLength > options.maxBytes) {
		stream.destroy();
		throw tooLarge(ctx, project, options, `${Math.round(contentLength / MEGABYTE)} MB`);
	}
	const { mimeType, extension } = audioFileType(contentType, project.downloads[0].url);
	let exceeded = false;
	try {
		const binary = await ctx.helpers.prepareBinaryData(
			capped(stream, options.maxBytes, () => (exceeded = true)),
			audioFileName(project, extension),
			mimeType,
		);
		return { binary, project };
	} catch (error) {
		stream.destroy();
		if (exceeded) throw tooLarge(ctx, project, options, `more than ${Math.round(options.maxBytes / MEGABYTE)} MB`);
		throw transportError(ctx.getNode(), {
			message: `Downloading the cloned audio broke off: ${error instanceof Error ? error.message : String(error)}`,
			description:
				'The audio was rendered and paid for. Run "Get Audio Project" with this project id to download it again, at no cost.',
			itemIndex: options.itemIndex,
			projectId: project.id,
			code: 'download_failed',
		});
	}
}
