/**
 * Waits on the wall clock (requests, answers, a child process) until `get` gives something, and returns it;
 * fails naming `what` after `timeoutMs`. For the events a test awaits, never for time that must pass: that
 * passes on a test clock (test/clock.ts, the simulator's ManualClock).
 */
export async function until<T>(what: string, get: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const value = get();
		if (value) return value;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 1));
	}
}
