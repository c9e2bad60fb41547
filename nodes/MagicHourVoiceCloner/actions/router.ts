import { NodeOperationError } from 'n8n-workflow';
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readConcurrency } from '../helpers/delivery';
import { forEachInFlight } from '../helpers/inFlight';
import { requireNumber } from '../helpers/validation';
import { connect, RateLimitGate } from '../transport';
import type { MagicHourConnection } from '../transport';
import { maskError, redact } from '../transport/errors';
import type { FailureContext } from '../transport/errors';
import * as clone from './clone.operation';
import { DEFAULTS } from './common.description';
import * as deleteProject from './delete.operation';
import * as get from './get.operation';
import * as upload from './upload.operation';

export type Operation = 'clone' | 'get' | 'delete' | 'upload';

interface OperationModule<Input> {
	prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<Input>;
	execute(
		ctx: IExecuteFunctions,
		connection: MagicHourConnection,
		input: Input,
		itemIndex: number,
	): Promise<INodeExecutionData>;
}

/** Hides each operation's own input type behind `unknown`; prepare's output goes to its execute. */
function erase<Input>(module: OperationModule<Input>): OperationModule<unknown> {
	return {
		prepare: module.prepare,
		execute: async (ctx, connection, input, itemIndex) =>
			await module.execute(ctx, connection, input as Input, itemIndex),
	};
}

const operations: Record<Operation, OperationModule<unknown>> = {
	clone: erase(clone),
	get: erase(get),
	delete: erase(deleteProject),
	upload: erase(upload),
};

type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };

async function settle<T>(work: () => Promise<T>): Promise<Settled<T>> {
	try {
		return { ok: true, value: await work() };
	} catch (error) {
		return { ok: false, error: error as Error };
	}
}

/** The JSON of a failed item under "Continue On Fail". */
export function errorJson(error: Error): IDataObject {
	const context = ((error as { context?: IDataObject }).context ?? {}) as FailureContext & IDataObject;
	const json: IDataObject = { error: error.message };
	const description = (error as { description?: unknown }).description;
	if (typeof description === 'string' && description) json.error_description = description;
	if (context.errorCode) json.error_code = context.errorCode;
	if (context.httpStatus) json.http_status = context.httpStatus;
	if (context.projectId) json.id = context.projectId;
	// A long text's parts, each with its job id and status (see helpers/longText.ts).
	if (Array.isArray(context.parts)) json.parts = context.parts;
	return json;
}

/** An output item with the token masked in its JSON and in the names of its files. */
function masked(item: INodeExecutionData, secret: string): INodeExecutionData {
	const binary: Record<string, IBinaryData> | undefined = item.binary && { ...item.binary };
	for (const [key, file] of Object.entries(binary ?? {})) {
		binary![key] = { ...file, ...redact({ fileName: file.fileName, mimeType: file.mimeType }, secret) };
	}
	return { ...item, json: redact(item.json, secret), ...(binary ? { binary } : {}) };
}

/**
 * Without "Continue On Fail" n8n shows no output of a failed run, so the run's error lists the
 * paid jobs it created, with their last status: none is lost from view.
 */
function withPaidJobs(error: Error, summary: string | undefined, secret: string): Error {
	if (!summary) return error;
	const described = error as Error & { description?: string | null };
	described.description = redact(described.description ? `${described.description}\n\n${summary}` : summary, secret);
	return error;
}

/**
 * The JSON of a failed item sent down the error output (*On Error → Continue (using error output)*): n8n routes
 * an item there only when its JSON holds nothing but `error`, `message` and `details`, so the rest goes under
 * `details`. n8n then adds the input item's fields.
 */
function errorOutputJson(error: Error): IDataObject {
	const { error: message, ...details } = errorJson(error);
	return Object.keys(details).length ? { error: message, details } : { error: message };
}

function runSettings(ctx: IExecuteFunctions): { concurrency: number; requestTimeoutMs: number } {
	const node = ctx.getNode();
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency = readConcurrency(ctx);
	const requestTimeout = requireNumber(
		node,
		0,
		'Request Timeout (Seconds)',
		options.requestTimeout ?? DEFAULTS.requestTimeoutSeconds,
		{ min: 0, exclusiveMin: true },
	);
	return { concurrency, requestTimeoutMs: requestTimeout * 1000 };
}

/**
 * Runs the chosen operation for every input item. All items are checked before anything is
 * sent, so an invalid item fails the run before any credit is spent; then items run with at
 * most `concurrency` in flight. Outputs keep input order and `pairedItem`.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const module = operations[operation];
	if (!module) {
		throw new NodeOperationError(this.getNode(), `The operation "${String(operation)}" is not supported`);
	}
	const continueOnFail = this.continueOnFail();
	const failedJson = this.getNode().onError === 'continueErrorOutput' ? errorOutputJson : errorJson;
	const results: INodeExecutionData[] = new Array(items.length);
	const fail = (itemIndex: number, error: Error) => {
		results[itemIndex] = { json: failedJson(error), pairedItem: { item: itemIndex } };
	};

	const prepared: Array<Settled<unknown>> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		prepared.push(await settle(async () => await module.prepare(this, itemIndex)));
	}
	const invalid = prepared.findIndex((entry) => !entry.ok);
	if (invalid >= 0 && !continueOnFail) throw (prepared[invalid] as { error: Error }).error;

	const settings = await settle(async () => runSettings(this));
	const gate = new RateLimitGate();
	const connection = settings.ok
		? await settle(async () =>
				await connect(this, { itemIndex: 0, requestTimeoutMs: settings.value.requestTimeoutMs, gate }),
			)
		: settings;
	if (!connection.ok) {
		if (!continueOnFail) throw connection.error;
		items.forEach((_, itemIndex) => fail(itemIndex, connection.error));
		return [results];
	}

	const { secret, paidJobs } = connection.value;
	let firstError: Error | undefined;
	await forEachInFlight(
		items.length,
		settings.ok ? settings.value.concurrency : 1,
		async (itemIndex) => {
			const input = prepared[itemIndex];
			const outcome = input.ok
				? await settle(async () => await module.execute(this, connection.value, input.value, itemIndex))
				: input;
			if (outcome.ok) {
				results[itemIndex] = { ...masked(outcome.value, secret), pairedItem: { item: itemIndex } };
			} else if (continueOnFail) {
				fail(itemIndex, maskError(outcome.error, secret));
			} else {
				firstError ??= maskError(outcome.error, secret);
			}
		},
		// Without "Continue On Fail" the first failure ends the run: no further item is started.
		() => firstError !== undefined || this.getExecutionCancelSignal()?.aborted === true,
	);
	if (firstError) throw withPaidJobs(firstError, paidJobs.summary(), secret);
	// Items never started because the execution was stopped have no output.
	return [results.filter((result) => result !== undefined)];
}
