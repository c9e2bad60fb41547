/**
 * The retry policy of every request the node makes (API calls, signed uploads, signed
 * downloads), and the one loop that applies it.
 *
 * - Which request may be sent again: a create (api/voiceCloner.ts) is paid and Magic Hour
 *   has no idempotency key, so once it was sent, a lost answer may still have started a paid job.
 *   It is repeated only after an HTTP answer that proves no job was made (429, 502, 503), never
 *   after a timeout, a dropped connection, a 500, a redirect or an unreadable answer. Everything
 *   else is free and is repeated after no answer, 429, 5xx or an unreadable answer.
 * - After what: the Retry-After header when the answer has one (at most 2 minutes), else an
 *   exponential backoff with jitter: 1 s, 2 s, 4 s … up to 20 s. A 429 pauses every item.
 * - How often: up to 30 attempts while rate limited (429s may come for minutes under load),
 *   4 for anything else.
 * - A signed download link that is refused (expired, revoked) is replaced once by a fresh link
 *   from a free GET of the project, at once.
 * - An advisory request (the account balance checked before a run) is asked once: the run goes on
 *   without its answer rather than wait for it.
 * - What the deadline cuts: no retry is started when its pause would end after the item's
 *   deadline; a request in flight when the deadline passes is aborted (see connection.ts).
 */
import type { Clock } from './clock';

export type RequestCost = 'free' | 'paid' | 'advisory';

export interface FailedAttempt {
	/** HTTP status of the answer; undefined when no answer came (network error, timeout). */
	status?: number;
	/** Value of the Retry-After header, if the answer had one. */
	retryAfter?: string;
	/** A success status whose body could not be read. */
	unreadable?: boolean;
	/** A signed link the storage refused (expired, deleted): a fresh link may cure it. */
	staleLink?: boolean;
}

export const MAX_ATTEMPTS_RATE_LIMITED = 30;
export const MAX_ATTEMPTS_OTHER = 4;
const BASE_DELAY_MS = 1000;
const MAX_BACKOFF_MS = 20_000;
const MAX_RETRY_AFTER_MS = 120_000;

const PAID_RETRYABLE_STATUSES = new Set([429, 502, 503]);

/** Statuses of a signed link that a fresh link from a free GET of the project may cure. */
const STALE_LINK_STATUSES = new Set([401, 403, 404, 410]);

/** A signed link answered with an error: what the policy needs to judge it. */
export function refusedLink(status: number, retryAfter: string | undefined): FailedAttempt {
	return { status, retryAfter, staleLink: STALE_LINK_STATUSES.has(status) };
}

export function isRetryable(cost: RequestCost, attempt: FailedAttempt): boolean {
	if (cost === 'advisory') return false;
	if (cost === 'paid') {
		return attempt.status !== undefined && !attempt.unreadable && PAID_RETRYABLE_STATUSES.has(attempt.status);
	}
	if (attempt.unreadable) return true;
	return attempt.status === undefined || attempt.status === 429 || attempt.status >= 500;
}

/** Milliseconds asked for by a Retry-After header (delta seconds or an HTTP date), capped. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
	if (!Number.isFinite(ms)) return undefined;
	return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * Delay before attempt number `attemptNumber + 1`, or undefined when the request must not be
 * sent again. `attemptNumber` counts the attempts made so far (1 after the first failure).
 */
export function retryDelay(
	cost: RequestCost,
	attempt: FailedAttempt,
	attemptNumber: number,
	random: () => number = Math.random,
): number | undefined {
	if (!isRetryable(cost, attempt)) return undefined;
	const limit = attempt.status === 429 ? MAX_ATTEMPTS_RATE_LIMITED : MAX_ATTEMPTS_OTHER;
	if (attemptNumber >= limit) return undefined;
	const asked = parseRetryAfter(attempt.retryAfter);
	if (asked !== undefined) return asked;
	const backoff = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** (attemptNumber - 1));
	// Jitter spreads the retries of items that were rate limited together.
	return Math.round(backoff * (0.5 + random() / 2));
}

export type NextStep = { kind: 'retry'; delayMs: number } | { kind: 'renewLink' } | { kind: 'stop' };

/** What to do after a failed attempt: the whole policy above, in one decision. */
export function nextStep(
	cost: RequestCost,
	failed: FailedAttempt,
	attemptNumber: number,
	limits: { now: number; deadline?: number; canRenewLink: boolean },
): NextStep {
	if (failed.staleLink) return limits.canRenewLink ? { kind: 'renewLink' } : { kind: 'stop' };
	const delayMs = retryDelay(cost, failed, attemptNumber);
	if (delayMs === undefined) return { kind: 'stop' };
	if (limits.deadline !== undefined && limits.now + delayMs > limits.deadline) return { kind: 'stop' };
	return { kind: 'retry', delayMs };
}

/** One attempt's result: a value, or what failed and how to report it if it is not retried. */
export type Attempt<T> =
	| { ok: true; value: T }
	| { ok: false; failed: FailedAttempt; giveUp: () => T | Promise<T> };

/** Shared by every request of one execution, so that a 429 slows all of them down together. */
export class RateLimitGate {
	private openAt = 0;

	constructor(private readonly clock: Clock) {}

	pauseFor(ms: number): void {
		this.openAt = Math.max(this.openAt, this.clock.now() + ms);
	}

	async wait(signal: AbortSignal | undefined): Promise<void> {
		const remaining = this.openAt - this.clock.now();
		if (remaining > 0) await this.clock.sleep(remaining, signal);
	}
}

/** What the retries of one execution share: its rate-limit pause, its Stop signal and its clock. */
export interface RetryScope {
	gate: RateLimitGate;
	signal: AbortSignal | undefined;
	clock: Clock;
}

export interface RetryOptions {
	cost: RequestCost;
	deadline?: number;
	/** Fetches a fresh signed link; given only for signed downloads. */
	renewLink?: () => Promise<void>;
}

/** The one retry loop: runs `attempt` until it succeeds or the policy says stop. */
export async function withRetries<T>(
	scope: RetryScope,
	options: RetryOptions,
	attempt: (attemptNumber: number) => Promise<Attempt<T>>,
): Promise<T> {
	let linkRenewed = false;
	for (let attemptNumber = 1; ; attemptNumber++) {
		await scope.gate.wait(scope.signal);
		const result = await attempt(attemptNumber);
		if (result.ok) return result.value;
		const step = nextStep(options.cost, result.failed, attemptNumber, {
			now: scope.clock.now(),
			deadline: options.deadline,
			canRenewLink: options.renewLink !== undefined && !linkRenewed,
		});
		if (step.kind === 'stop') return await result.giveUp();
		if (step.kind === 'renewLink') {
			linkRenewed = true;
			await options.renewLink!();
			continue;
		}
		if (result.failed.status === 429) scope.gate.pauseFor(step.delayMs);
		await scope.clock.sleep(step.delayMs, scope.signal);
	}
}
