import { updateDisplayOptions } from 'n8n-workflow';
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getAccount } from '../api/account';
import { createVoiceClone } from '../api/voiceCloner';
import { notEnoughCredits, runOverBudget } from '../errors';
import { readAudioSample } from '../input/audioSource';
import type { AudioSample } from '../input/audioSource';
import { readSpokenText } from '../input/prompt';
import type { SpokenText } from '../input/prompt';
import { readDeliverySettings, readMaxCredits } from '../input/settings';
import type { DeliverySettings } from '../input/settings';
import { countCharacters, validateName } from '../input/validation';
import { readVoiceStyle, SPEED_RANGE } from '../input/voiceStyle';
import type { VoiceStyle } from '../input/voiceStyle';
import { toBinaryStore, toMemory, withAudio } from '../output/binaryOutput';
import type { Keep } from '../output/binaryOutput';
import { libraryUrlOf, projectJson, withoutDeletedLink } from '../output/projectJson';
import { SpendBudget } from '../run/budget';
import type { Reservation } from '../run/budget';
import { deleteDelivered, deliverJob } from '../run/delivery';
import type { JobState } from '../run/delivery';
import type { Prepared } from '../run/items';
import { cloneInParts } from '../run/longText';
import { samplePath } from '../run/sampleUploads';
import { savedVoicePath } from '../run/savedVoices';
import { itemDeadline } from '../run/state';
import type { Run } from '../run/state';
import type { Permit } from '../run/width';
import { costOptions, deliveryOptions, optionsCollection, promptProperty, waitForCompletionProperty } from './common.description';
import { savedVoiceProperty, savedVoiceSource } from './savedVoice';

// Plain local names, as in common.description.ts: n8n's linter of the published JavaScript reads only those.
const { min: SLOWEST, max: FASTEST } = SPEED_RANGE;

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
			savedVoiceSource,
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
		options: [urlSource, filePathSource, savedVoiceSource],
		displayOptions: { show: { '@tool': [true] } },
	},
	{
		displayName:
			'An AI agent cannot pass files, so as a tool this node takes the voice sample as a public URL, a Magic Hour file path or a saved voice\'s ID. To clone from a file, use the node in a regular workflow step.',
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
			'A link anyone can open without logging in, ending in an audio file extension such as .mp3, .wav or .m4a; or the library link of audio in your Magic Hour account (https://magichour.ai/my-library?audioId=…, the "library_url" of an earlier clone)',
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
	savedVoiceProperty,
	promptProperty,
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
		...costOptions,
		{
			displayName: 'Language',
			name: 'language',
			type: 'string',
			default: '',
			placeholder: 'e.g. spanish',
			hint: 'Empty or "auto": Magic Hour detects the language from the text',
			description:
				'The language the voice speaks, as its English name in lower case, such as english, spanish, japanese or german. Every part of a long text is spoken in it. Costs nothing extra.',
		},
		{
			displayName: 'Speed',
			name: 'speed',
			type: 'number',
			typeOptions: { minValue: SLOWEST, maxValue: FASTEST, numberPrecision: 2 },
			default: 1,
			description:
				'How fast the voice speaks: from 0.75 (slower) to 1.30 (faster); 1 is normal speed. Every part of a long text is spoken at it. Costs nothing extra.',
		},
		{
			displayName: 'Max Credits per Run',
			name: 'maxCreditsPerRun',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 100,
			description:
				'The most this run may spend, in credits, across all items (and every part of a long text). Before anything is sent, a run whose estimate is higher fails unpaid; during the run, an item that could take the total over it fails unpaid. Remove the option for no limit. Applies to the whole run: an expression here is evaluated once, with the first input item.',
		},
		...deliveryOptions,
	]),
];

export const description = updateDisplayOptions({ show: { operation: ['clone'] } }, properties);

export interface CloneInput {
	sample: AudioSample;
	text: SpokenText;
	/** Language and Speed, sent only when set. */
	style: VoiceStyle;
	name?: string;
	delivery: DeliverySettings;
}

/** Reads and checks everything of one item. Sends nothing, so a bad item costs nothing. */
export async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<CloneInput> {
	const text = readSpokenText(ctx, itemIndex);
	const name = validateName(ctx.getNode(), itemIndex, ctx.getNodeParameter('name', itemIndex, ''));
	const delivery = readDeliverySettings(ctx, itemIndex);
	const style = readVoiceStyle(ctx, itemIndex);
	const sample = await readAudioSample(ctx, itemIndex);
	return { sample, text, style, name, delivery };
}

/** One job per part of a long text, else one. */
export function jobs(input: CloneInput): number {
	return input.text.parts?.length ?? 1;
}

/** A saved voice is looked up (free; the list is read once per run) before anything is paid. */
export async function verify(run: Run, input: CloneInput, itemIndex: number): Promise<void> {
	if (input.sample.source === 'savedVoice') await savedVoicePath(run, input.sample.savedVoiceId, itemIndex);
}

/**
 * Before the first item: the run's estimate against Max Credits per Run and against the account's
 * balance (GET /v1/account, free). Either refusal fails every item with nothing paid. A balance that
 * cannot be read is said in n8n's log and the run goes on.
 */
export async function beforeRun(run: Run, items: Array<Prepared<CloneInput>>): Promise<((itemIndex: number) => Error) | undefined> {
	const node = run.ctx.getNode();
	const estimate = items.reduce((sum, { input }) => sum + input.text.estimatedCredits, 0);
	const characters = items.reduce((sum, { input }) => sum + input.text.characters, 0);
	const rate = items[0]?.input.text.rate ?? 0;
	const limit = readMaxCredits(run.ctx);
	if (limit !== undefined && estimate > limit) {
		return (itemIndex) => runOverBudget(node, { itemIndex, estimate, limit, items: items.length, characters, rate });
	}
	if (estimate > 0) {
		const balance = await readBalance(run, items[0].itemIndex);
		if (balance !== undefined && balance < estimate) {
			return (itemIndex) => notEnoughCredits(node, { itemIndex, balance, estimate });
		}
	}
	if (limit !== undefined) run.budget = new SpendBudget(limit, run.paidJobs, run.ctx);
	return undefined;
}

/** The account's credits, or undefined (and a line in n8n's log) when Magic Hour does not tell them. */
async function readBalance(run: Run, itemIndex: number): Promise<number | undefined> {
	let why: string;
	try {
		const account = await getAccount(run, itemIndex);
		if (typeof account?.credits === 'number' && Number.isFinite(account.credits)) return account.credits;
		why = 'its answer has no "credits"';
	} catch (error) {
		why = error instanceof Error ? error.message : String(error);
	}
	run.ctx.logger.warn(
		`Magic Hour Voice Cloner could not read the account balance before the run (${why}); the run goes on without checking that the account can pay for it.`,
	);
	return undefined;
}

/**
 * One voice clone job, for a short prompt or one part of a long text: the paid create, sent once
 * (see api/voiceCloner.ts) and within Max Credits per Run (run/budget.ts), then the wait and the
 * download as the settings ask. `job` is filled in as it goes, so that a failure still tells what
 * was paid.
 */
async function cloneJob<T>(
	run: Run,
	request: { audioFilePath: string; prompt: string; name?: string; style: VoiceStyle; itemIndex: number; deadline: number },
	job: JobState<T>,
	delivery: { settings: DeliverySettings; keep: Keep<T>; stop?: AbortSignal; budget?: { reservation: Reservation; part: number } },
): Promise<void> {
	const send = async () => await createVoiceClone(run, request);
	const { budget } = delivery;
	const created = budget ? await budget.reservation.pay(budget.part, send) : await send();
	Object.assign(job, { id: created.id, creditsCharged: created.credits_charged, status: 'queued' });
	const watch = run.renderTimes.watch(countCharacters(request.prompt));
	await deliverJob(run, job, { ...delivery, itemIndex: request.itemIndex, deadline: request.deadline, watch });
}

/** What an item says of the run's spending: the total so far, and a note when the charge was not the estimate. */
function spending(run: Run, text: SpokenText, creditsCharged: number | undefined): IDataObject {
	const json: IDataObject = { run_credits_charged: run.paidJobs.charged() };
	const charged = run.paidJobs.chargedRate();
	if (charged !== undefined && creditsCharged !== undefined && creditsCharged !== text.estimatedCredits) {
		const about = Number(charged.toFixed(4));
		json.rate_note = `Magic Hour charged ${creditsCharged} credits, the estimate at ${text.rate} credits per character was ${text.estimatedCredits}. This run was charged about ${about} credits per character: set "Credits per Character (Estimate)" to ${about} for estimates and budgets that match.`;
	}
	return json;
}

/**
 * Speaks the prompt: one job, or one per part of a long text (joined by run/longText.ts), whose first part
 * takes over the item's `permit`.
 */
export async function execute(run: Run, input: CloneInput, itemIndex: number, permit: Permit): Promise<INodeExecutionData> {
	const { delivery, text, style } = input;
	const characters = text.parts ? text.parts.map((part) => part.characters) : [text.characters];
	const reservation = await run.budget?.reserve(characters, text.rate, itemIndex);
	try {
		const deadline = itemDeadline(run, delivery.timeoutSeconds);
		const audioFilePath = await samplePath(run, input.sample, itemIndex, deadline);
		const extra: IDataObject = {
			audio_file_path: audioFilePath,
			prompt_characters: text.characters,
			estimated_credits: text.estimatedCredits,
		};
		const budget = (part: number) => reservation && { reservation, part };
		if (text.parts) {
			const longText = { name: input.name, parts: text.parts, delivery, extra, estimatedCredits: text.estimatedCredits };
			const item = await cloneInParts(run, longText, { itemIndex, deadline, permit }, async ({ index, prompt, name }, state, stop) => {
				const request = { audioFilePath, prompt, name, style, itemIndex, deadline };
				await cloneJob(run, request, state, { settings: delivery, keep: toMemory(run.ctx), stop, budget: budget(index) });
			});
			return { ...item, json: { ...item.json, ...spending(run, text, item.json.credits_charged as number) } };
		}

		const request = { audioFilePath, prompt: text.prompt, name: input.name, style, itemIndex, deadline };
		const job: JobState<IBinaryData> = { status: 'not sent' };
		await cloneJob(run, request, job, { settings: delivery, keep: toBinaryStore(run.ctx), budget: budget(0) });
		// An agent gets the estimate but not the storage path.
		const added = { ...(delivery.forAgent ? { estimated_credits: text.estimatedCredits } : extra), ...spending(run, text, job.creditsCharged) };
		if (!job.project) {
			const queued = { id: job.id, credits_charged: job.creditsCharged, status: 'queued', name: input.name ?? null, library_url: null };
			return { json: { ...queued, ...added } };
		}
		const json = projectJson(job.project, delivery.forAgent ? 'agent' : 'plain', { library_url: libraryUrlOf(job.project), ...added });
		if (!job.audio) return { json };
		if (delivery.deleteAfterDownload) Object.assign(json, await deleteDelivered(run, [{ id: job.id! }], itemIndex, deadline));
		return withAudio(withoutDeletedLink(json), delivery.outputProperty, job.audio);
	} finally {
		reservation?.release();
	}
}
