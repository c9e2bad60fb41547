import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { openSignedDownload } from '../transport';
import type { ByteStream, MagicHourConnection, StopReason } from '../transport';
import { apiError, PAID_DOWNLOAD_ADVICE, transportError } from '../transport/errors';
import { cancelled } from '../transport/response';
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

export interface DownloadOptions {
	itemIndex: number;
	deadline: number;
	/** The item's Timeout, for the message when it runs out during the download. */
	timeoutSeconds?: number;
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
	if (!url && project.enabled === false) {
		throw transportError(ctx.getNode(), {
			message: `The audio files of this project were deleted from Magic Hour`,
			description:
				'Deleted files cannot be downloaded again, and waiting does not bring them back (they go when "Delete Audio Project" or "Delete After Download" runs). To get the audio, run "Clone Voice" again with the same sample and text: that makes a new project and is paid again.',
			itemIndex,
			projectId: project.id,
			code: 'deleted',
		});
	}
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

/** The error for a download body the node cut off: the item's deadline, or a stalled transfer. */
function stoppedDownload(
	ctx: IExecuteFunctions,
	project: AudioProject,
	options: DownloadOptions,
	reason: StopReason,
	connection: MagicHourConnection,
) {
	const timeout = options.timeoutSeconds === undefined ? 'The item\'s Timeout' : `The Timeout of ${options.timeoutSeconds} s`;
	const message =
		reason === 'deadline'
			? `${timeout} ran out while the audio was downloading`
			: `The download of the audio stalled: no data for ${Math.round(connection.requestTimeoutMs / 1000)} s`;
	return transportError(ctx.getNode(), {
		message,
		description: `The audio was rendered and paid for. "Get Audio Project" (free) fetches it again with this project id.${reason === 'deadline' ? ' To allow more time, raise "Timeout" in the options.' : ''}`,
		itemIndex: options.itemIndex,
		projectId: project.id,
		code: reason === 'deadline' ? 'timeout' : 'stalled',
	});
}

/** Where the downloaded audio goes: n8n's binary store, or memory (parts to be joined). */
type Keep<T> = (stream: ByteStream, fileName: string, mimeType: string) => Promise<T>;

/**
 * Downloads the finished audio, without the API token, and hands its stream to `keep`. A link
 * that expired or was refused is renewed once with a free GET of the project (see transport/retry.ts).
 */
async function fetchAudio<T>(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	completed: AudioProject,
	options: DownloadOptions,
	keep: Keep<T>,
): Promise<{ kept: T; project: AudioProject; mimeType: string; extension: string }> {
	let project = completed;
	const result = await openSignedDownload(ctx, connection, {
		url: downloadUrl(ctx, project, options.itemIndex),
		itemIndex: options.itemIndex,
		projectId: project.id,
		deadline: options.deadline,
		renewUrl: async () => {
			project = await getProject(ctx, connection, project.id, options.itemIndex, options.deadline);
			return downloadUrl(ctx, project, options.itemIndex);
		},
	});
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
	const { mimeType, extension } = audioFileType(contentType, result.url);
	let exceeded = false;
	try {
		const kept = await keep(
			capped(stream, options.maxBytes, () => (exceeded = true)),
			audioFileName(project, extension),
			mimeType,
		);
		return { kept, project, mimeType, extension };
	} catch (error) {
		stream.destroy();
		const stopped = result.stoppedBy();
		if (stopped === 'cancelled') throw cancelled(ctx, options.itemIndex);
		if (stopped) throw stoppedDownload(ctx, project, options, stopped, connection);
		if (exceeded) throw tooLarge(ctx, project, options, `more than ${Math.round(options.maxBytes / MEGABYTE)} MB`);
		throw transportError(ctx.getNode(), {
			message: `Downloading the cloned audio broke off: ${error instanceof Error ? error.message : String(error)}`,
			description: PAID_DOWNLOAD_ADVICE,
			itemIndex: options.itemIndex,
			projectId: project.id,
			code: 'download_failed',
		});
	}
}

/** Streams the finished audio into n8n's binary store. */
export async function downloadAudio(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	completed: AudioProject,
	options: DownloadOptions,
): Promise<{ binary: IBinaryData; project: AudioProject }> {
	const { kept, project } = await fetchAudio(ctx, connection, completed, options, async (stream, fileName, mimeType) =>
		await ctx.helpers.prepareBinaryData(stream, fileName, mimeType),
	);
	return { binary: kept, project };
}

/** Reads the finished audio into memory, for a part that is joined with others. */
export async function downloadAudioBytes(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	completed: AudioProject,
	options: DownloadOptions,
): Promise<{ audio: Buffer; project: AudioProject; mimeType: string; extension: string }> {
	const { kept, ...rest } = await fetchAudio(ctx, connection, completed, options, async (stream) =>
		await ctx.helpers.binaryToBuffer(stream),
	);
	return { audio: kept, ...rest };
}
