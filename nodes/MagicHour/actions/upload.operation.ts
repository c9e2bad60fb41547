import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isNeutralMimeType, mimeTypeForExtension, normalizeMimeType } from '../input/audioFormats';
import { readBinarySample } from '../input/audioSource';
import type { BinarySample } from '../input/audioSource';
import { DEFAULTS } from '../input/settings';
import { itemDeadline } from '../run/state';
import type { Run } from '../run/state';
import { uploadOncePerRun } from '../run/sampleUploads';
import { deliveryOptions, optionsCollection } from './common.description';

/** How long Magic Hour keeps an uploaded file. */
const KEPT_FOR_MS = 7 * 24 * 60 * 60 * 1000;

const RUN_OPTIONS = new Set(['concurrency', 'requestTimeout']);

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description:
			'Name of the binary field of the input item that holds the voice sample: 10 to 30 seconds of clear speech by one speaker',
	},
	optionsCollection(deliveryOptions.filter((option) => RUN_OPTIONS.has(option.name))),
];

export const description = updateDisplayOptions({ show: { operation: ['upload'] } }, properties);

export interface UploadInput {
	sample: BinarySample;
}

/** Checks the sample exactly as Clone Voice does. Sends nothing. */
export async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<UploadInput> {
	return { sample: await readBinarySample(ctx, itemIndex) };
}

/**
 * Uploads the sample (uploadAudioFile, free), once per run for items sharing a file: the
 * sample stays in Magic Hour's storage for Clone Voice runs of the next 7 days.
 */
export async function execute(run: Run, input: UploadInput, itemIndex: number): Promise<INodeExecutionData> {
	const { binary, extension, size } = input.sample;
	const uploaded = await uploadOncePerRun(run, input.sample, itemIndex, itemDeadline(run, DEFAULTS.timeoutSeconds));
	return {
		json: {
			audio_file_path: uploaded.filePath,
			expires_at: new Date(uploaded.uploadedAt + KEPT_FOR_MS).toISOString(),
			file_name: binary.fileName ?? null,
			mime_type: isNeutralMimeType(binary.mimeType)
				? mimeTypeForExtension(extension)
				: normalizeMimeType(binary.mimeType),
			size,
		},
	};
}
