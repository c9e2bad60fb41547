/**
 * A clock for tests: every planned wait of the node (poll interval, backoff, Retry-After,
 * rate-limit pause) moves this clock forward at once instead of sleeping, and is recorded.
 * Deadlines follow the same clock, so a 5 s Timeout passes after 5 s of skipped waits.
 * Waits that overlap pass together, as real ones do: items waiting 2 s each at once are all done
 * 2 s later, not 2 s times the items; the wait due first ends first.
 */
import { useClock } from '../nodes/MagicHour/transport';
import type { Clock } from '../nodes/MagicHour/transport';

export class TestClock implements Clock {
	/** Milliseconds skipped so far. */
	skipped = 0;
	/** Every wait the node asked for, in order. */
	readonly waits: number[] = [];
	private readonly pending: Array<{ endsAt: number; end: () => void }> = [];

	now(): number {
		return Date.now() + this.skipped;
	}

	async sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
		this.waits.push(ms);
		if (signal?.aborted) throw signal.reason;
		await new Promise<void>((end) => {
			this.pending.push({ endsAt: this.now() + Math.max(0, ms), end });
			// Let I/O and other items run, as a real wait would; then end the wait due first.
			setImmediate(() => this.endFirst());
		});
		if (signal?.aborted) throw signal.reason;
	}

	private endFirst(): void {
		const first = this.pending.reduce((due, wait) => (wait.endsAt < due.endsAt ? wait : due));
		this.pending.splice(this.pending.indexOf(first), 1);
		this.skipped = Math.max(this.skipped, first.endsAt - Date.now());
		first.end();
	}
}

/** A clock whose waits never end unless the execution is stopped. */
export class FrozenClock implements Clock {
	now(): number {
		return Date.now();
	}

	async sleep(_ms: number, signal: AbortSignal | undefined): Promise<void> {
		await new Promise((_resolve, reject) => {
			if (signal?.aborted) reject(signal.reason);
			signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
		});
	}
}

/** Time stands still until the test moves `at`; every wait asked for is recorded and ends at once. */
export class HandClock implements Clock {
	at = 1_000_000;
	readonly waits: number[] = [];

	now(): number {
		return this.at;
	}

	async sleep(ms: number): Promise<void> {
		this.waits.push(ms);
	}
}

let current = new TestClock();

export function installTestClock(): TestClock {
	current = new TestClock();
	useClock(current);
	return current;
}

export function testClock(): TestClock {
	return current;
}

export function installClock(clock: Clock): void {
	useClock(clock);
}
