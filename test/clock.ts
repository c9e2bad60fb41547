/**
 * A clock for tests: every planned wait of the node (poll interval, backoff, Retry-After,
 * rate-limit pause) moves this clock forward at once instead of sleeping, and is recorded.
 * Deadlines follow the same clock, so a 5 s Timeout passes after 5 s of skipped waits.
 * Waits that overlap pass together, as real ones do: items waiting 2 s each at once are all done
 * 2 s later, not 2 s times the items; the wait due first ends first.
 * Only waits move it: the real milliseconds a request takes do not, so what a test sees on it is
 * the same on a loaded machine as on a quiet one.
 * Nor does it move while a request to a local server (the simulator) is on its way or being answered,
 * unless that answer is itself waiting on this clock: an item whose look is in flight has not reached its
 * next wait yet, and ending another item's wait meanwhile would move time under it by however long the
 * machine took (on a loaded machine, a batch's looks then came later than planned and the learnt
 * schedule's figures moved from run to run).
 * The local simulator can follow it (`simulatorClock()`): its own waits (latencyMs, retry pauses)
 * pass like the node's, unrecorded; its timers (a render that ends, a deadline) run once the
 * clock has passed them, and move nothing themselves.
 */
import type * as Http from 'node:http';

import { useClock } from '../nodes/MagicHour/transport';
import type { Clock } from '../nodes/MagicHour/transport';

interface Wait {
	endsAt: number;
	end: () => void;
	/** A simulator's wait: the request it holds back counts as waiting on the clock, not as under way. */
	simulator: boolean;
}

/**
 * Requests to local servers (the simulator, a test's receiver) from their start until their answer has been
 * read, or they failed; `settled` is told each time one ends.
 */
const localRequests = {
	open: 0,
	settled: new Set<() => void>(),
};

const isLocal = (target: unknown): boolean => {
	const host = target instanceof URL ? target.hostname : typeof target === 'string' ? new URL(target).hostname : (target as { hostname?: string; host?: string } | undefined)?.hostname ?? (target as { host?: string } | undefined)?.host;
	return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
};

// The module itself, not an import's copy of it: the clients look its functions up when they call them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const http = require('node:http') as typeof Http;

function follow(request: Http.ClientRequest): void {
	localRequests.open++;
	let done = false;
	const end = () => {
		if (done) return;
		done = true;
		localRequests.open--;
		for (const settled of localRequests.settled) settled();
	};
	request.once('error', end);
	request.once('close', end);
	request.once('response', (response) => {
		response.once('end', end);
		response.once('close', end);
	});
}

/** Counts the requests to local servers, whoever makes them (axios, fetch's undici aside, follow-redirects). */
function followLocalRequests(): void {
	const marked = http as typeof http & { followedByTestClock?: boolean };
	if (marked.followedByTestClock) return;
	marked.followedByTestClock = true;
	const request = http.request;
	const get = http.get;
	const wrap = (original: typeof http.request) =>
		function (this: unknown, ...args: Parameters<typeof http.request>) {
			const made = (original as (...a: unknown[]) => Http.ClientRequest).apply(this, args);
			if (isLocal(args[0])) follow(made);
			return made;
		} as typeof http.request;
	http.request = wrap(request);
	http.get = wrap(get as unknown as typeof http.request) as unknown as typeof http.get;
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
	private readonly onSettled = () => this.schedule();

	constructor() {
		followLocalRequests();
	}

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
		return this.wait(ms, run, true);
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

	private wait(ms: number, end: () => void, simulator = false): Wait {
		const wait = { endsAt: this.time + Math.max(0, ms), end, simulator };
		this.pending.push(wait);
		this.schedule();
		return wait;
	}

	/** Let I/O and other items run, as a real wait would; then end the wait due first, when nothing is under way. */
	private schedule(): void {
		setImmediate(() => this.endFirst());
	}

	private endFirst(): void {
		if (this.pending.length === 0) return; // cleared meanwhile
		const heldBySimulator = this.pending.filter((wait) => wait.simulator).length;
		if (localRequests.open > heldBySimulator) {
			// A request is on its way or being answered: its item has not reached its next wait yet.
			localRequests.settled.add(this.onSettled);
			return;
		}
		localRequests.settled.delete(this.onSettled);
		const first = this.pending.reduce((due, wait) => (wait.endsAt < due.endsAt ? wait : due));
		this.pending.splice(this.pending.indexOf(first), 1);
		this.runTimersUntil(first.endsAt);
		this.time = Math.max(this.time, first.endsAt);
		first.end();
		if (this.pending.length > 0) this.schedule();
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
