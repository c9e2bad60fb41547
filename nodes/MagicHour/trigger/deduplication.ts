/**
 * Magic Hour gives an event no id and may deliver it twice, so an event is known by its type and
 * project id. The events started are kept in the workflow's static data, which n8n stores in its
 * database after each delivery (so they survive restarts and are shared by queue-mode mains), for
 * 48 hours: Magic Hour retries a delivery for up to 24.
 *
 * n8n reads that static data afresh for every delivery and saves it only once the node is done,
 * so two deliveries of one event close together would both look new; a memory of this process
 * closes that gap. Two n8n processes receiving the same event at the same moment can still both
 * start it (README, Magic Hour Trigger).
 */
import type { IDataObject } from 'n8n-workflow';

import type { MagicHourEvent } from './events';

const KEEP_SECONDS = 48 * 60 * 60;
const MAX_KEPT = 10_000;
const PROCESS_MEMORY_SECONDS = 10 * 60;

/** Events this process started in the last minutes, by workflow, node and event. */
const startedHere = new Map<string, number>();

function eventKey(event: MagicHourEvent): string {
	return `${event.type}:${event.payload.id}`;
}

/** The entries of the last 48 hours, newest last, at most MAX_KEPT. */
function recentOnly(seen: Record<string, number>, nowSeconds: number): Record<string, number> {
	const kept = Object.entries(seen)
		.filter(([, at]) => typeof at === 'number' && nowSeconds - at < KEEP_SECONDS)
		.sort(([, a], [, b]) => a - b)
		.slice(-MAX_KEPT + 1);
	return Object.fromEntries(kept);
}

/**
 * True the first time an event arrives for this trigger node, and records it; false for a repeat.
 * `staticData` is the node's static data; `scope` names the workflow and node.
 */
export function isFirstDelivery(
	staticData: IDataObject,
	scope: string,
	event: MagicHourEvent,
	nowSeconds: number,
): boolean {
	for (const [key, at] of startedHere) if (nowSeconds - at >= PROCESS_MEMORY_SECONDS) startedHere.delete(key);
	const key = eventKey(event);
	const seen = recentOnly((staticData.startedEvents ?? {}) as Record<string, number>, nowSeconds);
	if (seen[key] !== undefined || startedHere.has(`${scope}|${key}`)) return false;
	startedHere.set(`${scope}|${key}`, nowSeconds);
	// A new object, not a change inside the old one: n8n saves static data when a key of it is set.
	staticData.startedEvents = { ...seen, [key]: nowSeconds };
	return true;
}
