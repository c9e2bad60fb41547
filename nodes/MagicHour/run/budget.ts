/**
 * Max Credits per Run: what a run's creates may cost together, never more.
 *
 * Before an item sends anything it sets aside what its creates may cost (every part, for a long
 * text) and is refused, unpaid, when that would take the run over the limit: spent (what Magic
 * Hour reported charging, refunds deducted) + set aside by the items at work + this item > limit
 * once no other item is at work any more (their answers may lower what it needs).
 * Once a create has answered, only its real charge counts.
 *
 * What a create may cost is its characters × the rate, rounded up. Until Magic Hour has charged the
 * run once, the rate is the higher of the user's estimate and the highest rate Magic Hour has
 * published, and only one item may set aside and send: the others wait for its first charge. So
 * the limit holds at whichever published rate Magic Hour charges (docs/pricing.md). From then on
 * the rate is the one Magic Hour charged (the lowest credits per character of the run's creates:
 * each is at or above the real rate, as charges are rounded up).
 *
 * A create whose answer was lost may have made a job: it stays spent, at what it may cost.
 */
import type { NodeOperationError } from 'n8n-workflow';

import type { PaidJobs } from '../api/paidJobs';
import { failureOf, overBudget } from '../errors';
import { estimateCredits } from '../input/prompt';
import type { N8nContext } from '../transport';

/**
 * The higher of the two rates Magic Hour has published for a voice clone, in credits per character
 * (its written docs say 0.05, its API reference 0.1): what a create is priced at before the run has
 * been charged once, unless the user's estimate is higher.
 */
export const HIGHEST_PUBLISHED_RATE = 0.1;

/** An error after which no job can exist: Magic Hour answered, and the answer proves none was made. */
function madeNoJob(error: unknown): boolean {
	const { httpStatus } = failureOf(error).context;
	return httpStatus !== undefined && (httpStatus < 500 || httpStatus === 502 || httpStatus === 503);
}

export class SpendBudget {
	/** Set aside by the items at work, for creates not answered yet. */
	private setAside = 0;
	/** Creates whose answer was lost: a job may exist, at a charge the run never learns. */
	private readonly lost: Array<{ characters: number; estimateRate: number; price: number }> = [];
	/** While the run has no charge to go by: the one item that may set aside and send. */
	private pioneer: Reservation | undefined;
	/** A create of the pioneer is in flight: its other parts wait for its charge. */
	private learning = false;
	private readonly waiting: Array<() => void> = [];

	constructor(
		readonly limit: number,
		private readonly paidJobs: PaidJobs,
		private readonly ctx: N8nContext,
	) {}

	/** Credits the run has spent, as far as it can know: a lost create at what it may cost now. */
	spent(): number {
		const lost = this.lost.reduce(
			(sum, create) => sum + Math.max(create.price, this.price(create.characters, create.estimateRate)),
			0,
		);
		return this.paidJobs.charged() + lost;
	}

	private rateKnown(): boolean {
		return this.paidJobs.chargedRate() !== undefined;
	}

	/** The rate a create is priced at now: the one charged, else the higher of the estimate and the highest published. */
	private rate(estimateRate: number): number {
		return this.paidJobs.chargedRate() ?? Math.max(estimateRate, HIGHEST_PUBLISHED_RATE);
	}

	price(characters: number, estimateRate: number): number {
		return estimateCredits(characters, this.rate(estimateRate));
	}

	private async changed(): Promise<void> {
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	private wake(): void {
		for (const resolve of this.waiting.splice(0)) resolve();
	}

	/** Whether `amount` more can be set aside without taking the run over the limit. */
	private fits(amount: number): boolean {
		return amount <= 0 || this.spent() + this.setAside + amount <= this.limit;
	}

	/** `part`: one create of a long text, refused after the item was priced (see `pay`). */
	private refusal(itemIndex: number, needed: number, estimateRate: number, part = false): NodeOperationError {
		return overBudget(this.ctx.getNode(), {
			itemIndex,
			limit: this.limit,
			committed: this.spent() + this.setAside,
			needed,
			part,
			beforeFirstCharge: this.rateKnown() ? undefined : { rate: this.rate(estimateRate), published: HIGHEST_PUBLISHED_RATE },
		});
	}

	/** Sets aside what creates of these characters (one per part) may cost, or refuses the item. */
	async reserve(characters: number[], estimateRate: number, itemIndex: number): Promise<Reservation> {
		let prices: number[];
		let needed: number;
		for (;;) {
			if (this.rateKnown() || !this.pioneer) {
				prices = characters.map((count) => this.price(count, estimateRate));
				needed = prices.reduce((sum, price) => sum + price, 0);
				if (this.fits(needed)) break;
				// Items at work may still lower what it needs (their charges teach a lower rate than a short
				// first text rounded up) or give back what they set aside: wait for them first.
				if (this.setAside === 0) throw this.refusal(itemIndex, needed, estimateRate);
			}
			await this.changed();
		}
		this.setAside += needed;
		const reservation = new Reservation(this, characters, prices, estimateRate, itemIndex);
		if (!this.rateKnown()) this.pioneer = reservation;
		return reservation;
	}

	/**
	 * Sends one create of `reservation` at what it may cost now: re-priced, once the run has a
	 * charge to go by, for a part set aside at the estimate. Only the parts of the run's first item
	 * can be refused here (its other parts waited for its first charge); once one is, none of its
	 * parts is sent any more: they would be paid for an item that fails anyway.
	 */
	async pay<T extends { credits_charged?: unknown }>(
		reservation: Reservation,
		part: { characters: number; price: number },
		send: () => Promise<T>,
	): Promise<T> {
		while (this.learning && !this.rateKnown()) await this.changed();
		const learner = !this.rateKnown();
		let { price } = part;
		if (!learner) {
			const now = this.price(part.characters, reservation.estimateRate);
			if (reservation.refused || !this.fits(now - price)) {
				reservation.refused = true;
				this.release(reservation, price);
				throw this.refusal(reservation.itemIndex, now, reservation.estimateRate, reservation.parts > 1);
			}
			this.setAside += now - price;
			price = now;
		}
		this.learning ||= learner;
		const lost = { characters: part.characters, estimateRate: reservation.estimateRate, price };
		const sending = send();
		// Looked at here, handled by the caller: a create whose answer was lost may have made a job,
		// so it stays spent (this runs before the `finally` below gives its price back).
		sending.catch((error: unknown) => {
			if (!madeNoJob(error)) this.lost.push(lost);
		});
		try {
			const created = await sending;
			// An answer without its charge (the API always gives one) is counted as a lost one.
			if (typeof created.credits_charged !== 'number') this.lost.push(lost);
			return created;
		} finally {
			if (learner) this.learning = false;
			this.release(reservation, price);
		}
	}

	/** Gives back `amount` of what `reservation` set aside (paid now, or not needed). */
	release(reservation: Reservation, amount: number): void {
		this.setAside -= amount;
		if (reservation === this.pioneer && (this.rateKnown() || reservation.done())) this.pioneer = undefined;
		this.wake();
	}
}

/** What one item set aside: a price for each of its creates (parts), paid or given back. */
export class Reservation {
	private readonly unpaid: Array<number | undefined>;
	/** A part was refused for the budget: the item fails, so no further part is sent. */
	refused = false;

	constructor(
		private readonly budget: SpendBudget,
		private readonly characters: number[],
		prices: number[],
		readonly estimateRate: number,
		readonly itemIndex: number,
	) {
		this.unpaid = [...prices];
	}

	/** Sends the create of part `index` (0 for a short prompt) with what was set aside for it. */
	async pay<T extends { credits_charged?: unknown }>(index: number, send: () => Promise<T>): Promise<T> {
		const price = this.unpaid[index] ?? 0;
		this.unpaid[index] = undefined;
		return await this.budget.pay(this, { characters: this.characters[index], price }, send);
	}

	/** How many creates (parts) the item has. */
	get parts(): number {
		return this.characters.length;
	}

	/** True once every part was paid or given back. */
	done(): boolean {
		return this.unpaid.every((price) => price === undefined);
	}

	/** Gives back what the parts not sent had set aside (the item ended, or failed). */
	release(): void {
		const left = this.unpaid.reduce<number>((sum, price) => sum + (price ?? 0), 0);
		this.unpaid.fill(undefined);
		this.budget.release(this, left);
	}
}
