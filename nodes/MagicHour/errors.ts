/**
 * The one place the package's errors are built. Every failure a user sees is a NodeOperationError
 * (something we noticed) or a NodeApiError (an answer Magic Hour gave), with a message that n8n
 * shows as written, a description that says what to do, and a typed failure context that the
 * item's output carries under "Continue On Fail" (see failureJson).
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IBinaryData, IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';

/** What a failed item's output says besides the message. */
export interface FailureContext {
	projectId?: string;
	errorCode?: string;
	httpStatus?: number;
	/** A long text's parts, each with its job id and status (see run/longText.ts). */
	parts?: IDataObject[];
}

/** The failure context and description of any error: ours carry them, others give an empty context. */
export function failureOf(error: unknown): { context: FailureContext; description?: string } {
	const { context, description } = (typeof error === 'object' && error !== null ? error : {}) as {
		context?: unknown;
		description?: unknown;
	};
	const fields = (typeof context === 'object' && context !== null ? context : {}) as IDataObject;
	return {
		context: {
			projectId: typeof fields.projectId === 'string' ? fields.projectId : undefined,
			errorCode: typeof fields.errorCode === 'string' ? fields.errorCode : undefined,
			httpStatus: typeof fields.httpStatus === 'number' ? fields.httpStatus : undefined,
			parts: Array.isArray(fields.parts) ? (fields.parts as IDataObject[]) : undefined,
		},
		description: typeof description === 'string' && description ? description : undefined,
	};
}

/** The JSON of a failed item: its message, what to do, and its failure context. */
export function failureJson(error: Error): IDataObject {
	const { context, description } = failureOf(error);
	const json: IDataObject = { error: error.message };
	if (description) json.error_description = description;
	if (context.errorCode) json.error_code = context.errorCode;
	if (context.httpStatus) json.http_status = context.httpStatus;
	if (context.projectId) json.id = context.projectId;
	if (context.parts) json.parts = context.parts;
	return json;
}

const WHAT_TO_DO: Record<number, string> = {
	400: 'Magic Hour rejected the request as invalid. Check the field the message names.',
	401: 'The API token was rejected. Open the "Magic Hour API" credential and paste a valid key from https://magichour.ai/developer?tab=api-keys.',
	402: 'Your Magic Hour account has too few credits (or needs a paid plan) for this. Add credits or upgrade at https://magichour.ai/pricing, then run the workflow again.',
	403: 'The key is valid, but your Magic Hour plan does not include this feature. Upgrade the plan or use a key of an account that has it.',
	404: 'Magic Hour has no such project. Check the Project ID: it is the "id" that Clone Voice returned, and deleted projects are gone.',
	422: 'Magic Hour could not use the audio sample or a value sent. Use 10 to 30 seconds of clear speech by one speaker in a supported format (mp3, wav, m4a, …).',
	429: 'Magic Hour kept rate limiting the requests. Run the workflow again later. If "Concurrency" is set in the node options, remove it so that the node finds the pace your account allows, or lower it. Other workflows using the same Magic Hour account at the same time share its limit.',
};

const SERVER_TROUBLE =
	'Magic Hour seems to be having trouble right now. Try again in a few minutes; if it persists, check Magic Hour\'s status page or support.';

/** A create that may have reached Magic Hour is never resent; the user has to look before retrying. */
export const UNCERTAIN_CREATE_ADVICE =
	'The request may still have started a paid job. It was not sent again, so nothing is paid twice. Check your Magic Hour library (Audio) before running this item again.';

/** What to do after an error answer with this HTTP status. */
export function guidanceFor(status: number): string {
	return WHAT_TO_DO[status] ?? (status >= 500 ? SERVER_TROUBLE : WHAT_TO_DO[400]);
}

/**
 * The one masking function: replaces every occurrence of the API token with `***`, in a text or
 * in every string inside an object or array (keys included). Everything that leaves the node,
 * output items and errors alike, passes here (see maskError and run/items.ts).
 */
export function redact<T>(value: T, secret: string | undefined): T {
	if (!secret) return value;
	return mask(value, secret, new WeakMap()) as T;
}

function mask(value: unknown, secret: string, seen: WeakMap<object, unknown>): unknown {
	if (typeof value === 'string') return value.includes(secret) ? value.split(secret).join('***') : value;
	if (!value || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
	if (seen.has(value)) return seen.get(value);
	if (Array.isArray(value)) {
		const copy: unknown[] = [];
		seen.set(value, copy);
		for (const entry of value) copy.push(mask(entry, secret, seen));
		return copy;
	}
	if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
	const copy: Record<string, unknown> = {};
	seen.set(value, copy);
	for (const [key, entry] of Object.entries(value)) copy[mask(key, secret, seen) as string] = mask(entry, secret, seen);
	return copy;
}

/** An output item with the token masked in its JSON and in the names and types of its files. */
export function redactItem(item: INodeExecutionData, secret: string | undefined): INodeExecutionData {
	if (!secret) return item;
	const binary: Record<string, IBinaryData> | undefined = item.binary && { ...item.binary };
	for (const [key, file] of Object.entries(binary ?? {})) {
		binary![key] = { ...file, ...redact({ fileName: file.fileName, mimeType: file.mimeType }, secret) };
	}
	return { ...item, json: redact(item.json, secret), ...(binary ? { binary } : {}) };
}

/**
 * Masks the token in every string an error carries (message, description, code, context, the
 * answer it wraps, its stack), in place, and returns it. The node it names is left as it is.
 */
export function maskError<T extends Error>(error: T, secret: string | undefined): T {
	if (!secret) return error;
	const fields = error as unknown as Record<string, unknown>;
	for (const name of Object.getOwnPropertyNames(error)) {
		if (name === 'node') continue;
		const descriptor = Object.getOwnPropertyDescriptor(error, name);
		if (!descriptor || !('value' in descriptor) || !descriptor.writable) continue;
		const value = descriptor.value as unknown;
		if (value instanceof Error) maskError(value, secret);
		else fields[name] = redact(value, secret);
	}
	return error;
}

/**
 * n8n replaces a message that mentions a system error code (ECONNRESET, ENOENT, …) with a generic
 * sentence; ours already say what happened and what to do, so they are set again afterwards.
 */
function keepMessage<T extends Error>(error: T, message: string): T {
	error.message = message;
	return error;
}

function withFailureContext<T extends NodeApiError | NodeOperationError>(error: T, context: FailureContext): T {
	if (context.projectId) error.context.projectId = context.projectId;
	if (context.errorCode) error.context.errorCode = context.errorCode;
	if (context.httpStatus) error.context.httpStatus = context.httpStatus;
	if (context.parts) error.context.parts = context.parts;
	return error;
}

/** A user-facing failure whose message n8n shows exactly as written. */
export function operationError(
	node: INode,
	message: string,
	options: { itemIndex: number; description: string; context?: FailureContext },
): NodeOperationError {
	const error = new NodeOperationError(node, message, { itemIndex: options.itemIndex, description: options.description });
	return withFailureContext(keepMessage(error, message), options.context ?? {});
}

/** An item's input that cannot be used: says which item, and the fix. Nothing was sent. */
export function invalidInput(node: INode, itemIndex: number, message: string, fix: string): NodeOperationError {
	return operationError(node, `${message} [item ${itemIndex}]`, { itemIndex, description: fix });
}

export function projectSuffix(projectId: string | undefined): string {
	return projectId ? ` (project ${projectId})` : '';
}

/** A failure without an HTTP answer (timeout, dropped connection, unreadable body, …), naming the project. */
export function transportError(
	node: INode,
	details: { message: string; description: string; itemIndex: number; projectId?: string; code?: string },
): NodeOperationError {
	return operationError(node, `${details.message}${projectSuffix(details.projectId)}`, {
		itemIndex: details.itemIndex,
		description: details.description,
		context: { projectId: details.projectId, errorCode: details.code },
	});
}

/** A failure Magic Hour reported: `response` is what it said, kept on the error for n8n's details view. */
function answerError(
	node: INode,
	response: JsonObject,
	details: { message: string; description: string; itemIndex: number; httpCode?: string; context: FailureContext },
): NodeApiError {
	const { message, description, itemIndex, httpCode } = details;
	const error = new NodeApiError(node, response, { message, description, itemIndex, ...(httpCode ? { httpCode } : {}) });
	return withFailureContext(keepMessage(error, message), details.context);
}

/** An error answer of the Magic Hour API: its message and code, plus what the user should do. */
export function apiError(
	node: INode,
	details: {
		status: number;
		message: string;
		code?: string;
		itemIndex: number;
		projectId?: string;
		advice?: string;
	},
): NodeApiError {
	const { status, message, code, itemIndex, projectId } = details;
	const response: JsonObject = { message, httpCode: String(status) };
	if (code) response.code = code;
	return answerError(node, response, {
		message: `Magic Hour answered ${status}: ${message}${code ? ` [${code}]` : ''}${projectSuffix(projectId)}`,
		description: details.advice ?? guidanceFor(status),
		itemIndex,
		httpCode: String(status),
		context: { projectId, errorCode: code, httpStatus: status },
	});
}

/** A job that Magic Hour ended in `error` (its reason and code) or `canceled`. */
export function jobFailed(
	node: INode,
	project: { id: string; status: string; error?: { message?: string; code?: string } | null },
	itemIndex: number,
): NodeApiError {
	const failed = project.status === 'error';
	const message = failed
		? `Magic Hour could not render the audio: ${project.error?.message ?? 'no reason given'}${project.error?.code ? ` [${project.error.code}]` : ''} (project ${project.id})`
		: `The Magic Hour job was canceled (project ${project.id})`;
	const description = failed
		? 'Credits for a failed job are refunded by Magic Hour. Check the sample (10 to 30 s of clear speech by one speaker) and the text, then run the item again.'
		: 'Someone canceled the job in Magic Hour. Run the item again to create a new one.';
	const errorCode = project.error?.code ?? project.status;
	return answerError(node, { message, code: errorCode }, {
		message,
		description,
		itemIndex,
		context: { projectId: project.id, errorCode },
	});
}

/** The node was given an operation it does not have (a workflow from a newer version of the package). */
export function unsupportedOperation(node: INode, operation: string): NodeOperationError {
	return new NodeOperationError(node, `The operation "${operation}" is not supported`);
}

/** The Magic Hour Trigger cannot verify any event without the secret of its webhook endpoint. */
export function missingWebhookSecret(node: INode): NodeOperationError {
	// n8n's editor shows only the message when publishing fails, so the message says what to do.
	return new NodeOperationError(
		node,
		'The Magic Hour API credential has no Webhook Secret: open the credential and paste the secret Magic Hour shows for this webhook endpoint (Developer Hub → Webhooks)',
		{ description: 'Without it every event Magic Hour sends would be refused.' },
	);
}

const RATE_HINT =
	'The estimate uses "Credits per Character (Estimate)"; the charge that counts is the "credits_charged" Magic Hour reports.';

/** Before anything is sent: the run's estimate is over Max Credits per Run. */
export function runOverBudget(
	node: INode,
	details: { itemIndex: number; estimate: number; limit: number; items: number; characters: number; rate: number },
): NodeOperationError {
	const { itemIndex, estimate, limit, items, characters, rate } = details;
	return operationError(
		node,
		`This run would cost an estimated ${estimate} credits (${items} item${items === 1 ? '' : 's'}, ${characters} characters at ${rate} credits per character), over "Max Credits per Run" of ${limit} [item ${itemIndex}]`,
		{
			itemIndex,
			description: `Nothing was sent. Raise "Max Credits per Run" in the options to at least ${estimate}, or give this run fewer or shorter texts. ${RATE_HINT}`,
			context: { errorCode: 'over_budget' },
		},
	);
}

/**
 * During the run: this item's creates could take the run's spending over Max Credits per Run. `part`:
 * one part of a long text, refused once the run knew its rate, when other parts may be paid already.
 * `beforeFirstCharge`: Magic Hour had not charged the run yet, so the item was priced at `rate`, the
 * higher of the estimate and `published`, the highest rate Magic Hour publishes.
 */
export function overBudget(
	node: INode,
	details: { itemIndex: number; limit: number; committed: number; needed: number; part?: boolean; beforeFirstCharge?: { rate: number; published: number } },
): NodeOperationError {
	const { itemIndex, limit, committed, needed, beforeFirstCharge } = details;
	const what = details.part ? 'part' : 'item';
	const why =
		beforeFirstCharge === undefined
			? `Raise "Max Credits per Run" in the options to let a run spend more, or run this item again in another run. ${RATE_HINT}`
			: `Until Magic Hour has charged a run once, a text is counted at ${beforeFirstCharge.rate} credits per character (the higher of "Credits per Character (Estimate)" and ${beforeFirstCharge.published}, the higher of the two rates Magic Hour publishes), so that the budget holds whichever it charges. Raise "Max Credits per Run" to at least ${committed + needed}, or put a shorter text first: once Magic Hour has charged the run, texts are counted at the rate it charged.`;
	return operationError(
		node,
		`This ${what} may cost ${needed} credits, and the run has spent or set aside ${committed} of its "Max Credits per Run" of ${limit} [item ${itemIndex}]`,
		{ itemIndex, description: `Nothing was paid for this ${what}. ${why}`, context: { errorCode: 'over_budget' } },
	);
}

/** Before anything is sent: the account's balance cannot pay for the run's estimate. */
export function notEnoughCredits(
	node: INode,
	details: { itemIndex: number; balance: number; estimate: number },
): NodeOperationError {
	const { itemIndex, balance, estimate } = details;
	return operationError(
		node,
		`Your Magic Hour account has ${balance} credits; this run needs an estimated ${estimate}: ${estimate - balance} credit${estimate - balance === 1 ? ' is' : 's are'} missing [item ${itemIndex}]`,
		{
			itemIndex,
			description: `Nothing was paid. Add credits or upgrade at https://magichour.ai/pricing, then run again, or give this run fewer or shorter texts. ${RATE_HINT}`,
			context: { errorCode: 'insufficient_credits' },
		},
	);
}

export function cancelled(node: INode, itemIndex: number): NodeOperationError {
	return operationError(node, 'The execution was stopped', {
		itemIndex,
		description: 'Work in flight was abandoned. Jobs Magic Hour had already accepted keep rendering.',
	});
}

/** The item's Timeout ran out while `what` was under way. */
export function deadlinePassed(
	node: INode,
	details: { what: string; itemIndex: number; projectId?: string; description: string },
): NodeOperationError {
	return transportError(node, {
		message: `The item's Timeout ran out during ${details.what}`,
		description: details.description,
		itemIndex: details.itemIndex,
		projectId: details.projectId,
		code: 'timeout',
	});
}

/**
 * What to tell the user to do next when a job exists but its result is not (yet) in n8n. The texts
 * name the operations that do it, so they are written with the operations (actions/advice.ts) and
 * reach the code below through the run.
 */
export interface Advice {
	/** The item's Timeout cut off a free request about a project that exists. */
	collectLater(projectId: string): string;
	/** The job was still rendering when the item's Timeout ran out. */
	notFinished(projectId: string): string;
	/** The download of a paid result failed; fetching it again is free. */
	downloadAgain: string;
	/** The signed download link was refused, also after one renewal. */
	freshLink: string;
	/** Magic Hour reported the job complete without a usable link. */
	linkMissing: string;
	/** The download was cut off by the item's Timeout or stalled. */
	downloadStopped: string;
	/** The project's files were deleted, so they cannot be downloaded. */
	projectDeleted: string;
	/** Ends the list of paid jobs of a run that stopped on an error. */
	collectPaidJobs: string;
	/** Ends the error of a long text whose parts did not all come through. */
	collectParts: string;
}
