import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isNeutralMimeType, mimeTypeForExtension, normalizeMimeType } from '../helpers/audioFormats';
import { readBinarySample } from '../helpers/audioSource';
import type { BinarySample } from '../helpers/audioSource';
import { uploadOncePerRun } from '../helpers/sampleUploads';
import { clock } from '../transport';
import type { MagicHourConnection } from '../transport';
import { DEFAULTS, deliveryOptions, optionsCollection } from './common.description';

/** How long Magic Hour keeps an uploaded file. */
const KEPT_FOR_MS = 7 * 24 * 60 * 60 * 1000;

const RUN_OPTIONS = new Set(['concurrency', 'requestTimeout']);

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description:
			'Name of the binary field of the input item that holds the voice sample: 10 to 30 seconds of clear speech by one speaker',
		displayOptions: { show: { operation: ['upload'] } },
	},
	optionsCollection(
		'upload',
		deliveryOptions.filter((option) => RUN_OPTIONS.has(option.name)),
	),
];

export interface UploadInput {
	sample: BinarySample;
}

/** Checks the sample exactly as Clone Voice does. Sends nothing. */
export async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<UploadInput> {
	return { sample: await readBinarySample(ctx, itemIndex) };
}

/** Puts the sample into Magic Hour's storage (free), for Clone Voice runs of the next 7 days. */
export async function execute(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	input: UploadInput,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const { binary, extension, size } = input.sample;
	const deadline = clock().now() + DEFAULTS.timeoutSeconds * 1000;
	const uploaded = await uploadOncePerRun(ctx, connection, input.sample, itemIndex, deadline);
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
