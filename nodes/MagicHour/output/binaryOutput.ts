/**
 * The audio of a finished project, as n8n gets it: downloaded from its signed link (without the
 * API token), with its MIME type and file name, into n8n's binary store or into memory, and put on
 * the output item.
 */
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { getAudioProject } from '../api/audioProjects';
import type { AudioProject } from '../api/audioProjects';
import type { Session } from '../api/session';
import { apiError, cancelled, transportError } from '../errors';
import {
	extensionFromMimeType,
	extensionOf,
	isNeutralMimeType,
	mimeTypeForExtension,
	normalizeMimeType,
	toAudioExtension,
} from '../input/audioFormats';
import { openSignedDownload } from '../transport';
import type { ByteStream, N8nContext, StopReason } from '../transport';
import type { AudioExtension } from '../input/audioFormats';
import { MEGABYTE } from '../input/settings';

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

function downloadUrl(session: Session, project: AudioProject, itemIndex: number): string {
	const url = project.downloads?.[0]?.url;
	if (!url && project.enabled === false) {
		throw transportError(session.ctx.getNode(), {
			message: `The audio files of this project were deleted from Magic Hour`,
			description: session.advice.projectDeleted,
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
		throw transportError(session.ctx.getNode(), {
			message: 'Magic Hour reported the audio complete but gave no usable download link',
			description: session.advice.linkMissing,
			itemIndex,
			projectId: project.id,
			code: 'no_download',
		});
	}
	return parsed.toString();
}

function tooLarge(session: Session, project: AudioProject, options: DownloadOptions, size: string) {
	return transportError(session.ctx.getNode(), {
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
function stoppedDownload(session: Session, project: AudioProject, options: DownloadOptions, reason: StopReason) {
	const timeout = options.timeoutSeconds === undefined ? 'The item\'s Timeout' : `The Timeout of ${options.timeoutSeconds} s`;
	const message =
		reason === 'deadline'
			? `${timeout} ran out while the audio was downloading`
			: `The download of the audio stalled: no data for ${Math.round(session.connection.requestTimeoutMs / 1000)} s`;
	return transportError(session.ctx.getNode(), {
		message,
		description: `${session.advice.downloadStopped}${reason === 'deadline' ? ' To allow more time, raise "Timeout" in the options.' : ''}`,
		itemIndex: options.itemIndex,
		projectId: project.id,
		code: reason === 'deadline' ? 'timeout' : 'stalled',
	});
}

/** Where the downloaded audio goes: n8n's binary store (see toBinaryStore), or memory (see toMemory). */
export type Keep<T> = (stream: ByteStream, fileName: string, mimeType: string) => Promise<T>;

/** Streams the audio into n8n's binary store, so that a long file never sits in memory. */
export function toBinaryStore(ctx: N8nContext): Keep<IBinaryData> {
	return async (stream, fileName, mimeType) => await ctx.helpers.prepareBinaryData(stream, fileName, mimeType);
}

/** Reads the audio into memory: a long text's part, to be joined with the others. */
export function toMemory(ctx: N8nContext): Keep<Buffer> {
	return async (stream) => await ctx.helpers.binaryToBuffer(stream);
}

/**
 * Downloads the finished audio, without the API token, and hands its stream to `keep`. A link
 * that expired or was refused is renewed once with a free GET of the project (see transport/retry.ts).
 */
export async function downloadAudio<T>(
	session: Session,
	completed: AudioProject,
	options: DownloadOptions,
	keep: Keep<T>,
): Promise<{ kept: T; project: AudioProject; mimeType: string; extension: string }> {
	let project = completed;
	const result = await openSignedDownload(session.ctx, session.connection, {
		url: downloadUrl(session, project, options.itemIndex),
		itemIndex: options.itemIndex,
		projectId: project.id,
		deadline: options.deadline,
		advice: session.advice.downloadAgain,
		renewUrl: async () => {
			project = await getAudioProject(session, project.id, options.itemIndex, options.deadline);
			return downloadUrl(session, project, options.itemIndex);
		},
	});
	if (!result.ok) {
		throw apiError(session.ctx.getNode(), {
			status: result.status,
			message: `the download link was refused: ${result.message}`,
			code: result.code,
			itemIndex: options.itemIndex,
			projectId: project.id,
			advice: session.advice.freshLink,
		});
	}
	const { stream, contentType, contentLength } = result;
	if (contentLength !== undefined && contentLength > options.maxBytes) {
		stream.destroy();
		throw tooLarge(session, project, options, `${Math.round(contentLength / MEGABYTE)} MB`);
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
		if (stopped === 'cancelled') throw cancelled(session.ctx.getNode(), options.itemIndex);
		if (stopped) throw stoppedDownload(session, project, options, stopped);
		if (exceeded) throw tooLarge(session, project, options, `more than ${Math.round(options.maxBytes / MEGABYTE)} MB`);
		throw transportError(session.ctx.getNode(), {
			message: `Downloading the cloned audio broke off: ${error instanceof Error ? error.message : String(error)}`,
			description: session.advice.downloadAgain,
			itemIndex: options.itemIndex,
			projectId: project.id,
			code: 'download_failed',
		});
	}
}

/** An output item that carries the audio in the binary field `property`. */
export function withAudio(json: IDataObject, property: string, audio: IBinaryData): INodeExecutionData {
	return { json, binary: { [property]: audio } };
}

/** Puts audio held in memory (a long text's joined parts) into n8n's binary store. */
export async function storeAudio(
	ctx: N8nContext,
	audio: Buffer,
	project: AudioProject,
	extension: AudioExtension,
): Promise<IBinaryData> {
	return await ctx.helpers.prepareBinaryData(audio, audioFileName(project, extension), mimeTypeForExtension(extension));
}
