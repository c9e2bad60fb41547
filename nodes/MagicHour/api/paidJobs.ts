/** A job this execution paid for, with the last status and charge the node saw. */
export interface PaidJob {
	id: string;
	itemIndex: number;
	status: string;
	/** As Magic Hour reported it: at the create, then at each look (a failed job is refunded). */
	creditsCharged: number;
	/** Of its prompt, as Magic Hour counts them. */
	characters: number;
}

/**
 * The paid jobs of one execution, and what they cost. When a run stops on an error, n8n shows no
 * output at all, so the error lists these ids: the audio can still be collected with Get Audio
 * Project. Their charges are what Max Credits per Run counts (run/budget.ts).
 */
export class PaidJobs {
	private readonly jobs = new Map<string, PaidJob>();
	private lowestRate: number | undefined;

	created(id: string, itemIndex: number, charge: { creditsCharged: number; characters: number }): void {
		this.jobs.set(id, { id, itemIndex, status: 'queued', ...charge });
		const { creditsCharged, characters } = charge;
		if (creditsCharged > 0 && characters > 0) {
			this.lowestRate = Math.min(this.lowestRate ?? Infinity, creditsCharged / characters);
		}
	}

	/** Records what a look at a job of this run saw; other projects (Get on an old id) are ignored. */
	seen(id: string, status: string, creditsCharged: unknown): void {
		const job = this.jobs.get(id);
		if (!job) return;
		job.status = status;
		if (typeof creditsCharged === 'number' && Number.isFinite(creditsCharged)) job.creditsCharged = creditsCharged;
	}

	/** Credits this run was charged so far, refunds deducted. */
	charged(): number {
		return [...this.jobs.values()].reduce((sum, job) => sum + job.creditsCharged, 0);
	}

	/**
	 * The rate Magic Hour charged, as far as this run can tell: charges are rounded up per job, so
	 * each create's credits per character is at or above the real rate, and the lowest is the
	 * closest. Undefined until a create answered with a charge.
	 */
	chargedRate(): number | undefined {
		return this.lowestRate;
	}

	list(): PaidJob[] {
		return [...this.jobs.values()].sort((a, b) => a.itemIndex - b.itemIndex);
	}

	/** The sentence the run's error ends with, or undefined when nothing was paid; `advice` says how to collect them. */
	summary(advice: string): string | undefined {
		const jobs = this.list();
		if (jobs.length === 0) return undefined;
		const lines = jobs.map((job) => `${job.id} (item ${job.itemIndex}, last status: ${job.status})`);
		return `This run created ${jobs.length} paid Magic Hour job${jobs.length === 1 ? '' : 's'}: ${lines.join('; ')}. ${advice}`;
	}
}
