import type { IDataObject, IExecuteFunctions, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { requireNumber, validatePropertyName } from './validation';

/** The option defaults, shared by the panel (actions/common.description.ts) and the runtime. */
export const DEFAULTS = {
	timeoutSeconds: 600,
	concurrency: 5,
	maxDownloadMb: 500,
	requestTimeoutSeconds: 60,
	/** The product brief's rate; Magic Hour's newest docs say 0.1. Only estimates use it. */
	creditsPerCharacter: 0.05,
	/** Guard of Long Text = Split: 10000 characters ≈ 500 credits at the brief's rate. */
	maxCharacters: 10000,
} as const;

export const MEGABYTE = 1024 * 1024;

/** What to do with a project once it exists: wait for it, download it, delete it. */
export interface DeliverySettings {
	wait: boolean;
	timeoutSeconds: number;
	download: boolean;
	outputProperty: string;
	deleteAfterDownload: boolean;
	maxBytes: number;
	/** An AI agent called the node: answer with short JSON, never audio bytes. */
	forAgent: boolean;
}

/**
 * An AI agent runs the node either through a supply-data context (isToolExecution) or, with the
 * newer agents, as the generated "…Tool" node type.
 */
export function isAgentRun(ctx: IExecuteFunctions): boolean {
	return (ctx.isToolExecution?.() ?? false) || ctx.getNode().type.endsWith('Tool');
}

function options(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

/**
 * How many jobs (items, parts of long texts) are at work at once; read from the first item. Undefined when
 * the option was not added (or left empty): automatic, learnt during the run (run/width.ts).
 */
export function readConcurrency(ctx: IExecuteFunctions): number | undefined {
	const concurrency = options(ctx, 0).concurrency;
	if (concurrency === undefined || concurrency === null || concurrency === '') return undefined;
	return requireNumber(ctx.getNode(), 0, 'Concurrency', concurrency, { min: 1, integer: true });
}

/**
 * Max Credits per Run, read once from the first item like Concurrency; undefined (no limit) when the
 * option was not added or left empty.
 */
export function readMaxCredits(ctx: IExecuteFunctions): number | undefined {
	const limit = options(ctx, 0).maxCreditsPerRun;
	if (limit === undefined || limit === null || limit === '') return undefined;
	return requireNumber(ctx.getNode(), 0, 'Max Credits per Run', limit, { min: 0 });
}

/** How long one request may take, in ms; like Concurrency, read once from the first item. */
export function readRequestTimeoutMs(ctx: IExecuteFunctions): number {
	const seconds = requireNumber(
		ctx.getNode(),
		0,
		'Request Timeout (Seconds)',
		options(ctx, 0).requestTimeout ?? DEFAULTS.requestTimeoutSeconds,
		{ min: 0, exclusiveMin: true },
	);
	return seconds * 1000;
}

export function readDeliverySettings(ctx: IExecuteFunctions, itemIndex: number): DeliverySettings {
	const node = ctx.getNode();
	const given = options(ctx, itemIndex);
	const wait = ctx.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
	const forAgent = isAgentRun(ctx);
	const download = wait && !forAgent && given.downloadAudio !== false;
	return {
		wait,
		timeoutSeconds: requireNumber(node, itemIndex, 'Timeout (Seconds)', given.timeout ?? DEFAULTS.timeoutSeconds, {
			min: 0,
			exclusiveMin: true,
		}),
		download,
		outputProperty: download
			? validatePropertyName(node, itemIndex, 'Output Binary Field', given.outputBinaryPropertyName ?? 'data')
			: 'data',
		deleteAfterDownload: download && given.deleteAfterDownload === true,
		maxBytes:
			requireNumber(node, itemIndex, 'Max Download Size (MB)', given.maxDownloadSize ?? DEFAULTS.maxDownloadMb, {
				min: 0,
				exclusiveMin: true,
			}) * MEGABYTE,
		forAgent,
	};
}

/** What the Magic Hour Trigger does with an event whose audio is ready. */
export interface EventSettings {
	download: boolean;
	outputProperty: string;
	maxBytes: number;
	timeoutSeconds: number;
	requestTimeoutMs: number;
}

export function readEventSettings(ctx: IWebhookFunctions | IHookFunctions): EventSettings {
	const node = ctx.getNode();
	const given = ctx.getNodeParameter('options', {}) as IDataObject;
	const download = given.downloadAudio !== false;
	return {
		download,
		outputProperty: download
			? validatePropertyName(node, 0, 'Output Binary Field', given.outputBinaryPropertyName ?? 'data')
			: 'data',
		maxBytes:
			requireNumber(node, 0, 'Max Download Size (MB)', given.maxDownloadSize ?? DEFAULTS.maxDownloadMb, {
				min: 0,
				exclusiveMin: true,
			}) * MEGABYTE,
		timeoutSeconds: DEFAULTS.timeoutSeconds,
		requestTimeoutMs: DEFAULTS.requestTimeoutSeconds * 1000,
	};
}
