/**
 * Shared builders for the tests: node parameters, Magic Hour answers, audio. No nock here:
 * tests against the real simulator must not load it (see mocks.ts).
 */
import { NodeOperationError } from 'n8n-workflow';
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

/** A saved item's asset as GET /v1/saved-items lists it. */
export function savedAsset(filePath: string, overrides: IDataObject = {}): IDataObject {
	return {
		file_path: filePath,
		is_primary: true,
		media_kind: 'AUDIO',
		url: `${DOWNLOAD_HOST}/preview/${filePath}?sig=p`,
		url_expires_at: '2026-11-25T10:00:00.000Z',
		...overrides,
	};
}

/** A voice the user saved in Magic Hour, with one audio file (`saved-items/u1/<id>/voice.mp3`) unless told otherwise. */
export function savedVoice(id: string, name: string | null, overrides: IDataObject = {}): IDataObject {
	return { id, name, type: 'voice', assets: [savedAsset(`saved-items/u1/${id}/voice.mp3`)], ...overrides };
}

export function savedVoiceParameters(id: string, overrides: INodeParameters = {}): INodeParameters {
	return cloneParameters({ audioSource: 'savedVoice', savedVoice: { __rl: true, mode: 'id', value: id }, ...overrides });
}

export interface WavOptions {
	sampleRate?: number;
	channels?: number;
	bitsPerSample?: number;
	/** WAV format tag: 1 = PCM (default), 3 = float, 0x11 = IMA ADPCM … */
	formatTag?: number;
	/** Chunks put between "fmt " and "data", as encoders add LIST/INFO. */
	extraChunks?: Array<[id: string, body: Buffer]>;
	/** A fact chunk (required for non-PCM formats), with a sample count. */
	fact?: boolean;
	/** Announce this many data bytes instead of the real count (streamed files announce too many). */
	announcedDataBytes?: number;
	/** Bytes appended after whole sample frames (a partial frame). */
	trailingBytes?: number;
}

function riffChunk(id: string, body: Buffer): Buffer {
	const header = Buffer.alloc(8);
	header.write(id, 0, 'latin1');
	header.writeUInt32LE(body.length, 4);
	return Buffer.concat([header, body, Buffer.alloc(body.length % 2)]);
}

/** The sample data of `wav(samples, options)`: a sine wave, so that parts can be told apart. */
export function wavData(samples: number, options: WavOptions = {}, phase = 0): Buffer {
	const channels = options.channels ?? 1;
	const bytesPerSample = (options.bitsPerSample ?? 16) / 8;
	const data = Buffer.alloc(samples * channels * bytesPerSample);
	for (let index = 0; index < samples * channels; index++) {
		const value = Math.round(8000 * Math.sin((index + phase) / 8));
		if (bytesPerSample === 2) data.writeInt16LE(value, index * 2);
		else if (bytesPerSample === 1) data.writeUInt8(128 + (value >> 8), index);
		else data.writeInt32LE(value << 16, index * 4);
	}
	return data;
}

/** A valid WAV of `samples` sample frames; by default 16 kHz 16-bit mono PCM, as the simulator renders. */
export function wav(samples = 1600, options: WavOptions = {}, phase = 0): Buffer {
	const sampleRate = options.sampleRate ?? 16000;
	const channels = options.channels ?? 1;
	const bitsPerSample = options.bitsPerSample ?? 16;
	const blockAlign = (channels * bitsPerSample) / 8;
	const fmt = Buffer.alloc(16);
	fmt.writeUInt16LE(options.formatTag ?? 1, 0);
	fmt.writeUInt16LE(channels, 2);
	fmt.writeUInt32LE(sampleRate, 4);
	fmt.writeUInt32LE(sampleRate * blockAlign, 8);
	fmt.writeUInt16LE(blockAlign, 12);
	fmt.writeUInt16LE(bitsPerSample, 14);
	const data = Buffer.concat([wavData(samples, options, phase), Buffer.alloc(options.trailingBytes ?? 0, 7)]);
	const fact = Buffer.alloc(4);
	fact.writeUInt32LE(samples, 0);
	const dataHeader = Buffer.alloc(8);
	dataHeader.write('data', 0, 'latin1');
	dataHeader.writeUInt32LE(options.announcedDataBytes ?? data.length, 4);
	const body = Buffer.concat([
		Buffer.from('WAVE', 'latin1'),
		riffChunk('fmt ', fmt),
		...(options.fact ? [riffChunk('fact', fact)] : []),
		...(options.extraChunks ?? []).map(([id, chunkBody]) => riffChunk(id, chunkBody)),
		dataHeader,
		data,
	]);
	const riff = Buffer.alloc(8);
	riff.write('RIFF', 0, 'latin1');
	riff.writeUInt32LE(body.length, 4);
	return Buffer.concat([riff, body]);
}

export interface Mp3Options {
	/** Audio frames (a Xing/Info frame is extra). */
	frames: number;
	/** Tells this part's frames apart: written into each frame after the header, with the frame number. */
	marker?: number;
	/** Leading ID3v2 tag with this title. */
	id3Title?: string;
	/** Trailing ID3v1 tag with this title. */
	id3v1Title?: string;
	/** A LAME "Info" frame first, as ffmpeg and LAME write for CBR files. */
	infoFrame?: boolean;
	/** Second header byte: 0x90 = 128 kbit/s 44.1 kHz (default); 0x94 = 128 kbit/s 48 kHz. */
	rateByte?: number;
	/** Fourth header byte: 0xc4 = mono (default), 0x44 = joint stereo. */
	modeByte?: number;
	/** Bytes of a frame cut short at the end. */
	truncatedTail?: number;
}

/** An ID3v2.3 tag with one TIT2 (title) frame. */
export function id3v2Tag(title: string): Buffer {
	const text = Buffer.concat([Buffer.from([0]), Buffer.from(title, 'latin1')]);
	const frameHeader = Buffer.alloc(10);
	frameHeader.write('TIT2', 0, 'latin1');
	frameHeader.writeUInt32BE(text.length, 4);
	const body = Buffer.concat([frameHeader, text]);
	const size = body.length;
	const header = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
	return Buffer.concat([header, body]);
}

export function id3v1Tag(title: string): Buffer {
	const tag = Buffer.alloc(128);
	tag.write('TAG', 0, 'latin1');
	tag.write(title.slice(0, 30), 3, 'latin1');
	return tag;
}

/**
 * The frames of an MPEG-1 Layer III file at 128 kbit/s, alternating the padding bit as encoders
 * do (417 and 418 bytes at 44.1 kHz), with silent side info and a marker in the main data.
 */
export function mp3Frames(options: Mp3Options): Buffer[] {
	const rateByte = options.rateByte ?? 0x90;
	const sampleRate = rateByte === 0x94 ? 48000 : 44100;
	return Array.from({ length: options.frames }, (_, index) => {
		const padding = sampleRate === 44100 && index % 2 === 1 ? 1 : 0;
		const frame = Buffer.alloc(Math.floor((144 * 128000) / sampleRate) + padding);
		frame.set([0xff, 0xfb, rateByte | (padding << 1), options.modeByte ?? 0xc4], 0);
		frame.writeUInt16BE(options.marker ?? 0, 40);
		frame.writeUInt16BE(index, 42);
		return frame;
	});
}

/** A whole MP3 file: tags, Info frame and frames as asked. */
export function mp3(options: Mp3Options): Buffer {
	const info = Buffer.alloc(417);
	info.set([0xff, 0xfb, options.rateByte ?? 0x90, options.modeByte ?? 0xc4], 0);
	info.write('Info', 4 + ((options.modeByte ?? 0xc4) >> 6 === 3 ? 17 : 32), 'latin1');
	return Buffer.concat([
		options.id3Title !== undefined ? id3v2Tag(options.id3Title) : Buffer.alloc(0),
		options.infoFrame ? info : Buffer.alloc(0),
		...mp3Frames(options),
		Buffer.from([0xff, 0xfb, options.rateByte ?? 0x90, options.modeByte ?? 0xc4, ...new Array(Math.max(0, (options.truncatedTail ?? 0) - 4)).fill(0)]).subarray(0, options.truncatedTail ?? 0),
		options.id3v1Title !== undefined ? id3v1Tag(options.id3v1Title) : Buffer.alloc(0),
	]);
}

/** Ordinary English prose of exactly `characters` code points, ending with a full stop. */
export { prose as longProse } from './prose';

/** The node as unit tests hand it to validators and error builders. */
export const testNode: INode = {
	id: 'magic-hour',
	name: 'Magic Hour Voice Cloner',
	type: 'n8n-nodes-magichour-voice-cloner.magicHourVoiceCloner',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Runs a check that must fail and returns what the user would see. */
export function rejection(check: () => unknown): NodeOperationError {
	try {
		check();
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('expected the value to be rejected, but it was accepted');
}
