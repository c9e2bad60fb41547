import {
	AudioJoinError,
	detectAudioFormat,
	joinAudio,
	joinMp3,
	joinWav,
	parseMp3,
} from '../../../../nodes/MagicHour/longText/audioJoin';

import { id3v1Tag, id3v2Tag, mp3, mp3Frames, wav, wavData } from '../../../builders';
import { parseWavHeader } from '../../../simulator/wav';

function joinError(join: () => unknown): string {
	try {
		join();
	} catch (error) {
		expect(error).toBeInstanceOf(AudioJoinError);
		return (error as Error).message;
	}
	throw new Error('expected the parts to be refused');
}

describe('joinWav: one WAV from parts of the same format', () => {
	it('concatenates the data of three parts under one valid header whose sizes add up', () => {
		const lengths = [16000, 4000, 8001];
		const parts = lengths.map((samples, index) => wav(samples, {}, index * 1000));
		const joined = joinWav(parts);

		// Checked with the simulator's own WAV reader, not with the code under test.
		const header = parseWavHeader(joined);
		expect(header).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16, blockAlign: 2, byteRate: 32000 });
		expect(header.dataBytes).toBe(2 * (16000 + 4000 + 8001));
		expect(header.riffSize).toBe(joined.length - 8);
		expect(header.dataOffset + header.dataBytes).toBe(joined.length);
		expect(header.durationSec).toBeCloseTo((16000 + 4000 + 8001) / 16000, 6);
		const data = joined.subarray(header.dataOffset);
		expect(data.equals(Buffer.concat(lengths.map((samples, index) => wavData(samples, {}, index * 1000))))).toBe(true);
	});

	it('keeps stereo 44.1 kHz audio as it is', () => {
		const format = { sampleRate: 44100, channels: 2, bitsPerSample: 16 };
		const joined = joinWav([wav(441, format), wav(882, format, 5)]);
		const header = parseWavHeader(joined);
		expect(header).toMatchObject({ channels: 2, sampleRate: 44100, dataBytes: (441 + 882) * 4 });
		expect(joined.subarray(header.dataOffset).equals(Buffer.concat([wavData(441, format), wavData(882, format, 5)]))).toBe(true);
	});

	it('reads parts whose data follows other chunks (LIST, as ffmpeg writes) and leaves those chunks out', () => {
		const list = Buffer.from('INFOISFT\x0e\x00\x00\x00Lavf60.16.100\x00', 'latin1');
		const parts = [wav(100, { extraChunks: [['LIST', list]] }), wav(50, { extraChunks: [['junk', Buffer.alloc(3)]] })];
		const joined = joinWav(parts);
		expect(joined.includes(Buffer.from('LIST'))).toBe(false);
		expect(parseWavHeader(joined)).toMatchObject({ dataOffset: 44, dataBytes: 300 });
	});

	it('keeps only whole sample frames, and what a streamed file holds when it announces more', () => {
		const joined = joinWav([wav(100, { trailingBytes: 1 }), wav(100, { announcedDataBytes: 0xffffffff })]);
		expect(parseWavHeader(joined)).toMatchObject({ dataBytes: 400 });
		expect(joined.length).toBe(44 + 400);
	});

	it('updates the sample count of a fact chunk (float WAV)', () => {
		const float = { formatTag: 3, bitsPerSample: 32, fact: true };
		const joined = joinWav([wav(10, float), wav(30, float)]);
		const factAt = joined.indexOf('fact');
		expect(joined.readUInt32LE(factAt + 8)).toBe(40);
		expect(parseWavHeader(joined)).toMatchObject({ audioFormat: 3, dataBytes: 160 });
	});

	it('refuses parts with different sample rates, channels or bit depths, naming both', () => {
		expect(joinError(() => joinWav([wav(10), wav(10, { sampleRate: 44100 })]))).toBe(
			'the WAV parts differ: part 1 is 16000 Hz 16-bit mono, part 2 is 44100 Hz 16-bit mono',
		);
		expect(joinError(() => joinWav([wav(10), wav(10), wav(10, { channels: 2 })]))).toMatch(/part 3 is 16000 Hz 16-bit stereo/);
		expect(joinError(() => joinWav([wav(10), wav(10, { bitsPerSample: 8 })]))).toMatch(/part 2 is 16000 Hz 8-bit mono/);
	});

	it('refuses compressed WAV, which cannot be joined without re-encoding', () => {
		expect(joinError(() => joinWav([wav(10, { formatTag: 0x11 }), wav(10, { formatTag: 0x11 })]))).toMatch(
			/format 0x0011 is compressed/,
		);
	});
});

describe('joinMp3: one MP3 from parts, frames appended in order', () => {
	it('appends every frame of every part, so the frame count is the sum', () => {
		const counts = [38, 1, 77];
		const parts = counts.map((frames, index) => mp3({ frames, marker: index + 1 }));
		const joined = joinMp3(parts);
		expect(joined.equals(Buffer.concat(counts.flatMap((frames, index) => mp3Frames({ frames, marker: index + 1 }))))).toBe(true);
		expect(parseMp3(joined).frames).toHaveLength(38 + 1 + 77);
	});

	it('keeps the first part\'s ID3 tags and drops those of the other parts, and every Info frame', () => {
		const parts = [
			mp3({ frames: 5, marker: 1, id3Title: 'Part one', id3v1Title: 'Part one', infoFrame: true }),
			mp3({ frames: 6, marker: 2, id3Title: 'Part two', id3v1Title: 'Part two', infoFrame: true }),
			mp3({ frames: 7, marker: 3, id3Title: 'Part three', infoFrame: true }),
		];
		const joined = joinMp3(parts);
		expect(
			joined.equals(
				Buffer.concat([
					id3v2Tag('Part one'),
					...mp3Frames({ frames: 5, marker: 1 }),
					...mp3Frames({ frames: 6, marker: 2 }),
					...mp3Frames({ frames: 7, marker: 3 }),
					id3v1Tag('Part one'),
				]),
			),
		).toBe(true);
		expect(joined.includes(Buffer.from('Part two'))).toBe(false);
		expect(joined.includes(Buffer.from('Info'))).toBe(false);
	});

	it('drops a frame cut short at the end of a part, which would break the next part\'s first frame', () => {
		const joined = joinMp3([mp3({ frames: 3, marker: 1, truncatedTail: 100 }), mp3({ frames: 2, marker: 2 })]);
		expect(joined.equals(Buffer.concat([...mp3Frames({ frames: 3, marker: 1 }), ...mp3Frames({ frames: 2, marker: 2 })]))).toBe(true);
	});

	it('skips junk between frames', () => {
		const frames = mp3Frames({ frames: 4, marker: 1 });
		const withJunk = Buffer.concat([frames[0], frames[1], Buffer.from('junk!'), frames[2], frames[3]]);
		expect(parseMp3(withJunk).frames).toHaveLength(4);
	});

	it('refuses parts with different sample rates or channel counts', () => {
		expect(joinError(() => joinMp3([mp3({ frames: 2 }), mp3({ frames: 2, rateByte: 0x94 })]))).toBe(
			'the MP3 parts differ: part 1 is MPEG-1 layer III 44100 Hz mono, part 2 is MPEG-1 layer III 48000 Hz mono',
		);
		expect(joinError(() => joinMp3([mp3({ frames: 2 }), mp3({ frames: 2, modeByte: 0x44 })]))).toMatch(/part 2 is .* stereo/);
	});

	it('refuses a part without any MPEG frame', () => {
		expect(joinError(() => joinMp3([mp3({ frames: 2 }), id3v2Tag('only a tag')]))).toBe('an MP3 part holds no MPEG audio frames');
	});
});

describe('joinAudio: by what the bytes hold', () => {
	it('tells WAV from MP3 by content, with or without an ID3 tag', () => {
		expect(detectAudioFormat(wav(10))).toBe('wav');
		expect(detectAudioFormat(mp3({ frames: 1 }))).toBe('mp3');
		expect(detectAudioFormat(mp3({ frames: 1, id3Title: 'x' }))).toBe('mp3');
		expect(detectAudioFormat(Buffer.from('OggS\x00\x02', 'latin1'))).toBeUndefined();
	});

	it('joins WAV parts as WAV and MP3 parts as MP3', () => {
		expect(joinAudio([wav(10), wav(20)]).format).toBe('wav');
		expect(joinAudio([mp3({ frames: 1 }), mp3({ frames: 2 })])).toMatchObject({ format: 'mp3' });
	});

	it('refuses parts in different formats, naming each part\'s format', () => {
		expect(joinError(() => joinAudio([wav(10), mp3({ frames: 2 }), wav(10)]))).toBe(
			'the parts came back in different formats (part 1: WAV, part 2: MP3, part 3: WAV)',
		);
	});

	it('refuses formats other than WAV and MP3', () => {
		const ogg = Buffer.from('OggS\x00\x02\x00\x00', 'latin1');
		const m4a = Buffer.from('\x00\x00\x00\x20ftypM4A ', 'latin1');
		expect(joinError(() => joinAudio([ogg, ogg]))).toBe('only WAV and MP3 can be joined (part 1: Ogg, part 2: Ogg)');
		expect(joinError(() => joinAudio([wav(10), m4a]))).toBe('only WAV and MP3 can be joined (part 1: WAV, part 2: MP4/M4A)');
	});
});
