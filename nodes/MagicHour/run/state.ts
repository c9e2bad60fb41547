import type { IExecuteFunctions } from 'n8n-workflow';

import { PaidJobs } from '../api/paidJobs';
import type { Session } from '../api/session';
import type { Advice } from '../errors';
import { connect } from '../transport';
import type { SpendBudget } from './budget';
import { RenderTimes } from './renderTimes';
import type { SampleUploads } from './sampleUploads';
import { START_WIDTH, Width } from './width';
import type { SavedVoices } from './savedVoices';

/** One execution of the Voice Cloner node: what its items share, passed to whatever needs it. */
export interface Run extends Session {
	ctx: IExecuteFunctions;
	/** The samples this execution uploaded, so that items sharing a file upload it once. */
	uploads: SampleUploads;
	/** Max Credits per Run, when the run has one (set before the first item: see Clone Voice's beforeRun). */
	budget?: SpendBudget;
	/** What its completed clone jobs taught about render times, for the poll schedule of the others. */
	renderTimes: RenderTimes;
	/** How many of its jobs are at work at once: Concurrency, or learnt when it is not set (width.ts). */
	width: Width;
	/** The account's saved voices, read once when an item names one (see savedVoices.ts). */
	savedVoices?: SavedVoices;
}

/** What a run is opened with. */
export interface RunSettings {
	requestTimeoutMs: number;
	advice: Advice;
	/** The node's Concurrency; undefined when it is not set: automatic. */
	concurrency: number | undefined;
	/** The run's jobs: one per item, one per part of a long text. */
	jobs: { count: number; longTexts: boolean };
}

/**
 * Reads and checks the credential (before any request is made) and opens the run. Requests follow
 * the execution's Stop button and the run-wide Request Timeout; with automatic Concurrency, also the
 * pace the run learns (transport/pace.ts).
 */
export async function startRun(ctx: IExecuteFunctions, settings: RunSettings): Promise<Run> {
	const connection = await connect(ctx, {
		itemIndex: 0,
		requestTimeoutMs: settings.requestTimeoutMs,
		signal: ctx.getExecutionCancelSignal(),
		paced: settings.concurrency === undefined,
	});
	return {
		ctx,
		connection,
		advice: settings.advice,
		paidJobs: new PaidJobs(),
		uploads: new Map(),
		renderTimes: new RenderTimes(settings.concurrency === undefined ? START_WIDTH : Infinity),
		width:
			settings.concurrency === undefined
				? Width.automatic(settings.jobs, connection.pace!)
				: Width.fixed(settings.concurrency),
	};
}

/** When an item's Timeout runs out (ms on the run's clock): it bounds everything the item does. */
export function itemDeadline(session: Session, timeoutSeconds: number): number {
	return session.connection.clock.now() + timeoutSeconds * 1000;
}
