import type { INodeProperties } from 'n8n-workflow';

// Local constants, not exports: compiled, an exported one becomes `exports.X`, and n8n's
// linter of the published JavaScript only recognises a literal or a plain name as a default.
const DEFAULT_TIMEOUT_SECONDS = 600;
const DEFAULT_CONCURRENCY = 5;
const DEFAULT_MAX_DOWNLOAD_MB = 500;
const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;

export const DEFAULTS = {
	timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
	concurrency: DEFAULT_CONCURRENCY,
	maxDownloadMb: DEFAULT_MAX_DOWNLOAD_MB,
	requestTimeoutSeconds: DEFAULT_REQUEST_TIMEOUT_SECONDS,
} as const;

export function projectIdProperty(operation: string, action: string): INodeProperties {
	return {
		displayName: 'Project ID',
		name: 'projectId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'cm0abc123…',
		description: `ID of the audio project to ${action}, as returned by Clone Voice`,
		displayOptions: { show: { operation: [operation] } },
	};
}

export function waitForCompletionProperty(operation: string): INodeProperties {
	return {
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait until Magic Hour has rendered the audio and return it. Off: return at once with the project ID and status.',
		displayOptions: { show: { operation: [operation] } },
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
		description:
			'How many items are worked on at once (uploads, jobs, waits and downloads overlap). Read from the first item.',
	},
	{
		displayName: 'Delete After Download',
		name: 'deleteAfterDownload',
		type: 'boolean',
		default: false,
		description:
			'Whether to delete the rendered files from Magic Hour once the audio is safely in n8n',
		displayOptions: whenWaiting,
	},
	{
		displayName: 'Download Audio',
		name: 'downloadAudio',
		type: 'boolean',
		default: true,
		description:
			'Whether to download the finished audio into the item\'s binary data. Off: only the download URL (valid 24 hours) is returned.',
		displayOptions: whenWaiting,
	},
	{
		displayName: 'Max Download Size (MB)',
		name: 'maxDownloadSize',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_MAX_DOWNLOAD_MB,
		description: 'Largest audio file to download; a larger one fails the item',
		displayOptions: whenWaiting,
	},
	{
		displayName: 'Output Binary Field',
		name: 'outputBinaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary field that receives the audio',
		displayOptions: whenWaiting,
	},
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'requestTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_REQUEST_TIMEOUT_SECONDS,
		description:
			'How long to wait for Magic Hour to answer one request. Read from the first item.',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_TIMEOUT_SECONDS,
		description:
			'How long one item may take in all, including the wait for the render. A job still running then keeps its ID for Get Audio Project.',
	},
];

/** The "Options" collection of an operation, its options sorted by name as n8n's UI lists them. */
export function optionsCollection(operation: string, options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: [operation] } },
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
