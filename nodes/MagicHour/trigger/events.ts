/** What Magic Hour posts to a webhook: `{ "type": "<event>", "payload": <the project> }`. */
import type { AudioProject } from '../api/audioProjects';

/** The audio events a webhook endpoint can select in Magic Hour's Developer Hub. */
export const AUDIO_EVENTS = ['audio.started', 'audio.completed', 'audio.errored'] as const;

export type AudioEvent = (typeof AUDIO_EVENTS)[number];

export interface MagicHourEvent {
	type: string;
	/** For audio events, the same object as GET of the audio project. */
	payload: AudioProject;
}

/** The event in a raw body, or undefined when the body is not the JSON Magic Hour sends. */
export function parseEvent(rawBody: Buffer): MagicHourEvent | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
	const { type, payload } = (parsed ?? {}) as { type?: unknown; payload?: unknown };
	if (typeof type !== 'string' || !type || typeof payload !== 'object' || payload === null) return undefined;
	const { id } = payload as { id?: unknown };
	if (typeof id !== 'string' || !id) return undefined;
	return { type, payload: payload as AudioProject };
}

export function isAudioEvent(type: string): type is AudioEvent {
	return (AUDIO_EVENTS as readonly string[]).includes(type);
}
