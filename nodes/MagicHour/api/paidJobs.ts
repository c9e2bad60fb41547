/** A job this execution paid for, with the last status the node saw. */
export interface PaidJob {
	id: string;
	itemIndex: number;
	status: string;
}

/**
 * The paid jobs of one execution. When a run stops on an error, n8n shows no output at all, so
 * the error lists these ids: the audio can still be collected with Get Audio Project.
 */
export class PaidJobs {
	private readonly jobs = new Map<string, PaidJob>();

	created(id: string, itemIndex: number): void {
		this.jobs.set(id, { id, itemIndex, status: 'queued' });
	}

	/** Records a status seen for a job of this run; other projects (Get on an old id) are ignored. */
	seen(id: string, status: string): void {
		const job = this.jobs.get(id);
		if (job) job.status = status;
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
