import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { invalidInput } from '../errors';
import {
	ALLOWED_AUDIO_EXTENSIONS,
	extensionFromMimeType,
	extensionOf,
	isNeutralMimeType,
	mayHoldAudio,
	normalizeMimeType,
	toAudioExtension,
} from './audioFormats';
import type { AudioExtension } from './audioFormats';
import {
	validateAudioFilePath,
	validateAudioUrl,
	validatePropertyName,
	validateSavedVoiceId,
} from './validation';

export type AudioSourceType = 'binary' | 'url' | 'filePath' | 'savedVoice';

/**
 * A checked voice sample: a path Magic Hour can read already, a voice saved in the account (its
 * audio is looked up before anything is paid: run/savedVoices.ts), or a binary to upload.
 */
export type AudioSample =
	| { source: 'url' | 'filePath'; audioFilePath: string }
	| { source: 'savedVoice'; savedVoiceId: string }
	| {
			source: 'binary';
			propertyName: string;
			binary: IBinaryData;
			extension: AudioExtension;
			size: number;
	  };

export type BinarySample = Extract<AudioSample, { source: 'binary' }>;

function describeBinary(binary: IBinaryData): string {
	const name = binary.fileName ? `"${binary.fileName}"` : 'a file without a name';
	return binary.mimeType ? `${name} (${binary.mimeType})` : name;
}

/** Which audio format a binary holds, judged from its file name, extension and MIME type. */
export function detectBinaryExtension(
	binary: IBinaryData,
): { extension: AudioExtension } | { problem: string } {
	const declared = extensionOf(binary.fileName) || (binary.fileExtension ?? '').toLowerCase();
	const mimeType = normalizeMimeType(binary.mimeType);
	if (mimeType && !mayHoldAudio(mimeType)) {
		return { problem: `is ${mimeType.split('/')[0] === 'video' ? 'a video' : 'not audio'} (${mimeType})` };
	}
	if (declared) {
		const extension = toAudioExtension(declared);
		return extension ? { extension } : { problem: `has the extension ".${declared}", which is not an audio format Magic Hour accepts` };
	}
	const fromMime = extensionFromMimeType(mimeType);
	if (fromMime) return { extension: fromMime };
	return {
		problem: isNeutralMimeType(mimeType)
			? 'has neither a file name with an extension nor an audio MIME type, so its format is unknown'
			: `has the MIME type ${mimeType}, which is not an audio format Magic Hour accepts`,
	};
}

async function binarySize(ctx: IExecuteFunctions, binary: IBinaryData): Promise<number> {
	if (binary.id) return (await ctx.helpers.getBinaryMetadata(binary.id)).fileSize;
	if (typeof binary.bytes === 'number') return binary.bytes;
	return Buffer.byteLength(binary.data ?? '', 'base64');
}

/** Reads and checks the item's binary voice sample. Sends nothing. */
export async function readBinarySample(ctx: IExecuteFunctions, itemIndex: number): Promise<BinarySample> {
	const node = ctx.getNode();
	const propertyName = validatePropertyName(
		node,
		itemIndex,
		'Input Binary Field',
		ctx.getNodeParameter('binaryPropertyName', itemIndex),
	);
	const item = ctx.getInputData()[itemIndex];
	const binary = item?.binary?.[propertyName];
	if (!binary) {
		const present = Object.keys(item?.binary ?? {});
		throw invalidInput(
			node,
			itemIndex,
			`No binary field "${propertyName}" on the input item${present.length ? ` (it has: ${present.join(', ')})` : ' (it has no binary data)'}`,
			'Set "Input Binary Field" to the field that holds the voice sample, or set "Audio Source" to URL or Magic Hour File Path. An AI agent cannot pass binary files: use URL there.',
		);
	}
	const detected = detectBinaryExtension(binary);
	if ('problem' in detected) {
		throw invalidInput(
			node,
			itemIndex,
			`The binary field "${propertyName}" holds ${describeBinary(binary)}, which ${detected.problem}`,
			`Give a voice sample in one of: ${ALLOWED_AUDIO_EXTENSIONS.join(', ')}. For a video, extract its audio track first.`,
		);
	}
	const size = await binarySize(ctx, binary);
	if (size <= 0) {
		throw invalidInput(
			node,
			itemIndex,
			`The binary field "${propertyName}" holds ${describeBinary(binary)}, which is empty (0 bytes)`,
			'Check the node that produced the file; a voice sample needs 10 to 30 seconds of clear speech.',
		);
	}
	return { source: 'binary', propertyName, binary, extension: detected.extension, size };
}

/** Reads and checks the item's audio source. Sends nothing. */
export async function readAudioSample(ctx: IExecuteFunctions, itemIndex: number): Promise<AudioSample> {
	const node = ctx.getNode();
	const source = ctx.getNodeParameter('audioSource', itemIndex) as AudioSourceType;
	if (source === 'url') {
		const audioFilePath = validateAudioUrl(node, itemIndex, ctx.getNodeParameter('audioUrl', itemIndex));
		return { source, audioFilePath };
	}
	if (source === 'filePath') {
		const audioFilePath = validateAudioFilePath(
			node,
			itemIndex,
			ctx.getNodeParameter('audioFilePath', itemIndex),
		);
		return { source, audioFilePath };
	}
	if (source === 'savedVoice') {
		const value = ctx.getNodeParameter('savedVoice', itemIndex, undefined, { extractValue: true });
		return { source, savedVoiceId: validateSavedVoiceId(node, itemIndex, value) };
	}
	return await readBinarySample(ctx, itemIndex);
}
