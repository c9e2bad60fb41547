import type { INodeProperties } from 'n8n-workflow';

import { DEFAULTS } from '../input/settings';

// Plain local names: compiled, `DEFAULTS.x` becomes `settings_1.DEFAULTS.x`, and n8n's linter of
// the published JavaScript only recognises a literal or a plain name as a default.
const {
	timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
	concurrency: DEFAULT_CONCURRENCY,
	maxDownloadMb: DEFAULT_MAX_DOWNLOAD_MB,
	requestTimeoutSeconds: DEFAULT_REQUEST_TIMEOUT_SECONDS,
	creditsPerCharacter: DEFAULT_CREDITS_PER_CHARACTER,
	maxCharacters: DEFAULT_MAX_CHARACTERS,
} = DEFAULTS;

/** The text to speak: Clone Voice speaks it, Estimate Cost prices it. */
export const promptProperty: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	required: true,
	placeholder: 'Hello! This is my cloned voice speaking.',
	description:
		'The text to speak in the cloned voice: 1 to 1000 characters, or more with Options → Long Text. Magic Hour charges credits per character.',
};

/** The options that decide what a prompt costs, the same for Clone Voice and Estimate Cost. */
export const costOptions: INodeProperties[] = [
	{
		displayName: 'Credits per Character (Estimate)',
		name: 'creditsPerCharacter',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: DEFAULT_CREDITS_PER_CHARACTER,
		description:
			'Rate of every estimate: "estimated_credits", Estimate Cost, Max Credits per Run and the balance check before a run. What you are actually charged is "credits_charged", as Magic Hour reports it.',
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
];

export function projectIdProperty(action: string): INodeProperties {
	return {
		displayName: 'Project ID',
		name: 'projectId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'cm0abc123…',
		description: `ID of the audio project to ${action}, as output by Clone Voice`,
	};
}

const WAIT_FOR_COMPLETION_HELP: Record<string, string> = {
	clone:
		'Whether to wait until the audio is ready (usually within a minute) and output it. If off, the node outputs only the project ID at once; get the audio later with Get Audio Project.',
	get: 'Whether to wait until the project\'s audio is ready and output it. If off, the node outputs the project as it is now.',
};

export function waitForCompletionProperty(operation: string): INodeProperties {
	return {
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description: WAIT_FOR_COMPLETION_HELP[operation],
	};
}

// Options of a collection cannot depend on a sibling option the user has not added (n8n then
// drops them), so download options depend only on "Wait for Completion".
const whenWaiting = { show: { '/waitForCompletion': [true] } };

/** Options shared by every operation that may wait for and download a project. */
export const deliveryOptions: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_CONCURRENCY,
		// Concurrency and Request Timeout apply to the whole run, so an expression in them is read once.
		description:
			'The most jobs to have at work at the same time (each item, and each part of a long text, is one). Not added: automatic, starting at 5 and rising while Magic Hour accepts requests (up to 200, or 50 with long texts), slowing down when it answers "too many requests". Add it to fix the number yourself. Applies to the whole run: an expression here is evaluated once, with the first input item.',
	},
	{
		displayName: 'Delete After Download',
		name: 'deleteAfterDownload',
		type: 'boolean',
		default: false,
		description:
			'Whether to delete the project from Magic Hour once its audio is in n8n. It can then no longer be fetched with Get Audio Project.',
		displayOptions: whenWaiting,
	},
	{
		displayName: 'Download Audio',
		name: 'downloadAudio',
		type: 'boolean',
		default: true,
		description:
			'Whether to put the finished audio file into the output. If off, the output has only a download link, valid for 24 hours.',
		displayOptions: whenWaiting,
	},
	{
		displayName: 'Max Download Size (MB)',
		name: 'maxDownloadSize',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_MAX_DOWNLOAD_MB,
		description:
			'Largest audio file to download, in megabytes. A larger file fails the item; the error keeps the project ID.',
		displayOptions: whenWaiting,
	},
	{
		displayName: 'Output Binary Field',
		name: 'outputBinaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the output binary field that receives the audio file. Later nodes refer to the file by this name.',
		displayOptions: whenWaiting,
	},
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'requestTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_REQUEST_TIMEOUT_SECONDS,
		description:
			'How long to wait for Magic Hour to answer a single request before giving up. Applies to the whole run: an expression here is evaluated once, with the first input item.',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_TIMEOUT_SECONDS,
		description:
			'How long one item may take in total, including the wait for the audio. If Magic Hour is still working then, the item fails with the project ID: collect the audio later with Get Audio Project (free).',
	},
];

/** The "Options" collection of an operation, its options sorted by name as n8n's UI lists them. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
