// @ts-check
'use strict';

/**
 * Audio generation for the Magic Hour simulator: real, valid WAV files (RIFF, 16-bit PCM, mono) and
 * MPEG-1 Layer III frames, produced as streams so that files of hundreds of MB never sit in memory.
 * Only Node's own modules are used.
 */

const { Readable } = require('stream');

const WAV_HEADER_BYTES = 44;
const DEFAULT_SAMPLE_RATE = 16000;
const DEFAULT_FREQUENCY = 440;
const DEFAULT_MS_PER_CODE_POINT = 60;
const DEFAULT_MIN_MS = 500;
const DEFAULT_CHUNK_BYTES = 64 * 1024;

/** MPEG-1 Layer III, no CRC, 128 kbit/s, 44.1 kHz, no padding, mono, original. */
const MP3_FRAME_HEADER = Buffer.from([0xff, 0xfb, 0x90, 0xc4]);
/** 144 * 128000 / 44100, rounded down (no padding bit). */
const MP3_FRAME_BYTES = 417;
const MP3_SAMPLES_PER_FRAME = 1152;
const MP3_SAMPLE_RATE = 44100;

/**
 * @typedef {object} WavFormat
 * @property {number} [sampleRate] samples per second (default 16000)
 * @property {number} [channels] default 1
 * @property {number} [bitsPerSample] default 16
 */

/**
 * The canonical 44-byte header of a PCM WAV file whose data chunk holds `dataBytes` bytes.
 * @param {number} dataBytes
 * @param {WavFormat} [format]
 * @returns {Buffer}
 */
function wavHeader(dataBytes, format = {}) {
	const sampleRate = format.sampleRate ?? DEFAULT_SAMPLE_RATE;
	const channels = format.channels ?? 1;
	const bitsPerSample = format.bitsPerSample ?? 16;
	const blockAlign = (channels * bitsPerSample) / 8;
	const h = Buffer.alloc(WAV_HEADER_BYTES);
	h.write('RIFF', 0, 'ascii');
	h.writeUInt32LE(36 + dataBytes, 4);
	h.write('WAVE', 8, 'ascii');
	h.write('fmt ', 12, 'ascii');
	h.writeUInt32LE(16, 16); // fmt chunk size
	h.writeUInt16LE(1, 20); // PCM
	h.writeUInt16LE(channels, 22);
	h.writeUInt32LE(sampleRate, 24);
	h.writeUInt32LE(sampleRate * blockAlign, 28); // byte rate
	h.writeUInt16LE(blockAlign, 32);
	h.writeUInt16LE(bitsPerSample, 34);
	h.write('data', 36, 'ascii');
	h.writeUInt32LE(dataBytes, 40);
	return h;
}

/**
 * Duration in seconds of the speech for a text of `codePoints` Unicode code points.
 * @param {number} codePoints
 * @param {{ msPerCodePoint?: number, minMs?: number }} [opts]
 * @returns {number}
 */
function durationForText(codePoints, opts = {}) {
	const per = opts.msPerCodePoint ?? DEFAULT_MS_PER_CODE_POINT;
	const min = opts.minMs ?? DEFAULT_MIN_MS;
	return Math.max(min, codePoints * per) / 1000;
}

/**
 * Total size in bytes (header included) of a 16-bit mono WAV of `seconds` seconds.
 * @param {number} seconds
 * @param {number} [sampleRate]
 * @returns {number}
 */
function wavBytesForDuration(seconds, sampleRate = DEFAULT_SAMPLE_RATE) {
	return WAV_HEADER_BYTES + Math.round(seconds * sampleRate) * 2;
}

/**
 * A RIFF file is always an even number of bytes and a 16-bit PCM data chunk holds whole samples, so the
 * requested size is rounded down to even, with a minimum of one sample (46 bytes).
 * @param {number} totalBytes
 * @returns {number}
 */
function normalizeWavBytes(totalBytes) {
	const n = Math.floor(totalBytes);
	return Math.max(WAV_HEADER_BYTES + 2, n - (n % 2));
}

/** @type {Map<string, Buffer>} */
const loopCache = new Map();

/**
 * One second of a sine tone with a slow (3 Hz) amplitude envelope, as 16-bit little-endian mono PCM.
 * Both frequencies are whole numbers of cycles per second, so the buffer loops seamlessly.
 * @param {number} sampleRate
 * @param {number} frequency
 * @returns {Buffer}
 */
function toneLoop(sampleRate, frequency) {
	const key = `${sampleRate}:${frequency}`;
	const cached = loopCache.get(key);
	if (cached) return cached;
	const buf = Buffer.alloc(sampleRate * 2);
	// Math's functions read once: in a jest test a global is looked up through the sandbox on every use.
	const { sin, round, PI } = Math;
	for (let i = 0; i < sampleRate; i++) {
		const t = i / sampleRate;
		const env = 0.25 + 0.15 * sin(2 * PI * 3 * t);
		const v = round(32767 * env * sin(2 * PI * frequency * t));
		buf.writeInt16LE(v, i * 2);
	}
	loopCache.set(key, buf);
	return buf;
}

/**
 * @typedef {object} WavStreamOptions
 * @property {number} [totalBytes] exact file size (normalized by normalizeWavBytes); wins over durationSec
 * @property {number} [durationSec] duration of the audio when totalBytes is not given (default 1 s)
 * @property {number} [sampleRate] default 16000
 * @property {number} [frequency] tone frequency in Hz, whole number (default 440)
 * @property {number} [chunkBytes] size of the PCM chunks pushed (default 64 KiB)
 */

/**
 * Size in bytes of the WAV that createWavStream(opts) produces.
 * @param {WavStreamOptions} opts
 * @returns {number}
 */
function wavStreamBytes(opts) {
	const sampleRate = opts.sampleRate ?? DEFAULT_SAMPLE_RATE;
	return opts.totalBytes !== undefined
		? normalizeWavBytes(opts.totalBytes)
		: wavBytesForDuration(opts.durationSec ?? 1, sampleRate);
}

/**
 * A readable stream of a valid WAV file, generated chunk by chunk on demand (constant memory).
 * @param {WavStreamOptions} [opts]
 * @returns {Readable}
 */
function createWavStream(opts = {}) {
	const sampleRate = opts.sampleRate ?? DEFAULT_SAMPLE_RATE;
	const frequency = Math.round(opts.frequency ?? DEFAULT_FREQUENCY);
	const chunkBytes = Math.max(2, (opts.chunkBytes ?? DEFAULT_CHUNK_BYTES) & ~1);
	const total = wavStreamBytes(opts);
	const dataBytes = total - WAV_HEADER_BYTES;
	const loop = toneLoop(sampleRate, frequency);
	let headerSent = false;
	let offset = 0; // bytes of PCM already pushed
	return new Readable({
		highWaterMark: chunkBytes,
		read() {
			if (!headerSent) {
				headerSent = true;
				this.push(wavHeader(dataBytes, { sampleRate }));
				return;
			}
			if (offset >= dataBytes) {
				this.push(null);
				return;
			}
			const n = Math.min(chunkBytes, dataBytes - offset);
			const out = Buffer.allocUnsafe(n);
			let written = 0;
			while (written < n) {
				const pos = (offset + written) % loop.length;
				written += loop.copy(out, written, pos, Math.min(loop.length, pos + (n - written)));
			}
			offset += n;
			this.push(out);
		},
	});
}

/**
 * Generates a whole WAV file in memory (for small files and tests).
 * @param {WavStreamOptions} [opts]
 * @returns {Buffer}
 */
function generateWav(opts = {}) {
	const sampleRate = opts.sampleRate ?? DEFAULT_SAMPLE_RATE;
	const frequency = Math.round(opts.frequency ?? DEFAULT_FREQUENCY);
	const total = wavStreamBytes(opts);
	const dataBytes = total - WAV_HEADER_BYTES;
	const loop = toneLoop(sampleRate, frequency);
	const out = Buffer.allocUnsafe(total);
	wavHeader(dataBytes, { sampleRate }).copy(out, 0);
	for (let off = 0; off < dataBytes; off += loop.length) {
		loop.copy(out, WAV_HEADER_BYTES + off, 0, Math.min(loop.length, dataBytes - off));
	}
	return out;
}

/**
 * @typedef {object} WavInfo
 * @property {number} riffSize value of the RIFF chunk size field (file size - 8)
 * @property {number} audioFormat 1 = PCM
 * @property {number} channels
 * @property {number} sampleRate
 * @property {number} byteRate
 * @property {number} blockAlign
 * @property {number} bitsPerSample
 * @property {number} dataOffset offset of the first PCM byte
 * @property {number} dataBytes value of the data chunk size field
 * @property {number} durationSec dataBytes / byteRate
 */

/**
 * Parses the header of a RIFF/WAVE file (walks the chunks up to `data`). Throws on anything malformed.
 * @param {Buffer} buf at least the header bytes of the file
 * @returns {WavInfo}
 */
function parseWavHeader(buf) {
	if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
		throw new Error('not a RIFF/WAVE file');
	}
	const riffSize = buf.readUInt32LE(4);
	let pos = 12;
	/** @type {Omit<WavInfo, 'riffSize' | 'dataOffset' | 'dataBytes' | 'durationSec'> | undefined} */
	let fmt;
	while (pos + 8 <= buf.length) {
		const id = buf.toString('ascii', pos, pos + 4);
		const size = buf.readUInt32LE(pos + 4);
		if (id === 'fmt ') {
			if (size < 16 || pos + 8 + 16 > buf.length) throw new Error('truncated fmt chunk');
			fmt = {
				audioFormat: buf.readUInt16LE(pos + 8),
				channels: buf.readUInt16LE(pos + 10),
				sampleRate: buf.readUInt32LE(pos + 12),
				byteRate: buf.readUInt32LE(pos + 16),
				blockAlign: buf.readUInt16LE(pos + 20),
				bitsPerSample: buf.readUInt16LE(pos + 22),
			};
		} else if (id === 'data') {
			if (!fmt) throw new Error('data chunk before fmt chunk');
			return {
				riffSize,
				...fmt,
				dataOffset: pos + 8,
				dataBytes: size,
				durationSec: fmt.byteRate ? size / fmt.byteRate : 0,
			};
		}
		pos += 8 + size + (size % 2);
	}
	throw new Error('no data chunk found');
}

/**
 * What ffmpeg (libmp3lame) puts before the audio of an MP3 it writes: an ID3v2.4 tag naming the
 * encoder (TSSE), then a LAME "Info" frame, a silent frame whose side info is followed by
 * "Info", a flags word and the number of audio frames and bytes, from which players read the
 * duration. Both describe one file, so a joiner must not repeat them.
 * @param {number} audioFrames
 * @returns {Buffer}
 */
function mp3Prefix(audioFrames) {
	const text = Buffer.from('\x03Lavf60.16.100\x00', 'latin1'); // encoding 3 = UTF-8
	const frame = Buffer.alloc(10);
	frame.write('TSSE', 0, 'ascii');
	frame.writeUInt32BE(text.length, 4); // < 128: a syncsafe integer and a plain one agree
	const id3 = Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, frame.length + text.length]), frame, text]);
	const info = Buffer.alloc(MP3_FRAME_BYTES);
	MP3_FRAME_HEADER.copy(info, 0);
	info.write('Info', 4 + 17, 'ascii'); // after the 17 bytes of MPEG-1 mono side info
	info.writeUInt32BE(0x3, 25); // frames and bytes fields present
	info.writeUInt32BE(audioFrames, 29);
	info.writeUInt32BE((audioFrames + 1) * MP3_FRAME_BYTES, 33);
	info.write('LAME3.100', 37, 'ascii');
	return Buffer.concat([id3, info]);
}

const MP3_PREFIX_BYTES = mp3Prefix(0).length;

/**
 * Size in bytes of an MP3 of `seconds` seconds: the ID3 tag, the Info frame and whole audio frames.
 * @param {number} seconds
 * @returns {number}
 */
function mp3BytesForDuration(seconds) {
	return MP3_PREFIX_BYTES + Math.max(1, Math.ceil((seconds * MP3_SAMPLE_RATE) / MP3_SAMPLES_PER_FRAME)) * MP3_FRAME_BYTES;
}

/** @type {Buffer | undefined} */
let mp3Block;

/**
 * A readable stream of `totalBytes` bytes of an MP3 as ffmpeg writes it (see mp3Prefix), whose audio
 * is MPEG-1 Layer III frames, 128 kbit/s, 44.1 kHz, mono, silent (all side info is zero). If the
 * audio is not a whole number of frames, the last frame is cut short.
 * @param {{ totalBytes: number }} opts
 * @returns {Readable}
 */
function createMp3Stream(opts) {
	if (!mp3Block) {
		const frames = 157; // ~64 KiB
		mp3Block = Buffer.alloc(frames * MP3_FRAME_BYTES);
		for (let i = 0; i < frames; i++) MP3_FRAME_HEADER.copy(mp3Block, i * MP3_FRAME_BYTES);
	}
	const block = mp3Block;
	const total = Math.max(0, Math.floor(opts.totalBytes));
	const prefix = mp3Prefix(Math.floor(Math.max(0, total - MP3_PREFIX_BYTES) / MP3_FRAME_BYTES)).subarray(0, total);
	let offset = 0; // bytes of audio frames already pushed
	let prefixSent = false;
	return new Readable({
		read() {
			if (!prefixSent) {
				prefixSent = true;
				this.push(prefix);
				return;
			}
			const remaining = total - prefix.length - offset;
			if (remaining <= 0) {
				this.push(null);
				return;
			}
			const n = Math.min(block.length, remaining);
			// every block starts on a frame boundary, so slicing from 0 keeps frames aligned
			offset += n;
			this.push(Buffer.from(block.subarray(0, n)));
		},
	});
}

module.exports = {
	WAV_HEADER_BYTES,
	DEFAULT_SAMPLE_RATE,
	MP3_FRAME_BYTES,
	MP3_PREFIX_BYTES,
	wavHeader,
	durationForText,
	wavBytesForDuration,
	normalizeWavBytes,
	wavStreamBytes,
	createWavStream,
	generateWav,
	parseWavHeader,
	mp3BytesForDuration,
	createMp3Stream,
};
