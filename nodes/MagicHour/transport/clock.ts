import { sleep } from 'n8n-workflow';

/**
 * The time the node's planned waits follow: pauses between looks at a job, backoff before a
 * retry, the rate-limit pause, and the item deadlines measured against them. n8n runs the real
 * one; tests install one that skips the waits instead of sleeping through them.
 */
export interface Clock {
	now(): number;
	sleep(ms: number, signal: AbortSignal | undefined): Promise<void>;
}

export const realClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => await sleep(ms, signal),
};

let current: Clock = realClock;

export function clock(): Clock {
	return current;
}

/** Installs `next` and returns the clock it replaces. */
export function useClock(next: Clock): Clock {
	const previous = current;
	current = next;
	return previous;
}
