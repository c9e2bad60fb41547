import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import { clock } from '../transport';
import type { MagicHourConnection } from '../transport';
import { operationError, withFailureContext } from '../transport/errors';
import type { FailureContext } from '../transport/errors';
import { mimeTypeForExtension } from './audioFormats';
import { joinAudio } from './audioJoin';
import type { AudioSample } from './audioSource';
import { audioFileName, downloadAudioBytes, MEGABYTE } from './binaryOutput';
import { deleteProject } from './delivery';
import type { DeliverySettings } from './delivery';
import { forEachInFlight } from './inFlight';
import { assertComplete, waitForProject } from './polling';
import type { AudioProject } from './polling';
import { samplePath } from './sampleUploads';
import { splitText } from './textParts';
import { countCharacters, MAX_PROMPT_CHARACTERS } from './validation';
import { createVoiceClone } from './voiceClone';

/** One part of a long text, as cloned on its own. */
export interface TextPart {
	text: string;
	characters: number;
	estimatedCredits: number;
}

export interface LongTextInput {
	sample: AudioSample;
	name?: string;
	parts: TextPart[];
	/** Of the whole prompt. */
	characters: number;
	/** The sum of the parts' estimates. */
	estimatedCredits: number;
	delivery: DeliverySettings;
	/** How many parts run at once: the node's Concurrency. */
	concurrency: number;
}

/** The parts of a prompt over the limit of one clone, each with its estimate. */
export function planParts(prompt: string, estimate: (characters: number) => number): TextPart[] {
	return splitText(prompt, MAX_PROMPT_CHARACTERS).map((text) => {
		const characters = countCharacters(text);
		return { text, characters, estimatedCredits: estimate(characters) };
	});
}

/** How far one part got. */
interface PartState {
	number: number;
	part: TextPart;
	id?: string;
	creditsCharged?: number;
	/** A project status, or "not sent" / "failed" while no job is known. */
	status: string;
	project?: AudioProject;
	audio?: Buffer;
}

interface ItemJob {
	audioFilePath: string;
	itemIndex: number;
	deadline: number;
}

/**
 * Clones a text too long for one request in parts, all from one upload of the sample, with up
 * to `concurrency` parts at once, and joins their audio into one file. Each part's create is
 * sent once. A failed part fails the item; its error lists the parts that have a paid job.
 */
export async function cloneInParts(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	input: LongTextInput,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const deadline = clock().now() + input.delivery.timeoutSeconds * 1000;
	const audioFilePath = await samplePath(ctx, connection, input.sample, itemIndex, deadline);
	const job = { audioFilePath, itemIndex, deadline };
	const states = await runParts(ctx, connection, input, job);
	const extra: IDataObject = {
		audio_file_path: audioFilePath,
		prompt_characters: input.characters,
		estimated_credits: input.estimatedCredits,
	};
	const { delivery } = input;
	if (delivery.forAgent) return { json: agentJson(input, states) };
	if (!delivery.wait) return { json: itemJson(input, states, 'queued', extra) };
	if (!delivery.download) return { json: itemJson(input, states, 'complete', extra, { downloads: true }) };
	return await joinParts(ctx, connection, input, states, job, extra);
}

async function runParts(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	input: LongTextInput,
	job: ItemJob,
): Promise<PartState[]> {
	const states: PartState[] = input.parts.map((part, index) => ({ number: index + 1, part, status: 'not sent' }));
	// A failed part ends the other parts' waits for their render at once, through this signal.
	// Creates and downloads keep the execution's own: one in flight is let finish (a create, so
	// that its job is known; a download, as it is short), and none starts after the failure.
	const stop = new AbortController();
	const waits: MagicHourConnection = {
		...connection,
		signal: connection.signal ? AbortSignal.any([connection.signal, stop.signal]) : stop.signal,
	};
	let failed: { state: PartState; error: Error } | undefined;
	await forEachInFlight(
		states.length,
		input.concurrency,
		async (index) => {
			const state = states[index];
			try {
				await runPart(ctx, { main: connection, waits }, input, state, job);
			} catch (error) {
				if (!state.id) state.status = 'failed';
				if (!failed) {
					failed = { state, error: error as Error };
					stop.abort();
				}
			}
		},
		// No part is started after one failed: it would be paid for an item that fails anyway.
		() => failed !== undefined || connection.signal?.aborted === true,
	);
	if (failed) throw partFailed(ctx, failed, states, job.itemIndex);
	return states;
}

async function runPart(
	ctx: IExecuteFunctions,
	connections: { main: MagicHourConnection; waits: MagicHourConnection },
	input: LongTextInput,
	state: PartState,
	job: ItemJob,
): Promise<void> {
	const { delivery } = input;
	const stopped = () => connections.waits.signal?.aborted === true;
	const created = await createVoiceClone(ctx, connections.main, {
		audioFilePath: job.audioFilePath,
		prompt: state.part.text,
		name: input.name && `${input.name} (part ${state.number} of ${input.parts.length})`,
		itemIndex: job.itemIndex,
		deadline: job.deadline,
	});
	Object.assign(state, { id: created.id, creditsCharged: created.credits_charged, status: 'queued' });
	if (!delivery.wait || stopped()) return;

	const project = await waitForProject(ctx, connections.waits, {
		projectId: created.id,
		itemIndex: job.itemIndex,
		deadline: job.deadline,
		timeoutSeconds: delivery.timeoutSeconds,
	});
	seen(state, project);
	assertComplete(ctx, project, job.itemIndex);
	if (!delivery.download || stopped()) return;
	const downloaded = await downloadAudioBytes(ctx, connections.main, project, {
		itemIndex: job.itemIndex,
		deadline: job.deadline,
		timeoutSeconds: delivery.timeoutSeconds,
		maxBytes: delivery.maxBytes,
	});
	seen(state, downloaded.project);
	state.audio = downloaded.audio;
}

function seen(state: PartState, project: AudioProject): void {
	Object.assign(state, { project, status: project.status, creditsCharged: project.credits_charged });
}

async function joinParts(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	input: LongTextInput,
	states: PartState[],
	job: ItemJob,
	extra: IDataObject,
): Promise<INodeExecutionData> {
	const audios = states.map((state) => state.audio as Buffer);
	const bytes = audios.reduce((sum, audio) => sum + audio.length, 0);
	if (bytes > input.delivery.maxBytes) {
		throw notJoined(
			ctx,
			states,
			job.itemIndex,
			`together they are ${Math.ceil(bytes / MEGABYTE)} MB, over the "Max Download Size" of ${Math.round(input.delivery.maxBytes / MEGABYTE)} MB`,
			'Raise "Max Download Size" in the options, or turn off "Download Audio" to get each part\'s link.',
		);
	}
	let joined: ReturnType<typeof joinAudio>;
	try {
		joined = joinAudio(audios);
	} catch (error) {
		throw notJoined(
			ctx,
			states,
			job.itemIndex,
			(error as Error).message,
			'Turn off "Download Audio" to get each part\'s download link instead, and join them with a tool that re-encodes audio.',
		);
	}
	const first = states[0].project as AudioProject;
	const binary = await ctx.helpers.prepareBinaryData(
		joined.audio,
		audioFileName({ ...first, name: input.name ?? first.name }, joined.format),
		mimeTypeForExtension(joined.format),
	);
	const json = itemJson(input, states, 'complete', extra);
	if (input.delivery.deleteAfterDownload) Object.assign(json, await deleteParts(ctx, connection, states, job));
	return { json, binary: { [input.delivery.outputProperty]: binary } };
}

/** Deletes every part once the joined audio is in n8n; a failed delete is reported, not thrown. */
async function deleteParts(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	states: PartState[],
	job: ItemJob,
): Promise<IDataObject> {
	const problems: string[] = [];
	await forEachInFlight(states.length, states.length, async (index) => {
		const { id, number } = states[index];
		try {
			await deleteProject(ctx, connection, id as string, job.itemIndex, job.deadline);
		} catch (error) {
			problems[index] = `part ${number} (${id}): ${(error as Error).message}`;
		}
	});
	const failures = problems.filter(Boolean);
	return failures.length ? { deleted: false, delete_error: failures.join('; ') } : { deleted: true };
}

function partJson(state: PartState, withDownloads = false): IDataObject {
	return {
		id: state.id ?? null,
		characters: state.part.characters,
		credits_charged: state.creditsCharged ?? null,
		status: state.status,
		...(withDownloads ? { downloads: state.project?.downloads ?? [] } : {}),
	};
}

/** The item: the first part's id (so that `id` stays one string), sums, and every part. */
function itemJson(
	input: LongTextInput,
	states: PartState[],
	status: string,
	extra: IDataObject,
	options: { downloads?: boolean } = {},
): IDataObject {
	const first = states[0];
	return {
		id: first.id,
		status,
		...(first.project ? { type: first.project.type } : {}),
		name: input.name ?? first.project?.name ?? null,
		...(first.project ? { created_at: first.project.created_at } : {}),
		credits_charged: states.reduce((sum, state) => sum + (state.creditsCharged ?? 0), 0),
		...extra,
		parts: states.map((state) => partJson(state, options.downloads)),
	};
}

/** An AI agent gets each part's link, never audio bytes. */
function agentJson(input: LongTextInput, states: PartState[]): IDataObject {
	return {
		id: states[0].id,
		status: input.delivery.wait ? 'complete' : 'queued',
		credits_charged: states.reduce((sum, state) => sum + (state.creditsCharged ?? 0), 0),
		estimated_credits: input.estimatedCredits,
		parts: states.map((state) => ({
			...partJson(state),
			download_url: state.project?.downloads?.[0]?.url ?? null,
			download_expires_at: state.project?.downloads?.[0]?.expires_at ?? null,
		})),
	};
}

/** "part 1 cm0a… (complete), part 2 cm0b… (rendering)": the parts that have a Magic Hour job. */
function jobsOf(states: PartState[]): string {
	return states
		.filter((state) => state.id)
		.map((state) => `part ${state.number} ${state.id} (${state.status})`)
		.join(', ');
}

/** The error of an item whose parts did not all come through. */
function itemError(
	ctx: IExecuteFunctions,
	states: PartState[],
	itemIndex: number,
	details: { message: string; description: string; context?: FailureContext },
): NodeOperationError {
	const jobs = jobsOf(states);
	const error = operationError(ctx.getNode(), jobs ? `${details.message}. Parts with a paid job: ${jobs}` : details.message, {
		itemIndex,
		description: details.description,
	});
	const first = states.find((state) => state.id);
	withFailureContext(error, { ...details.context, projectId: details.context?.projectId ?? first?.id });
	error.context.parts = states.map((state) => partJson(state));
	return error;
}

const COLLECT_PARTS =
	'The parts with a job are paid: collect their audio with "Get Audio Project" and their ids, at no cost. Running this item again clones every part again, and pays for every part again.';

function partFailed(
	ctx: IExecuteFunctions,
	failed: { state: PartState; error: Error },
	states: PartState[],
	itemIndex: number,
): NodeOperationError {
	const { state, error } = failed;
	const context = ((error as { context?: FailureContext }).context ?? {}) as FailureContext;
	const notSent = states.filter((each) => each.status === 'not sent').map((each) => each.number);
	const description = (error as { description?: unknown }).description;
	return itemError(ctx, states, itemIndex, {
		message: `Part ${state.number} of ${states.length} of the text failed: ${error.message}`,
		description: [
			typeof description === 'string' ? description : '',
			notSent.length ? `Part${notSent.length > 1 ? 's' : ''} ${notSent.join(', ')} ${notSent.length > 1 ? 'were' : 'was'} not sent: nothing was paid for ${notSent.length > 1 ? 'them' : 'it'}.` : '',
			jobsOf(states) ? COLLECT_PARTS : '',
		]
			.filter(Boolean)
			.join(' '),
		context: { projectId: state.id ?? context.projectId, errorCode: context.errorCode, httpStatus: context.httpStatus },
	});
}

function notJoined(
	ctx: IExecuteFunctions,
	states: PartState[],
	itemIndex: number,
	reason: string,
	fix: string,
): NodeOperationError {
	return itemError(ctx, states, itemIndex, {
		message: `The audio of the ${states.length} parts could not be joined: ${reason}`,
		description: `Every part was rendered. ${fix} ${COLLECT_PARTS}`,
		context: { errorCode: 'not_joined' },
	});
}
