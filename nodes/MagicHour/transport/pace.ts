/**
 * The pace of one run's requests to Magic Hour's API when Concurrency is automatic: how many requests a
 * second it sends, learnt from Magic Hour's answers. Magic Hour publishes no rate; it answers 429 when an
 * account sends too fast.
 *
 * - Until Magic Hour limits the run, requests go as soon as they are due.
 * - When 429s pile up (at least 3 among the answers to the requests sent in the last 5 s since the pace
 *   last dropped, and more than 1 in 10 of them), the run paces its requests, creates and looks alike,
 *   at 0.9× the rate Magic Hour accepted over those seconds, first come, first sent. A stray 429 among
 *   many accepted answers changes nothing: it is retried, as every 429 is (retry.ts).
 * - While requests wait for their turn and no 429 came for a while (5 s at first), the pace rises by 5 %,
 *   so that it finds a limit that was raised. A 429 soon after a rise takes it back, and the next rise
 *   waits twice as long (up to a minute): at the limit, the run asks for more less and less often.
 * The 429s still pause every request of the run, and Retry-After is honoured (RateLimitGate, retry.ts).
 */
import type { Clock } from './clock';

/** The answers a change of pace looks back on. */
export const PACE_WINDOW_MS = 5000;
/** 429s among those answers before the pace changes, and their smallest share. */
export const LIMITED_ANSWERS = 3;
export const LIMITED_SHARE = 0.1;
/** The pace after 429s piled up, as a share of the rate Magic Hour accepted. */
export const PACE_BELOW_ACCEPTED = 0.9;
/** How long without a 429 before a pace that requests wait for rises, at first and at most; by how much. */
export const PROBE_AFTER_MS = 5000;
export const PROBE_AFTER_MAX_MS = 60_000;
export const PROBE_STEP = 1.05;
/** The slowest pace: one request every 2 s. */
export const SLOWEST_PER_SECOND = 0.5;
/** A rate measured over less time than this is measured over this long (a run's first second is a burst). */
const SHORTEST_MEASURE_MS = 1000;

/** What one answer told the pace, for whoever follows the run's answers (the run's width). */
export interface PaceNews {
	/** Magic Hour answered 2xx: it did what was asked. */
	succeeded: boolean;
	/** 429s piled up: the pace was lowered on this answer. */
	lowered: boolean;
}

interface Answer {
	sentAt: number;
	limited: boolean;
}

export class RequestPace {
	/** Requests per second; Infinity until Magic Hour limited the run. */
	private perSecond = Infinity;
	/** When the next request may be sent (clock ms). */
	private nextTurnAt = 0;
	private loweredAt = -Infinity;
	private lastLimitedAt = -Infinity;
	private probedAt = -Infinity;
	/** When the pace last rose, until a 429 took the rise back or it dropped. */
	private risenAt: number | undefined;
	private probeAfterMs = PROBE_AFTER_MS;
	private firstSentAt: number | undefined;
	private waitedSinceProbe = false;
	private answers: Answer[] = [];
	private readonly listeners: Array<(news: PaceNews) => void> = [];

	constructor(private readonly clock: Clock) {}

	/** Requests per second the run is held to (Infinity: not paced). */
	get rate(): number {
		return this.perSecond;
	}

	/** How long a request asking now would wait for its turn (ms). */
	backlogMs(): number {
		return Math.max(0, this.nextTurnAt - this.clock.now());
	}

	/** Follows every answer of the run (see PaceNews). */
	listen(listener: (news: PaceNews) => void): void {
		this.listeners.push(listener);
	}

	/**
	 * Waits for this request's turn and returns when it was; undefined, without waiting, when its turn would
	 * come at or after `deadline`. Throws the signal's reason when the execution is stopped.
	 */
	async turn(signal: AbortSignal | undefined, deadline?: number): Promise<number | undefined> {
		const now = this.clock.now();
		const at = Math.max(now, this.nextTurnAt);
		if (deadline !== undefined && at >= deadline) return undefined;
		if (this.perSecond !== Infinity) this.nextTurnAt = at + 1000 / this.perSecond;
		if (at > now) {
			this.waitedSinceProbe = true;
			await this.clock.sleep(at - now, signal);
		}
		return at;
	}

	/** An answer (`status`) to a request sent at `sentAt`; a request that got no answer teaches nothing. */
	answered(sentAt: number, status: number | undefined): void {
		if (status === undefined) return;
		const now = this.clock.now();
		this.firstSentAt ??= sentAt;
		const limited = status === 429;
		this.answers.push({ sentAt, limited });
		this.answers = this.answers.filter((answer) => answer.sentAt >= now - PACE_WINDOW_MS);
		const lowered = limited && this.limitedTooOften();
		if (lowered) this.lower(now);
		else if (limited) this.stepBack(now, sentAt);
		else this.probe(now);
		if (limited) this.lastLimitedAt = now;
		const succeeded = status >= 200 && status < 300;
		for (const listener of this.listeners) listener({ succeeded, lowered });
	}

	private limitedTooOften(): boolean {
		const since = this.answers.filter((answer) => answer.sentAt > this.loweredAt);
		const limited = since.filter((answer) => answer.limited).length;
		return limited >= LIMITED_ANSWERS && limited > LIMITED_SHARE * since.length;
	}

	/** The pace drops to just under what Magic Hour accepted over the last seconds. */
	private lower(now: number): void {
		const measuredMs = Math.min(PACE_WINDOW_MS, Math.max(SHORTEST_MEASURE_MS, now - (this.firstSentAt ?? now)));
		const accepted = this.answers.filter((answer) => !answer.limited && answer.sentAt >= now - measuredMs).length;
		const acceptedPerSecond = (accepted * 1000) / measuredMs;
		this.perSecond = Math.max(SLOWEST_PER_SECOND, PACE_BELOW_ACCEPTED * Math.min(this.perSecond, acceptedPerSecond));
		this.loweredAt = now;
		this.probeAfterMs = PROBE_AFTER_MS;
		this.probed(now);
	}

	/** A pace requests waited for rises a little, once no 429 came for a while. */
	private probe(now: number): void {
		if (this.perSecond === Infinity || !this.waitedSinceProbe) return;
		if (now - Math.max(this.probedAt, this.lastLimitedAt) < this.probeAfterMs) return;
		this.perSecond *= PROBE_STEP;
		this.probed(now);
		this.risenAt = now;
	}

	/** A 429 to a request sent soon after a rise: the rise went past the limit. */
	private stepBack(now: number, sentAt: number): void {
		if (this.risenAt === undefined || sentAt < this.risenAt || now - this.risenAt >= this.probeAfterMs) return;
		this.perSecond = Math.max(SLOWEST_PER_SECOND, this.perSecond / PROBE_STEP);
		this.probeAfterMs = Math.min(PROBE_AFTER_MAX_MS, 2 * this.probeAfterMs);
		this.probed(now);
	}

	private probed(now: number): void {
		this.probedAt = now;
		this.risenAt = undefined;
		this.waitedSinceProbe = false;
	}
}
