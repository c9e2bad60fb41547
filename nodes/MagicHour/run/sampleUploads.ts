import { createHash } from 'crypto';
import type { IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { uploadAudioFile } from '../api/files';
import type { Session } from '../api/session';
import { failureOf, operationError } from '../errors';
import type { AudioSample, BinarySample } from '../input/audioSource';
import { savedVoicePath } from './savedVoices';
import type { SavedVoices } from './savedVoices';

export interface UploadedSample {
	filePath: string;
	/** Epoch ms when the upload began; Magic Hour keeps the file 7 days from then on. */
	uploadedAt: number;
}

interface SharedUpload {
	ownerIndex: number;
	result: Promise<UploadedSample>;
}

/** The uploads of one run, by sample (see sampleKey). */
export type SampleUploads = Map<string, SharedUpload>;

/** What uploading needs of the run (state.ts): its session with Magic Hour, its items' binaries, its uploads. */
type Run = Session & { ctx: IExecuteFunctions; uploads: SampleUploads; savedVoices?: SavedVoices };

/**
 * Which samples are the same file: the same id in n8n's binary store, or, for a binary held in
 * the item itself, the same bytes. The format is part of it, since the upload URL is made for one.
 */
function sampleKey(sample: BinarySample): string {
	const { binary, extension } = sample;
	const file = binary.id
		? `id:${binary.id}`
		: `sha256:${createHash('sha256').update(binary.data ?? '', 'base64').digest('hex')}`;
	return `${extension}|${file}`;
}

/** The error of a shared upload, for an item that waited on it: same text, its own item. */
function sharedFailure(run: Run, error: unknown, itemIndex: number, ownerIndex: number): NodeOperationError {
	const { context, description } = failureOf(error);
	return operationError(run.ctx.getNode(), error instanceof Error ? error.message : String(error), {
		itemIndex,
		description: `${description ? `${description} ` : ''}This item's voice sample is the same file as item ${ownerIndex}'s, so it was uploaded once for all items that share it; nothing was sent for this item.`,
		context,
	});
}

/** Puts a binary sample into Magic Hour's storage (free); binaries in n8n's store are streamed. */
async function uploadSample(run: Run, sample: BinarySample, itemIndex: number, deadline: number): Promise<string> {
	const { binary, propertyName } = sample;
	return await uploadAudioFile(run, {
		extension: sample.extension,
		size: sample.size,
		itemIndex,
		deadline,
		openBody: async () =>
			binary.id
				? await run.ctx.helpers.getBinaryStream(binary.id)
				: await run.ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName),
	});
}

/**
 * Uploads a binary sample once per run: the first item with a given file uploads it, later items
 * with the same file wait for that upload and reuse its path, or fail with its error. Nothing in
 * here is paid.
 */
export async function uploadOncePerRun(
	run: Run,
	sample: BinarySample,
	itemIndex: number,
	deadline: number,
): Promise<UploadedSample> {
	const key = sampleKey(sample);
	const shared = run.uploads.get(key);
	if (!shared) {
		const uploadedAt = Date.now();
		const result = uploadSample(run, sample, itemIndex, deadline).then((filePath) => ({ filePath, uploadedAt }));
		run.uploads.set(key, { ownerIndex: itemIndex, result });
		return await result;
	}
	try {
		return await shared.result;
	} catch (error) {
		throw sharedFailure(run, error, itemIndex, shared.ownerIndex);
	}
}

/**
 * The path Magic Hour reads the sample from: uploaded (once per run) when it is a binary, the audio
 * file of a saved voice (read once per run).
 */
export async function samplePath(run: Run, sample: AudioSample, itemIndex: number, deadline: number): Promise<string> {
	if (sample.source === 'savedVoice') return await savedVoicePath(run, sample.savedVoiceId, itemIndex);
	if (sample.source !== 'binary') return sample.audioFilePath;
	return (await uploadOncePerRun(run, sample, itemIndex, deadline)).filePath;
}
