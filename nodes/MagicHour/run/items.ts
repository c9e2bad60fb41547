/**
 * How the Voice Cloner runs its items: every item is read and checked before anything is sent, so
 * an invalid item fails the run before any credit is spent (what only Magic Hour can tell, such as
 * a saved voice, is checked with free requests before the first paid one); then items start in order,
 * each once the run's width lets one more job to work (Concurrency, or automatic: width.ts). Outputs
 * keep input order and `pairedItem`; a failed item follows n8n's "Continue On Fail" settings; everything
 * that leaves has the token masked.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Advice } from '../errors';
import { failureJson, maskError, redact, redactItem } from '../errors';
import { readConcurrency, readRequestTimeoutMs } from '../input/settings';
import { startRun } from './state';
import type { Run } from './state';
import { forEachWithPermit } from './width';
import type { Permit } from './width';

/** An item read and checked by its operation's `prepare`. */
export interface Prepared<Input> {
	itemIndex: number;
	input: Input;
}

/**
 * One operation: `prepare` reads and checks an item and sends nothing; `jobs`, when there is one, says
 * how many jobs an item is (one unless told: the parts of a long text); `verify`, when there is one,
 * checks an item against what only Magic Hour can tell, with free requests, and fails that item alone;
 * `beforeRun`, when there is one, checks the run as a whole before the first item and returns the error
 * of every item when it must not start; `execute` does the work of one item, holding `permit`, its place
 * at work, which it may hand to its first part (see width.ts).
 */
export interface Operation<Input> {
	prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<Input>;
	jobs?(input: Input): number;
	verify?(run: Run, input: Input, itemIndex: number): Promise<void>;
	beforeRun?(run: Run, items: Array<Prepared<Input>>): Promise<((itemIndex: number) => Error) | undefined>;
	execute(run: Run, input: Input, itemIndex: number, permit: Permit): Promise<INodeExecutionData>;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };

async function settle<T>(work: () => Promise<T>): Promise<Settled<T>> {
	try {
		return { ok: true, value: await work() };
	} catch (error) {
		return { ok: false, error: error as Error };
	}
}

/**
 * The JSON of a failed item sent down the error output (*On Error → Continue (using error output)*): n8n routes
 * an item there only when its JSON holds nothing but `error`, `message` and `details`, so the rest goes under
 * `details`. n8n then adds the input item's fields.
 */
function errorOutputJson(error: Error): IDataObject {
	const { error: message, ...details } = failureJson(error);
	return Object.keys(details).length ? { error: message, details } : { error: message };
}

/**
 * Without "Continue On Fail" n8n shows no output of a failed run, so the run's error lists the
 * paid jobs it created, with their last status: none is lost from view.
 */
function withPaidJobs(error: Error, run: Run): Error {
	const summary = run.paidJobs.summary(run.advice.collectPaidJobs);
	if (!summary) return error;
	const described = error as Error & { description?: string | null };
	described.description = redact(
		described.description ? `${described.description}\n\n${summary}` : summary,
		run.connection.secret,
	);
	return error;
}

/** Runs `operation` for every input item, as described at the top of this file. */
export async function runItems<Input>(
	ctx: IExecuteFunctions,
	operation: Operation<Input>,
	advice: Advice,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const failedJson = ctx.getNode().onError === 'continueErrorOutput' ? errorOutputJson : failureJson;
	const results: INodeExecutionData[] = new Array(items.length);
	const fail = (itemIndex: number, error: Error) => {
		results[itemIndex] = { json: failedJson(error), pairedItem: { item: itemIndex } };
	};

	const prepared: Array<Settled<Input>> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		prepared.push(await settle(async () => await operation.prepare(ctx, itemIndex)));
	}
	const invalid = prepared.find((entry): entry is { ok: false; error: Error } => !entry.ok);
	if (invalid && !continueOnFail) throw invalid.error;

	// Concurrency and Request Timeout are run-wide, read from the first item; then the credential.
	const jobCounts = prepared.map((entry) => (entry.ok ? (operation.jobs?.(entry.value) ?? 1) : 1));
	const jobs = { count: jobCounts.reduce((sum, count) => sum + count, 0), longTexts: jobCounts.some((count) => count > 1) };
	const started = await settle(
		async () => await startRun(ctx, { concurrency: readConcurrency(ctx), requestTimeoutMs: readRequestTimeoutMs(ctx), advice, jobs }),
	);
	if (!started.ok) {
		if (!continueOnFail) throw started.error;
		items.forEach((_, itemIndex) => fail(itemIndex, started.error));
		return [results];
	}

	const run = started.value;
	const { secret } = run.connection;
	if (operation.verify) {
		// One item after the other: what they look up is read once and shared (e.g. the saved voices).
		for (const [itemIndex, entry] of prepared.entries()) {
			if (!entry.ok) continue;
			const verified = await settle(async () => await operation.verify!(run, entry.value, itemIndex));
			if (verified.ok) continue;
			if (!continueOnFail) throw maskError(verified.error, secret);
			prepared[itemIndex] = verified;
		}
	}
	const valid = prepared.flatMap((entry, itemIndex) => (entry.ok ? [{ itemIndex, input: entry.value }] : []));
	const refusal = operation.beforeRun && valid.length ? await settle(async () => await operation.beforeRun!(run, valid)) : undefined;
	const refuse = refusal && (refusal.ok ? refusal.value : () => refusal.error);
	if (refuse) {
		if (!continueOnFail) throw maskError(refuse(valid[0].itemIndex), secret);
		prepared.forEach((entry, itemIndex) => fail(itemIndex, maskError(entry.ok ? refuse(itemIndex) : entry.error, secret)));
		return [results];
	}
	let firstError: Error | undefined;
	await forEachWithPermit(
		items.length,
		async (itemIndex) => await run.width.acquire(itemIndex, run.connection.signal),
		async (itemIndex, permit) => {
			const input = prepared[itemIndex];
			const outcome = input.ok ? await settle(async () => await operation.execute(run, input.value, itemIndex, permit)) : input;
			if (outcome.ok) {
				results[itemIndex] = { ...redactItem(outcome.value, secret), pairedItem: { item: itemIndex } };
			} else if (continueOnFail) {
				fail(itemIndex, maskError(outcome.error, secret));
			} else {
				firstError ??= maskError(outcome.error, secret);
			}
		},
		// Without "Continue On Fail" the first failure ends the run: no further item is started.
		() => firstError !== undefined || ctx.getExecutionCancelSignal()?.aborted === true,
	);
	if (firstError) throw withPaidJobs(firstError, run);
	// Items never started because the execution was stopped have no output.
	return [results.filter((result) => result !== undefined)];
}
