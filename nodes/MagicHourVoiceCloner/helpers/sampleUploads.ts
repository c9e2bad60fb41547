import { createHash } from 'crypto';
import type { IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import type { MagicHourConnection } from '../transport';
import { operationError, withFailureContext } from '../transport/errors';
import type { FailureContext } from '../transport/errors';
import { uploadSample } from './audioSource';
import type { AudioSample, BinarySample } from './audioSource';

export interface UploadedSample {
	filePath: string;
	/** Epoch ms when the upload began; Magic Hour keeps the file 7 days from then on. */
	uploadedAt: number;
}

interface SharedUpload {
	ownerIndex: number;
	result: Promise<UploadedSample>;
}

/**
 * The uploads of one node execution. n8n gives every execution of the node its own context
 * object, so keying on it scopes the sharing to one run without the router knowing about it.
 */
const uploadsByRun = new WeakMap<IExecuteFunctions, Map<string, SharedUpload>>();

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
function sharedFailure(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	ownerIndex: number,
): NodeOperationError {
	const failed = error as { message?: string; description?: unknown; context?: FailureContext };
	const description = typeof failed.description === 'string' ? `${failed.description} ` : '';
	return withFailureContext(
		operationError(ctx.getNode(), failed.message ?? String(error), {
			itemIndex,
			description: `${description}This item's voice sample is the same file as item ${ownerIndex}'s, so it was uploaded once for all items that share it; nothing was sent for this item.`,
		}),
		failed.context ?? {},
	);
}

/**
 * Uploads a binary sample once per node execution: the first item with a given file uploads
 * it, later items with the same file wait for that upload and reuse its path, or fail with its
 * error. Nothing in here is paid.
 */
export async function uploadOncePerRun(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	sample: BinarySample,
	itemIndex: number,
	deadline: number,
): Promise<UploadedSample> {
	let uploads = uploadsByRun.get(ctx);
	if (!uploads) {
		uploads = new Map();
		uploadsByRun.set(ctx, uploads);
	}
	const key = sampleKey(sample);
	const shared = uploads.get(key);
	if (!shared) {
		const uploadedAt = Date.now();
		const result = uploadSample(ctx, connection, sample, itemIndex, deadline).then((filePath) => ({
			filePath,
			uploadedAt,
		}));
		uploads.set(key, { ownerIndex: itemIndex, result });
		return await result;
	}
	try {
		return await shared.result;
	} catch (error) {
		throw sharedFailure(ctx, error, itemIndex, shared.ownerIndex);
	}
}

/** The path Magic Hour reads the sample from: uploaded (once per run) when it is a binary. */
export async function samplePath(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	sample: AudioSample,
	itemIndex: number,
	deadline: number,
): Promise<string> {
	if (sample.source !== 'binary') return sample.audioFilePath;
	return (await uploadOncePerRun(ctx, connection, sample, itemIndex, deadline)).filePath;
}
