/**
 * A clock for tests: every planned wait of the node (poll interval, backoff, Retry-After,
 * rate-limit pause) moves this clock forward at once instead of sleeping, and is recorded.
 * Deadlines follow the same clock, so a 5 s Timeout passes after 5 s of skipped waits.
 * Waits that overlap pass together, as real ones do: items waiting 2 s each at once are all done
 * 2 s later, not 2 s times the items; the wait due first ends first.
 * Only waits move it: the real milliseconds a request takes do not, so what a test sees on it is
 * the same on a loaded machine as on a quiet one.
 * The local simulator can follow it (`simulatorClock()`): its own waits (latencyMs, retry pauses)
 * pass like the node's, unrecorded; its timers (a render that ends, a deadline) run once the
 * clock has passed them, and move nothing themselves.
 */
import { useClock } from '../nodes/MagicHour/transport';
import type { Clock } from '../nodes/MagicHour/transport';

interface Wait {
	endsAt: number;
	end: () => void;
}

interface Timer {
	due: number;
	order: number;
	run: () => void;
}

export class TestClock implements Clock {
	/** Every wait the node asked for, in order. */
	readonly waits: number[] = [];
	private readonly pending: Wait[] = [];
	private readonly timers: Timer[] = [];
	private readonly start = Date.now();
	private time = this.start;
	private count = 0;

	now(): number {
		return this.time;
	}

	/** Milliseconds skipped so far. */
	get skipped(): number {
		return this.time - this.start;
	}

	async sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
		this.waits.push(ms);
		if (signal?.aborted) throw signal.reason;
		await new Promise<void>((end) => this.wait(ms, end));
		if (signal?.aborted) throw signal.reason;
	}

	/** A simulator's wait (`setWait` of its clock): skipped as the node's waits are, not recorded. */
	setWait(run: () => void, ms: number): unknown {
		return this.wait(ms, run);
	}

	/** A simulator's timer: runs once the clock has passed `ms` from now; moves nothing itself. */
	setTimeout(run: () => void, ms: number): unknown {
		const timer: Timer = { due: this.time + Math.max(0, ms), order: this.count++, run };
		this.timers.push(timer);
		return timer;
	}

	clearTimeout(handle: unknown): void {
		for (const list of [this.pending, this.timers] as unknown[][]) {
			const index = list.indexOf(handle);
			if (index >= 0) list.splice(index, 1);
		}
	}

	private wait(ms: number, end: () => void): Wait {
		const wait = { endsAt: this.time + Math.max(0, ms), end };
		this.pending.push(wait);
		// Let I/O and other items run, as a real wait would; then end the wait due first.
		setImmediate(() => this.endFirst());
		return wait;
	}

	private endFirst(): void {
		if (this.pending.length === 0) return; // cleared meanwhile
		const first = this.pending.reduce((due, wait) => (wait.endsAt < due.endsAt ? wait : due));
		this.pending.splice(this.pending.indexOf(first), 1);
		this.runTimersUntil(first.endsAt);
		this.time = Math.max(this.time, first.endsAt);
		first.end();
	}

	/** Runs the timers due by `end`, each at its own time, in order. */
	private runTimersUntil(end: number): void {
		for (;;) {
			const due = this.timers.filter((timer) => timer.due <= end);
			if (due.length === 0) return;
			const next = due.reduce((a, b) => (b.due < a.due || (b.due === a.due && b.order < a.order) ? b : a));
			this.timers.splice(this.timers.indexOf(next), 1);
			this.time = Math.max(this.time, next.due);
			next.run();
		}
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

/**
 * The clock a local simulator follows in tests that run the node against it (`startSimulator({ clock:
 * simulatorClock() })`): the test clock of the test under way, whichever that is.
 */
export function simulatorClock() {
	return {
		now: () => current.now(),
		setTimeout: (run: () => void, ms: number) => current.setTimeout(run, ms),
		setWait: (run: () => void, ms: number) => current.setWait(run, ms),
		clearTimeout: (timer: unknown) => current.clearTimeout(timer),
	};
}
