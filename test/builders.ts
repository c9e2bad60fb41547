/**
 * Shared builders for the tests: node parameters, Magic Hour answers, audio. No nock here:
 * tests against the real simulator must not load it (see mocks.ts).
 */
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

export const SAMPLE_URL = 'https://cdn.example.com/samples/voice.mp3';
export const DOWNLOAD_HOST = 'https://files.magichour.test';

export function cloneParameters(overrides: INodeParameters = {}): INodeParameters {
	return {
		operation: 'clone',
		audioSource: 'url',
		audioUrl: SAMPLE_URL,
		prompt: 'Hello from my cloned voice.',
		waitForCompletion: false,
		...overrides,
	};
}

export function getParameters(overrides: INodeParameters = {}): INodeParameters {
	return { operation: 'get', projectId: 'proj_1', waitForCompletion: false, ...overrides };
}

export function project(overrides: IDataObject = {}): IDataObject {
	const id = (overrides.id as string) ?? 'proj_1';
	return {
		id,
		name: 'My clip',
		status: 'complete',
		type: 'VOICE_CLONER',
		created_at: '2026-11-24T10:00:00.000Z',
		enabled: true,
		credits_charged: 2,
		downloads: [{ url: `${DOWNLOAD_HOST}/${id}/output.wav?sig=abc`, expires_at: '2026-11-25T10:00:00.000Z' }],
		error: null,
		...overrides,
	};
}

/** A valid 16-bit mono PCM WAV of `samples` samples at 16 kHz. */
export function wav(samples = 1600): Buffer {
	const data = Buffer.alloc(samples * 2);
	for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(8000 * Math.sin(i / 8)), i * 2);
	const header = Buffer.alloc(44);
	header.write('RIFF', 0);
	header.writeUInt32LE(36 + data.length, 4);
	header.write('WAVEfmt ', 8);
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(16000, 24);
	header.writeUInt32LE(32000, 28);
	header.writeUInt16LE(2, 32);
	header.writeUInt16LE(16, 34);
	header.write('data', 36);
	header.writeUInt32LE(data.length, 40);
	return Buffer.concat([header, data]);
}

/** The node as unit tests hand it to validators and error builders. */
export const testNode: INode = {
	id: 'magic-hour',
	name: 'Magic Hour Voice Cloner',
	type: 'n8n-nodes-magichour-voice-cloner.magicHourVoiceCloner',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
