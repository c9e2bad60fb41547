/**
 * When a failed request may be sent again, and after how long.
 *
 * A create (POST /v1/ai-voice-cloner) is paid and Magic Hour has no idempotency key: once it was
 * sent, a lost answer may still have started a paid job. So it is repeated only after an HTTP
 * answer that proves no job was made (429, 502, 503), never after a timeout, a dropped
 * connection, a 500 or an unreadable answer. Everything else we send is free and safe to repeat.
 */
export type RequestCost = 'free' | 'paid';

export interface FailedAttempt {
	/** HTTP status of the answer; undefined when no answer came (network error, timeout). */
	status?: number;
	/** Value of the Retry-After header, if the answer had one. */
	retryAfter?: string;
}

/** 429s may come for minutes under load; they slow an item down but do not fail it early. */
export const MAX_ATTEMPTS_RATE_LIMITED = 30;
export const MAX_ATTEMPTS_OTHER = 4;
const BASE_DELAY_MS = 1000;
const MAX_BACKOFF_MS = 20_000;
const MAX_RETRY_AFTER_MS = 120_000;

const PAID_RETRYABLE_STATUSES = new Set([429, 502, 503]);

export function isRetryable(cost: RequestCost, attempt: FailedAttempt): boolean {
	if (cost === 'paid') {
		return attempt.status !== undefined && PAID_RETRYABLE_STATUSES.has(attempt.status);
	}
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
