import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readAudioSample } from '../helpers/audioSource';
import type { AudioSample } from '../helpers/audioSource';
import { deliverProject, readConcurrency, readDeliverySettings } from '../helpers/delivery';
import type { DeliverySettings } from '../helpers/delivery';
import { cloneInParts, planParts } from '../helpers/longText';
import type { TextPart } from '../helpers/longText';
import { samplePath } from '../helpers/sampleUploads';
import { MAX_PROMPT_CHARACTERS, requireNumber, validateName, validatePrompt } from '../helpers/validation';
import { createVoiceClone } from '../helpers/voiceClone';
import { clock } from '../transport';
import type { MagicHourConnection } from '../transport';
import { deliveryOptions, optionsCollection, waitForCompletionProperty } from './common.description';

/** The product brief's rate; Magic Hour's newest docs say 0.1. Only the estimate uses it. */
const DEFAULT_CREDITS_PER_CHARACTER = 0.05;
/** Guard of Long Text = Split: 10000 characters ≈ 500 credits at the brief's rate. */
const DEFAULT_MAX_CHARACTERS = 10000;

const show = { show: { operation: ['clone'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Audio Source',
		name: 'audioSource',
		type: 'options',
		noDataExpression: true,
		default: 'binary',
		description: 'Where the voice sample comes from: 10 to 30 seconds of clear speech by one speaker',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'An audio file in the input item, for example from Read File or HTTP Request',
			},
			{ name: 'URL', value: 'url', description: 'A public http(s) link to an audio file' },
			{
				name: 'Magic Hour File Path',
				value: 'filePath',
				description: 'A file already in Magic Hour storage (api-assets/…), kept 7 days after upload',
			},
		],
		displayOptions: show,
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'Name of the binary field of the input item that holds the voice sample',
		displayOptions: { show: { operation: ['clone'], audioSource: ['binary'] } },
	},
	{
		displayName: 'Audio URL',
		name: 'audioUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/voice-sample.mp3',
		description:
			'Public link to the voice sample; its path must end in an audio extension (mp3, wav, m4a, …)',
		displayOptions: { show: { operation: ['clone'], audioSource: ['url'] } },
	},
	{
		displayName: 'Magic Hour File Path',
		name: 'audioFilePath',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'api-assets/…/sample.mp3',
		description: 'The "audio_file_path" an earlier Clone Voice run returned',
		displayOptions: { show: { operation: ['clone'], audioSource: ['filePath'] } },
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'Hello! This is my cloned voice speaking.',
		description:
			'The text the cloned voice will speak: 1 to 1000 characters, or more with Options → Long Text. Magic Hour charges per character.',
		displayOptions: show,
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		description:
			'Name of the audio project in Magic Hour, also used for the file name. Empty: Magic Hour names it "Voice Cloner - date time".',
		displayOptions: show,
	},
	waitForCompletionProperty('clone'),
	optionsCollection('clone', [
		{
			displayName: 'Credits per Character (Estimate)',
			name: 'creditsPerCharacter',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 4 },
			default: DEFAULT_CREDITS_PER_CHARACTER,
			description:
				'Rate used only for the "estimated_credits" output. What you pay is "credits_charged", as Magic Hour reports it.',
		},
		{
			displayName: 'Long Text',
			name: 'longText',
			type: 'options',
			default: 'refuse',
			description: 'What to do with a prompt longer than the 1000 characters Magic Hour takes at once',
			options: [
				{
					name: 'Refuse',
					value: 'refuse',
					description: 'Fail the item before anything is sent',
				},
				{
					name: 'Split Into Parts and Join the Audio',
					value: 'split',
					description:
						'Clone it in parts of up to 1000 characters, cut at sentence ends, and join their audio into one file (WAV or MP3). Costs the same per character.',
				},
			],
		},
		{
			displayName: 'Max Characters',
			name: 'maxCharacters',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_CHARACTERS,
			description:
				'With Long Text set to Split: a longer prompt fails the item before anything is sent, so a wrong expression cannot spend many credits',
		},
		...deliveryOptions,
	]),
];

export interface CloneInput {
	sample: AudioSample;
	prompt: string;
	characters: number;
	name?: string;
	estimatedCredits: number;
	delivery: DeliverySettings;
	/** With Long Text = Split and a prompt over 1000 characters: its parts, and how many run at once. */
	longText?: { parts: TextPart[]; concurrency: number };
}

/** Reads and checks everything of one item. Sends nothing, so a bad item costs nothing. */
export async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<CloneInput> {
	const node = ctx.getNode();
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const split =
		options.longText === 'split'
			? {
					maxCharacters: requireNumber(node, itemIndex, 'Max Characters', options.maxCharacters ?? DEFAULT_MAX_CHARACTERS, {
						min: 1,
						integer: true,
					}),
				}
			: undefined;
	const { prompt, characters } = validatePrompt(node, itemIndex, ctx.getNodeParameter('prompt', itemIndex), split);
	const name = validateName(node, itemIndex, ctx.getNodeParameter('name', itemIndex, ''));
	const rate = requireNumber(
		node,
		itemIndex,
		'Credits per Character (Estimate)',
		options.creditsPerCharacter ?? DEFAULT_CREDITS_PER_CHARACTER,
		{ min: 0 },
	);
	const parts =
		characters > MAX_PROMPT_CHARACTERS
			? planParts(prompt, (partCharacters) => estimateCredits(partCharacters, rate))
			: undefined;
	const delivery = readDeliverySettings(ctx, itemIndex);
	const sample = await readAudioSample(ctx, itemIndex);
	return {
		sample,
		prompt,
		characters,
		name,
		estimatedCredits: parts
			? parts.reduce((sum, part) => sum + part.estimatedCredits, 0)
			: estimateCredits(characters, rate),
		delivery,
		longText: parts && { parts, concurrency: readConcurrency(ctx) },
	};
}

/** ceil(characters × rate), without float noise turning 1000 × 0.05 into 51. */
export function estimateCredits(characters: number, rate: number): number {
	return Math.ceil(Number((characters * rate).toFixed(6)));
}

export async function execute(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	input: CloneInput,
	itemIndex: number,
): Promise<INodeExecutionData> {
	if (input.longText) return await cloneInParts(ctx, connection, { ...input, ...input.longText }, itemIndex);
	const deadline = clock().now() + input.delivery.timeoutSeconds * 1000;
	const audioFilePath = await samplePath(ctx, connection, input.sample, itemIndex, deadline);
	const created = await createVoiceClone(ctx, connection, {
		audioFilePath,
		prompt: input.prompt,
		name: input.name,
		itemIndex,
		deadline,
	});

	const extra: IDataObject = {
		audio_file_path: audioFilePath,
		prompt_characters: input.characters,
		estimated_credits: input.estimatedCredits,
	};
	if (!input.delivery.wait) {
		const queued: IDataObject = {
			id: created.id,
			credits_charged: created.credits_charged as number,
			status: 'queued',
			name: input.name ?? null,
		};
		if (input.delivery.forAgent) return { json: { ...queued, ...agentJsonExtras(extra) } };
		return { json: { ...queued, ...extra } };
	}
	return await deliverProject(ctx, connection, {
		projectId: created.id,
		settings: input.delivery,
		itemIndex,
		deadline,
		extra: input.delivery.forAgent ? agentJsonExtras(extra) : extra,
	});
}

/** An agent gets the estimate but not the storage path. */
function agentJsonExtras(extra: IDataObject): IDataObject {
	return { estimated_credits: extra.estimated_credits };
}
