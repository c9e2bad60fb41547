/**
 * Long texts: a prompt over the 1000 characters of one clone is split into parts (planned when the item
 * is read: input/prompt.ts, cut by longText/textParts.ts),
 * each part is cloned by the same job as a short prompt, from one upload of the sample, each part one job
 * of the run's width (width.ts: the first part takes over the item's permit, the others wait for theirs
 * before any later item), and their audio is joined into one file (longText/audioJoin.ts). A failed part
 * fails the item; its error lists the parts that have a paid job.
 */
import type { IDataObject, INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import type { AudioProject } from '../api/audioProjects';
import { failureOf, operationError } from '../errors';
import type { FailureContext } from '../errors';
import type { TextPart } from '../input/prompt';
import type { DeliverySettings } from '../input/settings';
import { MEGABYTE } from '../input/settings';
import { joinAudio } from '../longText/audioJoin';
import { storeAudio, withAudio } from '../output/binaryOutput';
import { partJson, withoutDeletedLink } from '../output/projectJson';
import { deleteDelivered } from './delivery';
import type { JobState } from './delivery';
import type { Run } from './state';
import { forEachWithPermit } from './width';
import type { Permit } from './width';

export interface LongText {
	name?: string;
	parts: TextPart[];
	delivery: DeliverySettings;
	/** The sums and sample the item's JSON shows besides the parts. */
	extra: IDataObject;
	estimatedCredits: number;
}

/**
 * Clones one part: the same job as a short prompt (see actions/clone.operation.ts), filling in
 * `state` as it goes. `stop` fires when another part failed.
 */
export type PartJob = (
	part: { index: number; prompt: string; name?: string },
	state: JobState<Buffer>,
	stop: AbortSignal,
) => Promise<void>;

/** How far one part got. */
interface PartState extends JobState<Buffer> {
	number: number;
	part: TextPart;
}

/** Clones `text` part by part with `cloneJob` and joins the audio, as described at the top of this file. */
export async function cloneInParts(
	run: Run,
	text: LongText,
	job: { itemIndex: number; deadline: number; permit: Permit },
	cloneJob: PartJob,
): Promise<INodeExecutionData> {
	const states = await runParts(run, text, job, cloneJob);
	const { delivery } = text;
	if (delivery.forAgent) return { json: agentJson(text, states) };
	if (!delivery.wait) return { json: itemJson(text, states, 'queued') };
	if (!delivery.download) return { json: itemJson(text, states, 'complete', 'downloads') };
	return await joinParts(run, text, states, job);
}

async function runParts(
	run: Run,
	text: LongText,
	{ itemIndex, permit }: { itemIndex: number; permit: Permit },
	cloneJob: PartJob,
): Promise<PartState[]> {
	const states: PartState[] = text.parts.map((part, index) => ({ number: index + 1, part, status: 'not sent' }));
	// A failed part ends the other parts' waits for their render, and for a permit, at once, through
	// this signal. Creates and downloads keep the execution's own: one in flight is let finish (a
	// create, so that its job is known; a download, as it is short), and none starts after the failure.
	const stop = new AbortController();
	const { signal } = run.connection;
	const waitForPermit = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
	let failed: { state: PartState; error: Error } | undefined;
	await forEachWithPermit(
		states.length,
		async () => await run.width.acquire(itemIndex, waitForPermit),
		async (index) => {
			const state = states[index];
			const name = text.name && `${text.name} (part ${state.number} of ${states.length})`;
			try {
				await cloneJob({ index, prompt: state.part.text, name }, state, stop.signal);
			} catch (error) {
				// A part refused for the budget was not sent; any other failure without a job id, may have been.
				if (!state.id) state.status = failureOf(error).context.errorCode === 'over_budget' ? 'not sent' : 'failed';
				if (!failed) {
					failed = { state, error: error as Error };
					stop.abort();
				}
			}
		},
		// No part is started after one failed: it would be paid for an item that fails anyway.
		() => failed !== undefined || signal?.aborted === true,
		permit,
	);
	if (failed) throw partFailed(run, failed, states, itemIndex);
	return states;
}

async function joinParts(
	run: Run,
	text: LongText,
	states: PartState[],
	job: { itemIndex: number; deadline: number },
): Promise<INodeExecutionData> {
	const audios = states.map((state) => state.audio as Buffer);
	const bytes = audios.reduce((sum, audio) => sum + audio.length, 0);
	if (bytes > text.delivery.maxBytes) {
		throw notJoined(
			run,
			states,
			job.itemIndex,
			`together they are ${Math.ceil(bytes / MEGABYTE)} MB, over the "Max Download Size" of ${Math.round(text.delivery.maxBytes / MEGABYTE)} MB`,
			'Raise "Max Download Size" in the options, or turn off "Download Audio" to get each part\'s link.',
		);
	}
	let joined: ReturnType<typeof joinAudio>;
	try {
		joined = joinAudio(audios);
	} catch (error) {
		throw notJoined(
			run,
			states,
			job.itemIndex,
			(error as Error).message,
			'Turn off "Download Audio" to get each part\'s download link instead, and join them with a tool that re-encodes audio.',
		);
	}
	const first = states[0].project as AudioProject;
	const binary = await storeAudio(run.ctx, joined.audio, { ...first, name: text.name ?? first.name }, joined.format);
	const json = itemJson(text, states, 'complete');
	if (text.delivery.deleteAfterDownload) {
		const parts = states.map((state) => ({ id: state.id as string, label: `part ${state.number} (${state.id})` }));
		Object.assign(json, await deleteDelivered(run, parts, job.itemIndex, job.deadline));
	}
	return withAudio(withoutDeletedLink(json), text.delivery.outputProperty, binary);
}

function creditsCharged(states: PartState[]): number {
	return states.reduce((sum, state) => sum + (state.creditsCharged ?? 0), 0);
}

function progressOf(state: PartState) {
	return { ...state, characters: state.part.characters };
}

/** The item: the first part's id (so that `id` stays one string), sums, and every part. */
function itemJson(text: LongText, states: PartState[], status: string, parts: 'plain' | 'downloads' = 'plain'): IDataObject {
	const first = states[0];
	return {
		id: first.id,
		status,
		...(first.project ? { type: first.project.type } : {}),
		name: text.name ?? first.project?.name ?? null,
		...(first.project ? { created_at: first.project.created_at } : {}),
		credits_charged: creditsCharged(states),
		...text.extra,
		parts: states.map((state) => partJson(progressOf(state), parts)),
	};
}

/** An AI agent gets each part's link, never audio bytes. */
function agentJson(text: LongText, states: PartState[]): IDataObject {
	return {
		id: states[0].id,
		status: text.delivery.wait ? 'complete' : 'queued',
		credits_charged: creditsCharged(states),
		estimated_credits: text.estimatedCredits,
		parts: states.map((state) => partJson(progressOf(state), 'agent')),
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
	run: Run,
	states: PartState[],
	itemIndex: number,
	details: { message: string; description: string; context?: FailureContext },
): NodeOperationError {
	const jobs = jobsOf(states);
	const first = states.find((state) => state.id);
	return operationError(run.ctx.getNode(), jobs ? `${details.message}. Parts with a paid job: ${jobs}` : details.message, {
		itemIndex,
		description: details.description,
		context: {
			...details.context,
			projectId: details.context?.projectId ?? first?.id,
			parts: states.map((state) => partJson(progressOf(state))),
		},
	});
}

function partFailed(
	run: Run,
	failed: { state: PartState; error: Error },
	states: PartState[],
	itemIndex: number,
): NodeOperationError {
	const { state, error } = failed;
	const { context, description } = failureOf(error);
	const notSent = states.filter((each) => each.status === 'not sent').map((each) => each.number);
	const many = notSent.length > 1;
	return itemError(run, states, itemIndex, {
		message: `Part ${state.number} of ${states.length} of the text failed: ${error.message}`,
		description: [
			description ?? '',
			notSent.length
				? `Part${many ? 's' : ''} ${notSent.join(', ')} ${many ? 'were' : 'was'} not sent: nothing was paid for ${many ? 'them' : 'it'}.`
				: '',
			jobsOf(states) ? run.advice.collectParts : '',
		]
			.filter(Boolean)
			.join(' '),
		context: { projectId: state.id ?? context.projectId, errorCode: context.errorCode, httpStatus: context.httpStatus },
	});
}

function notJoined(run: Run, states: PartState[], itemIndex: number, reason: string, fix: string): NodeOperationError {
	return itemError(run, states, itemIndex, {
		message: `The audio of the ${states.length} parts could not be joined: ${reason}`,
		description: `Every part was rendered. ${fix} ${run.advice.collectParts}`,
		context: { errorCode: 'not_joined' },
	});
}
