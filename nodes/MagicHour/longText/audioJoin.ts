/**
 * Joins audio files of the same format into one, without decoding or re-encoding: PCM WAV data
 * is concatenated under one corrected header, MP3 frames are appended in order.
 */

export type JoinableFormat = 'wav' | 'mp3';

/** Why parts cannot be joined; the caller turns it into an error the user can act on. */
export class AudioJoinError extends Error {}

/** What a buffer holds, judged from its first bytes; undefined when it is neither WAV nor MP3. */
export function detectAudioFormat(audio: Buffer): JoinableFormat | undefined {
	if (audio.length >= 12 && audio.toString('latin1', 0, 4) === 'RIFF' && audio.toString('latin1', 8, 12) === 'WAVE') {
		return 'wav';
	}
	if (audio.length >= 3 && audio.toString('latin1', 0, 3) === 'ID3') return 'mp3';
	return readFrameHeader(audio, 0) ? 'mp3' : undefined;
}

/** A short name of a file's format for messages: "WAV", "MP3", or what its first bytes look like. */
export function describeAudioFormat(audio: Buffer): string {
	const format = detectAudioFormat(audio);
	if (format) return format.toUpperCase();
	const head = audio.toString('latin1', 0, 4);
	if (head === 'OggS') return 'Ogg';
	if (head === 'fLaC') return 'FLAC';
	if (audio.toString('latin1', 4, 8) === 'ftyp') return 'MP4/M4A';
	return 'an unknown format';
}

/** Joins parts that all hold WAV or all hold MP3, in order. */
export function joinAudio(parts: Buffer[]): { audio: Buffer; format: JoinableFormat } {
	if (parts.length === 0) throw new AudioJoinError('there is no part to join');
	const formats = parts.map(detectAudioFormat);
	const format = formats[0];
	if (!format || formats.some((each) => each !== format)) {
		const described = parts.map((part, index) => `part ${index + 1}: ${describeAudioFormat(part)}`);
		throw new AudioJoinError(
			format && formats.every(Boolean)
				? `the parts came back in different formats (${described.join(', ')})`
				: `only WAV and MP3 can be joined (${described.join(', ')})`,
		);
	}
	return { audio: format === 'wav' ? joinWav(parts) : joinMp3(parts), format };
}

// ------------------------------------------------------------------------------------------------
// WAV

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Formats whose data is a plain sequence of sample frames, so two files' data can follow each other. */
const SAMPLE_FORMATS = new Set([WAVE_FORMAT_PCM, WAVE_FORMAT_IEEE_FLOAT, WAVE_FORMAT_ALAW, WAVE_FORMAT_MULAW]);
const MAX_RIFF_BYTES = 0xffffffff;

export interface WavLayout {
	/** The format tag, the sub-format's for WAVE_FORMAT_EXTENSIBLE. */
	formatTag: number;
	channels: number;
	sampleRate: number;
	bitsPerSample: number;
	blockAlign: number;
	/** The fmt chunk's body, as it was. */
	fmt: Buffer;
	/** Whole sample frames of the data chunk (a partial frame at the end is left out). */
	data: Buffer;
	hasFact: boolean;
}

/** Reads a RIFF/WAVE file's format and data, walking its chunks. */
export function parseWav(wav: Buffer): WavLayout {
	if (detectAudioFormat(wav) !== 'wav') throw new AudioJoinError('a part is not a RIFF/WAVE file');
	let fmt: Buffer | undefined;
	let hasFact = false;
	for (let position = 12; position + 8 <= wav.length; ) {
		const id = wav.toString('latin1', position, position + 4);
		const declared = wav.readUInt32LE(position + 4);
		const body = position + 8;
		if (id === 'data') {
			if (!fmt) throw new AudioJoinError('a WAV part has its data before its format');
			// Streamed files may announce more data than they hold (or 0xFFFFFFFF): keep what is there.
			return { ...readFormat(fmt), fmt, hasFact, data: wholeFrames(wav.subarray(body, body + declared), fmt) };
		}
		if (id === 'fmt ') fmt = wav.subarray(body, body + declared);
		if (id === 'fact') hasFact = true;
		position = body + declared + (declared % 2);
	}
	throw new AudioJoinError('a WAV part has no data chunk');
}

function readFormat(fmt: Buffer): Omit<WavLayout, 'fmt' | 'data' | 'hasFact'> {
	if (fmt.length < 16) throw new AudioJoinError('a WAV part has a truncated format chunk');
	const tag = fmt.readUInt16LE(0);
	const formatTag = tag === WAVE_FORMAT_EXTENSIBLE && fmt.length >= 26 ? fmt.readUInt16LE(24) : tag;
	if (!SAMPLE_FORMATS.has(formatTag)) {
		throw new AudioJoinError(
			`WAV in format 0x${formatTag.toString(16).padStart(4, '0')} is compressed and cannot be joined without re-encoding`,
		);
	}
	return {
		formatTag,
		channels: fmt.readUInt16LE(2),
		sampleRate: fmt.readUInt32LE(4),
		blockAlign: Math.max(1, fmt.readUInt16LE(12)),
		bitsPerSample: fmt.readUInt16LE(14),
	};
}

function wholeFrames(data: Buffer, fmt: Buffer): Buffer {
	const blockAlign = Math.max(1, fmt.readUInt16LE(12));
	return data.subarray(0, data.length - (data.length % blockAlign));
}

function describeWav(wav: WavLayout): string {
	const channels = wav.channels === 1 ? 'mono' : wav.channels === 2 ? 'stereo' : `${wav.channels} channels`;
	const kind = wav.formatTag === WAVE_FORMAT_IEEE_FLOAT ? 'float' : `${wav.bitsPerSample}-bit`;
	return `${wav.sampleRate} Hz ${kind} ${channels}`;
}

function chunk(id: string, body: Buffer): Buffer {
	const header = Buffer.alloc(8);
	header.write(id, 0, 'latin1');
	header.writeUInt32LE(body.length, 4);
	return body.length % 2 ? Buffer.concat([header, body, Buffer.alloc(1)]) : Buffer.concat([header, body]);
}

/**
 * One WAV holding the parts' sample data one after another, under the first part's format chunk,
 * with the RIFF, data (and fact) sizes set for the whole. Other chunks (LIST, …) are dropped.
 */
export function joinWav(parts: Buffer[]): Buffer {
	const layouts = parts.map(parseWav);
	const first = layouts[0];
	layouts.forEach((layout, index) => {
		const same =
			layout.formatTag === first.formatTag &&
			layout.channels === first.channels &&
			layout.sampleRate === first.sampleRate &&
			layout.bitsPerSample === first.bitsPerSample &&
			layout.blockAlign === first.blockAlign;
		if (!same) {
			throw new AudioJoinError(
				`the WAV parts differ: part 1 is ${describeWav(first)}, part ${index + 1} is ${describeWav(layout)}`,
			);
		}
	});
	const dataBytes = layouts.reduce((sum, layout) => sum + layout.data.length, 0);
	const fmt = chunk('fmt ', first.fmt);
	const fact = first.hasFact ? chunk('fact', uint32(dataBytes / first.blockAlign)) : Buffer.alloc(0);
	const dataHeader = Buffer.alloc(8);
	dataHeader.write('data', 0, 'latin1');
	dataHeader.writeUInt32LE(dataBytes, 4);
	const pad = Buffer.alloc(dataBytes % 2);
	const riffBytes = 4 + fmt.length + fact.length + dataHeader.length + dataBytes + pad.length;
	if (riffBytes > MAX_RIFF_BYTES) throw new AudioJoinError('the joined WAV would be larger than 4 GB, the most a WAV file can hold');
	const riff = Buffer.alloc(12);
	riff.write('RIFF', 0, 'latin1');
	riff.writeUInt32LE(riffBytes, 4);
	riff.write('WAVE', 8, 'latin1');
	return Buffer.concat([riff, fmt, fact, dataHeader, ...layouts.map((layout) => layout.data), pad]);
}

function uint32(value: number): Buffer {
	const buffer = Buffer.alloc(4);
	buffer.writeUInt32LE(value, 0);
	return buffer;
}

// ------------------------------------------------------------------------------------------------
// MP3 (MPEG-1/2/2.5 audio, layers I–III)

type MpegVersion = 1 | 2 | 2.5;

export interface FrameHeader {
	version: MpegVersion;
	layer: 1 | 2 | 3;
	sampleRate: number;
	mono: boolean;
	/** Whole frame, header included. */
	bytes: number;
	samples: number;
}

const BITRATES_KBPS: Record<'1-1' | '1-2' | '1-3' | '2-1' | '2-2' | '2-3', number[]> = {
	'1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
	'1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
	'1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
	'2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
	'2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
	'2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<MpegVersion, number[]> = {
	1: [44100, 48000, 32000],
	2: [22050, 24000, 16000],
	2.5: [11025, 12000, 8000],
};
const VERSIONS: Array<MpegVersion | undefined> = [2.5, undefined, 2, 1];
const LAYERS: Array<1 | 2 | 3 | undefined> = [undefined, 3, 2, 1];

/** The MPEG audio frame header at `position`, or undefined when there is none (free-format frames included). */
export function readFrameHeader(audio: Buffer, position: number): FrameHeader | undefined {
	if (position + 4 > audio.length || audio[position] !== 0xff || (audio[position + 1] & 0xe0) !== 0xe0) return undefined;
	const version = VERSIONS[(audio[position + 1] >> 3) & 3];
	const layer = LAYERS[(audio[position + 1] >> 1) & 3];
	const bitrateIndex = audio[position + 2] >> 4;
	const sampleRateIndex = (audio[position + 2] >> 2) & 3;
	if (!version || !layer || bitrateIndex === 0 || bitrateIndex === 15 || sampleRateIndex === 3) return undefined;
	const bitrate = BITRATES_KBPS[`${version === 1 ? 1 : 2}-${layer}` as keyof typeof BITRATES_KBPS][bitrateIndex] * 1000;
	const sampleRate = SAMPLE_RATES[version][sampleRateIndex];
	const padding = (audio[position + 2] >> 1) & 1;
	const samples = layer === 1 ? 384 : layer === 3 && version !== 1 ? 576 : 1152;
	const bytes =
		layer === 1
			? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4
			: Math.floor(((samples / 8) * bitrate) / sampleRate) + padding;
	return { version, layer, sampleRate, mono: audio[position + 3] >> 6 === 3, bytes, samples };
}

export interface Mp3Layout {
	/** Leading ID3v2 tag(s), if any. */
	id3v2: Buffer;
	/** Trailing ID3v1 tag, if any. */
	id3v1: Buffer;
	/** Audio frames in order; a Xing/Info/VBRI frame and a frame cut short at the end are left out. */
	frames: Buffer[];
	header: FrameHeader;
}

/** Size of the ID3v2 tag at `position` (header and footer included), 0 when there is none. */
function id3v2Bytes(audio: Buffer, position: number): number {
	if (position + 10 > audio.length || audio.toString('latin1', position, position + 3) !== 'ID3') return 0;
	const size = [6, 7, 8, 9].reduce((sum, offset) => sum * 128 + (audio[position + offset] & 0x7f), 0);
	const footer = audio[position + 5] & 0x10 ? 10 : 0;
	return 10 + size + footer;
}

/** Where the audio ends: before a trailing ID3v1 tag and an APEv2 tag. */
function audioEnd(audio: Buffer): { end: number; id3v1: Buffer } {
	let end = audio.length;
	let id3v1: Buffer = Buffer.alloc(0);
	if (end >= 128 && audio.toString('latin1', end - 128, end - 125) === 'TAG') {
		id3v1 = audio.subarray(end - 128, end);
		end -= 128;
	}
	if (end >= 32 && audio.toString('latin1', end - 32, end - 24) === 'APETAGEX') {
		const size = audio.readUInt32LE(end - 32 + 12);
		const hasHeader = (audio.readUInt32LE(end - 32 + 20) & 0x80000000) !== 0;
		end = Math.max(0, end - size - (hasHeader ? 32 : 0));
	}
	return { end, id3v1 };
}

/** A Xing/Info (LAME) or VBRI frame describes the file it starts, not the audio: it is not kept. */
function isInfoFrame(audio: Buffer, position: number, header: FrameHeader): boolean {
	if (header.layer !== 3) return false;
	const crc = (audio[position + 1] & 1) === 0 ? 2 : 0;
	const sideInfo = header.version === 1 ? (header.mono ? 17 : 32) : header.mono ? 9 : 17;
	const xing = audio.toString('latin1', position + 4 + crc + sideInfo, position + 8 + crc + sideInfo);
	return xing === 'Xing' || xing === 'Info' || audio.toString('latin1', position + 36, position + 40) === 'VBRI';
}

/** The next frame at or after `position` that is followed by another frame (or the end): skips junk. */
function resync(audio: Buffer, position: number, end: number): number | undefined {
	for (let candidate = position; candidate + 4 <= end; candidate++) {
		const header = readFrameHeader(audio, candidate);
		if (!header) continue;
		const next = candidate + header.bytes;
		if (next === end || (next < end && readFrameHeader(audio, next))) return candidate;
	}
	return undefined;
}

/** Splits an MP3 file into its tags and its audio frames. */
export function parseMp3(audio: Buffer): Mp3Layout {
	let start = 0;
	for (let tag = id3v2Bytes(audio, start); tag > 0; tag = id3v2Bytes(audio, start)) start += tag;
	const { end, id3v1 } = audioEnd(audio);
	const frames: Buffer[] = [];
	let first: FrameHeader | undefined;
	let position = resync(audio, start, end);
	while (position !== undefined && position + 4 <= end) {
		const header = readFrameHeader(audio, position);
		if (!header) {
			position = resync(audio, position + 1, end);
			continue;
		}
		if (position + header.bytes > end) break;
		if (!(frames.length === 0 && !first && isInfoFrame(audio, position, header))) {
			frames.push(audio.subarray(position, position + header.bytes));
		}
		first ??= header;
		position += header.bytes;
	}
	if (!first || frames.length === 0) throw new AudioJoinError('an MP3 part holds no MPEG audio frames');
	return { id3v2: audio.subarray(0, start), id3v1, frames, header: first };
}

function describeMp3(header: FrameHeader): string {
	return `MPEG-${header.version} layer ${'I'.repeat(header.layer)} ${header.sampleRate} Hz ${header.mono ? 'mono' : 'stereo'}`;
}

/**
 * One MP3: the first part's ID3v2 tag, then every part's audio frames in order, then the first
 * part's ID3v1 tag. Other parts' tags and every Xing/Info frame (which would give players the
 * first part's length as the whole file's) are dropped.
 */
export function joinMp3(parts: Buffer[]): Buffer {
	const layouts = parts.map(parseMp3);
	const first = layouts[0].header;
	layouts.forEach(({ header }, index) => {
		if (header.version !== first.version || header.layer !== first.layer || header.sampleRate !== first.sampleRate || header.mono !== first.mono) {
			throw new AudioJoinError(`the MP3 parts differ: part 1 is ${describeMp3(first)}, part ${index + 1} is ${describeMp3(header)}`);
		}
	});
	return Buffer.concat([layouts[0].id3v2, ...layouts.flatMap((layout) => layout.frames), layouts[0].id3v1]);
}
