import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

/** What the router needs to report a failed item under "Continue On Fail". */
export interface FailureContext {
	projectId?: string;
	errorCode?: string;
	httpStatus?: number;
}

const WHAT_TO_DO: Record<number, string> = {
	400: 'Magic Hour rejected the request as invalid. Check the field the message names.',
	401: 'The API token was rejected. Open the "Magic Hour API" credential and paste a valid key from https://magichour.ai/developer?tab=api-keys.',
	402: 'Your Magic Hour account has too few credits (or needs a paid plan) for this. Add credits or upgrade at https://magichour.ai/pricing, then run the workflow again.',
	403: 'The key is valid, but your Magic Hour plan does not include this feature. Upgrade the plan or use a key of an account that has it.',
	404: 'Magic Hour has no such project. Check the Project ID: it is the "id" that Clone Voice returned, and deleted projects are gone.',
	422: 'Magic Hour could not use the audio sample or a value sent. Use 10 to 30 seconds of clear speech by one speaker in a supported format (mp3, wav, m4a, …).',
	429: 'Magic Hour kept rate limiting the requests. Lower "Concurrency" in the node options, or run the workflow again later.',
};

const SERVER_TROUBLE =
	'Magic Hour seems to be having trouble right now. Try again in a few minutes; if it persists, check Magic Hour\'s status page or support.';

/** A create that may have reached Magic Hour is never resent; the user has to look before retrying. */
export const UNCERTAIN_CREATE_ADVICE =
	'The request may still have started a paid job. It was not sent again, so nothing is paid twice. Check your Magic Hour library (Audio) before running this item again.';

/** A download that failed after the render: the job is paid, and fetching it again is free. */
export const PAID_DOWNLOAD_ADVICE =
	'The audio was rendered and paid for. Run "Get Audio Project" with this project id to download it again, at no cost.';

export function guidanceFor(status: number): string {
	return WHAT_TO_DO[status] ?? (status >= 500 ? SERVER_TROUBLE : WHAT_TO_DO[400]);
}

/**
 * The one masking function: replaces every occurrence of the API token with `***`, in a text or
 * in every string inside an object or array (keys included). Everything that leaves the node,
 * output items and errors alike, passes here (see maskError and the router).
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
export function keepMessage<T extends Error>(error: T, message: string): T {
	error.message = message;
	return error;
}

/** A user-facing failure whose message n8n shows exactly as written (see keepMessage). */
export function operationError(
	node: INode,
	message: string,
	options: { itemIndex: number; description: string },
): NodeOperationError {
	return keepMessage(new NodeOperationError(node, message, options), message);
}

export function withFailureContext<T extends NodeApiError | NodeOperationError>(
	error: T,
	context: FailureContext,
): T {
	if (context.projectId) error.context.projectId = context.projectId;
	if (context.errorCode) error.context.errorCode = context.errorCode;
	if (context.httpStatus) error.context.httpStatus = context.httpStatus;
	return error;
}

export function projectSuffix(projectId: string | undefined): string {
	return projectId ? ` (project ${projectId})` : '';
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
	const codeText = code ? ` [${code}]` : '';
	const response: JsonObject = { message, httpCode: String(status) };
	if (code) response.code = code;
	const text = `Magic Hour answered ${status}: ${message}${codeText}${projectSuffix(projectId)}`;
	const error = new NodeApiError(node, response, {
		message: text,
		description: details.advice ?? guidanceFor(status),
		httpCode: String(status),
		itemIndex,
	});
	return withFailureContext(keepMessage(error, text), { projectId, errorCode: code, httpStatus: status });
}

/** A failure without an HTTP answer: timeout, dropped connection, unreadable body. */
export function transportError(
	node: INode,
	details: { message: string; description: string; itemIndex: number; projectId?: string; code?: string },
): NodeOperationError {
	const error = operationError(node, `${details.message}${projectSuffix(details.projectId)}`, {
		itemIndex: details.itemIndex,
		description: details.description,
	});
	return withFailureContext(error, {
		projectId: details.projectId,
		errorCode: details.code,
	});
}
