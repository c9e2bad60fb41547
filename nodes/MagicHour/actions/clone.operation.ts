import { updateDisplayOptions } from 'n8n-workflow';
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createVoiceClone } from '../api/voiceCloner';
import { readAudioSample } from '../input/audioSource';
import type { AudioSample } from '../input/audioSource';
import { readConcurrency, readDeliverySettings } from '../input/settings';
import type { DeliverySettings } from '../input/settings';
import { countCharacters, MAX_PROMPT_CHARACTERS, requireNumber, validateName, validatePrompt } from '../input/validation';
import { cloneInParts, planParts } from '../longText/longText';
import type { TextPart } from '../longText/longText';
import { toBinaryStore, toMemory, withAudio } from '../output/binaryOutput';
import type { Keep } from '../output/binaryOutput';
import { projectJson } from '../output/projectJson';
import { deleteDelivered, deliverJob } from '../run/delivery';
import type { JobState } from '../run/delivery';
import { itemDeadline } from '../run/state';
import type { Run } from '../run/state';
import { samplePath } from '../run/sampleUploads';
import { deliveryOptions, optionsCollection, waitForCompletionProperty } from './common.description';

/** The product brief's rate; Magic Hour's newest docs say 0.1. Only the estimate uses it. */
const DEFAULT_CREDITS_PER_CHARACTER = 0.05;
/** Guard of Long Text = Split: 10000 characters ≈ 500 credits at the brief's rate. */
const DEFAULT_MAX_CHARACTERS = 10000;

const urlSource = {
	name: 'URL',
	value: 'url',
	description: 'A public link to an audio file, such as https://example.com/my-voice.mp3',
};

const filePathSource = {
	name: 'Magic Hour File Path',
	value: 'filePath',
	description: 'A sample already uploaded to Magic Hour: the "audio_file_path" of an earlier run (kept 7 days)',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Audio Source',
		name: 'audioSource',
		type: 'options',
		noDataExpression: true,
		default: 'binary',
		description:
			'Where the voice sample to clone comes from. Best: 10 to 30 seconds of clear speech by one speaker.',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description:
					'An audio file from the previous node, e.g. Read/Write Files from Disk, HTTP Request or a form upload',
			},
			urlSource,
			filePathSource,
		],
		displayOptions: { show: { '@tool': [false] } },
	},
	// An AI agent can only pass text, never a file: its variant of the node offers the text sources.
	{
		displayName: 'Audio Source',
		name: 'audioSource',
		type: 'options',
		noDataExpression: true,
		default: 'url',
		description:
			'Where the voice sample to clone comes from. Best: 10 to 30 seconds of clear speech by one speaker.',
		options: [urlSource, filePathSource],
		displayOptions: { show: { '@tool': [true] } },
	},
	{
		displayName:
			'An AI agent cannot pass files, so as a tool this node takes the voice sample as a public URL or a Magic Hour file path. To clone from a file, use the node in a regular workflow step.',
		name: 'agentAudioSourceNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { '@tool': [true] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name shown on the file in the previous node\'s output, usually "data"',
		description: 'Name of the binary field of the input item that holds the voice sample',
		displayOptions: { show: { audioSource: ['binary'] } },
	},
	{
		displayName: 'Audio URL',
		name: 'audioUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/my-voice.mp3',
		description:
			'A link anyone can open without logging in. It must end in an audio file extension such as .mp3, .wav or .m4a.',
		displayOptions: { show: { audioSource: ['url'] } },
	},
	{
		displayName: 'Magic Hour File Path',
		name: 'audioFilePath',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'api-assets/…/0.mp3',
		description:
			'The "audio_file_path" from the output of Upload Voice Sample or of an earlier Clone Voice run. Magic Hour keeps uploaded samples for 7 days.',
		displayOptions: { show: { audioSource: ['filePath'] } },
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
			'The text to speak in the cloned voice: 1 to 1000 characters, or more with Options → Long Text. Magic Hour charges credits per character.',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'Welcome message',
		description:
			'Name of the project in your Magic Hour library, also used for the audio file name. Leave empty to let Magic Hour name it, e.g. "Voice Cloner - 2026-05-01 09:30:00".',
	},
	waitForCompletionProperty('clone'),
	optionsCollection([
		{
			displayName: 'Credits per Character (Estimate)',
			name: 'creditsPerCharacter',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: DEFAULT_CREDITS_PER_CHARACTER,
			description:
				'Rate used only to compute "estimated_credits" in the output. What you are actually charged is "credits_charged", as Magic Hour reports it.',
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

export const description = updateDisplayOptions({ show: { operation: ['clone'] } }, properties);

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

/**
 * One voice clone job, for a short prompt or one part of a long text: the paid create, sent once
 * (see api/voiceCloner.ts), then the wait and the download as the settings ask. `job` is filled
 * in as it goes, so that a failure still tells what was paid.
 */
async function cloneJob<T>(
	run: Run,
	request: { audioFilePath: string; prompt: string; name?: string; itemIndex: number; deadline: number },
	job: JobState<T>,
	delivery: { settings: DeliverySettings; keep: Keep<T>; stop?: AbortSignal },
): Promise<void> {
	const created = await createVoiceClone(run, request);
	Object.assign(job, { id: created.id, creditsCharged: created.credits_charged, status: 'queued' });
	const watch = run.renderTimes.watch(countCharacters(request.prompt));
	await deliverJob(run, job, { ...delivery, itemIndex: request.itemIndex, deadline: request.deadline, watch });
}

/** Speaks the prompt: one job, or one per part of a long text (joined by longText/longText.ts). */
export async function execute(run: Run, input: CloneInput, itemIndex: number): Promise<INodeExecutionData> {
	const { delivery } = input;
	const deadline = itemDeadline(run, delivery.timeoutSeconds);
	const audioFilePath = await samplePath(run, input.sample, itemIndex, deadline);
	const extra: IDataObject = {
		audio_file_path: audioFilePath,
		prompt_characters: input.characters,
		estimated_credits: input.estimatedCredits,
	};
	if (input.longText) {
		const { parts, concurrency } = input.longText;
		const text = { name: input.name, parts, concurrency, delivery, extra, estimatedCredits: input.estimatedCredits };
		return await cloneInParts(run, text, { itemIndex, deadline }, async (part, state, stop) => {
			const request = { audioFilePath, ...part, itemIndex, deadline };
			await cloneJob(run, request, state, { settings: delivery, keep: toMemory(run.ctx), stop });
		});
	}

	const request = { audioFilePath, prompt: input.prompt, name: input.name, itemIndex, deadline };
	const job: JobState<IBinaryData> = { status: 'not sent' };
	await cloneJob(run, request, job, { settings: delivery, keep: toBinaryStore(run.ctx) });
	// An agent gets the estimate but not the storage path.
	const added = delivery.forAgent ? { estimated_credits: input.estimatedCredits } : extra;
	if (!job.project) {
		const queued = { id: job.id, credits_charged: job.creditsCharged, status: 'queued', name: input.name ?? null };
		return { json: { ...queued, ...added } };
	}
	const json = projectJson(job.project, delivery.forAgent ? 'agent' : 'plain', added);
	if (!job.audio) return { json };
	if (delivery.deleteAfterDownload) Object.assign(json, await deleteDelivered(run, [{ id: job.id! }], itemIndex, deadline));
	return withAudio(json, delivery.outputProperty, job.audio);
}
