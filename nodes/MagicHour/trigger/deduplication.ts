/**
 * Magic Hour gives an event no id and may deliver it twice, so an event is known by its type and
 * project id. The events started are kept for 48 hours (Magic Hour retries a delivery for up to
 * 24) in the workflow's static data, which n8n stores in its database, so they survive restarts
 * and reach other n8n processes, and in a memory of this process.
 *
 * n8n hands each delivery a copy of the static data read when it arrives, and saves that copy
 * whole once the node is done: of deliveries that overlap (renders that finish together), the
 * last one saved wins, and the events the others started would be lost. So this process's memory
 * answers at once for a repeat arriving before the first delivery is saved, and every delivery
 * writes what it stores as the stored events plus all this process has started, at its very end
 * (`recordStarted`). Two n8n processes receiving the same event at the same moment can still both
 * start it (docs/trigger.md, Duplicates).
 */
import type { IDataObject } from 'n8n-workflow';

import type { MagicHourEvent } from './events';

const KEEP_SECONDS = 48 * 60 * 60;
const MAX_KEPT = 10_000;

type Started = Record<string, number>;

/** Events this process started, by workflow and node ("scope"), then by event, with when. */
const startedHere = new Map<string, Started>();

function eventKey(event: MagicHourEvent): string {
	return `${event.type}:${event.payload.id}`;
}

/** The entries of the last 48 hours, newest last, at most MAX_KEPT. */
function recentOnly(seen: Started, nowSeconds: number): Started {
	const kept = Object.entries(seen)
		.filter(([, at]) => typeof at === 'number' && nowSeconds - at < KEEP_SECONDS)
		.sort(([, a], [, b]) => a - b)
		.slice(-MAX_KEPT);
	return Object.fromEntries(kept);
}

function storedIn(staticData: IDataObject): Started {
	return (staticData.startedEvents ?? {}) as Started;
}

/**
 * True the first time an event arrives for this trigger node, and remembers it in this process;
 * false for a repeat. `staticData` is the node's static data; `scope` names the workflow and node.
 */
export function isFirstDelivery(
	staticData: IDataObject,
	scope: string,
	event: MagicHourEvent,
	nowSeconds: number,
): boolean {
	const here = recentOnly(startedHere.get(scope) ?? {}, nowSeconds);
	const key = eventKey(event);
	const seen = here[key] !== undefined || recentOnly(storedIn(staticData), nowSeconds)[key] !== undefined;
	if (!seen) here[key] = nowSeconds;
	startedHere.set(scope, here);
	return !seen;
}

/**
 * Puts into the static data the events stored there and those this process started, when that
 * adds any. Call it last, just before the node returns: n8n then saves the static data whole.
 */
export function recordStarted(staticData: IDataObject, scope: string, nowSeconds: number): void {
	const stored = storedIn(staticData);
	const here = startedHere.get(scope) ?? {};
	if (Object.keys(here).every((key) => stored[key] !== undefined)) return;
	// A new object, not a change inside the old one: n8n saves static data when a key of it is set.
	staticData.startedEvents = recentOnly({ ...stored, ...here }, nowSeconds);
}
