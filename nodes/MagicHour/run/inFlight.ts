/**
 * Runs `work` for each index with at most `limit` running at once, starting them in index order.
 * Once `shouldStop()` is true, no further index is started; the ones running are awaited.
 */
export async function forEachInFlight(
	count: number,
	limit: number,
	work: (index: number) => Promise<void>,
	shouldStop: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	const lane = async (): Promise<void> => {
		while (next < count && !shouldStop()) {
			const index = next++;
			await work(index);
		}
	};
	const lanes = Array.from({ length: Math.max(1, Math.min(limit, count)) }, lane);
	await Promise.all(lanes);
}
