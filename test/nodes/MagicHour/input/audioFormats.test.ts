import type { IBinaryData } from 'n8n-workflow';

import {
	ALLOWED_AUDIO_EXTENSIONS,
	extensionFromMimeType,
	extensionOf,
	isNeutralMimeType,
	mayHoldAudio,
	mimeTypeForExtension,
	normalizeMimeType,
	toAudioExtension,
} from '../../../../nodes/MagicHour/input/audioFormats';
import { detectBinaryExtension } from '../../../../nodes/MagicHour/input/audioSource';

/** A binary as n8n hands it to a node; only the fields that say what the file is matter here. */
function binary(fields: Partial<IBinaryData>): IBinaryData {
	return { data: 'AAAA', mimeType: '', ...fields };
}

describe('audio formats Magic Hour accepts', () => {
	it('are the twelve extensions of the upload API, lower case and without a dot', () => {
		expect([...ALLOWED_AUDIO_EXTENSIONS].sort()).toEqual(
			['aac', 'aiff', 'amr', 'flac', 'm4a', 'mp3', 'oga', 'ogg', 'opus', 'wav', 'weba', 'webm'].sort(),
		);
	});

	it.each([
		['mp3', 'mp3'],
		['.WAV', 'wav'],
		[' Flac ', 'flac'],
		['aif', 'aiff'],
		['mpga', 'mp3'],
	])('reads "%s" as %s', (candidate, expected) => {
		expect(toAudioExtension(candidate)).toBe(expected);
	});

	it.each(['exe', 'mp4', 'png', 'txt', '', undefined])('does not take "%s" as audio', (candidate) => {
		expect(toAudioExtension(candidate)).toBeUndefined();
	});

	it.each([
		['voice.mp3', 'mp3'],
		['/a/b/Voice.Sample.WAV', 'wav'],
		['folder.d/voice', ''],
		['.hidden', ''],
		['noextension', ''],
		[undefined, ''],
	])('finds the extension of %s: "%s"', (name, expected) => {
		expect(extensionOf(name)).toBe(expected);
	});

	it('maps MIME types to extensions, ignoring parameters and case', () => {
		expect(extensionFromMimeType('Audio/MPEG; charset=binary')).toBe('mp3');
		expect(extensionFromMimeType('audio/x-wav')).toBe('wav');
		expect(extensionFromMimeType('audio/mp4')).toBe('m4a');
		expect(extensionFromMimeType('video/mp4')).toBeUndefined();
		expect(normalizeMimeType(' AUDIO/OGG ; codecs=opus')).toBe('audio/ogg');
	});

	it('gives each accepted extension a MIME type of its own family', () => {
		for (const extension of ALLOWED_AUDIO_EXTENSIONS) {
			expect(mimeTypeForExtension(extension)).toMatch(/^audio\//);
		}
	});

	it('treats an empty or octet-stream MIME type as saying nothing about the content', () => {
		expect(isNeutralMimeType('')).toBe(true);
		expect(isNeutralMimeType(undefined)).toBe(true);
		expect(isNeutralMimeType('application/octet-stream')).toBe(true);
		expect(isNeutralMimeType('audio/wav')).toBe(false);
	});

	it('lets audio/*, Ogg and WebM through as possible audio, but not video or images', () => {
		expect(mayHoldAudio('audio/flac')).toBe(true);
		expect(mayHoldAudio('video/webm')).toBe(true);
		expect(mayHoldAudio('application/ogg')).toBe(true);
		expect(mayHoldAudio('video/mp4')).toBe(false);
		expect(mayHoldAudio('image/png')).toBe(false);
	});
});

describe('detectBinaryExtension: which audio format an input file holds', () => {
	it('takes the format from the file name', () => {
		expect(detectBinaryExtension(binary({ fileName: 'voice.wav', mimeType: 'audio/wav' }))).toEqual({
			extension: 'wav',
		});
	});

	it('takes the format from the file extension n8n recorded when the name has none', () => {
		expect(detectBinaryExtension(binary({ fileName: 'voice', fileExtension: 'FLAC' }))).toEqual({
			extension: 'flac',
		});
	});

	it('takes the format from the MIME type when there is no name', () => {
		expect(detectBinaryExtension(binary({ mimeType: 'audio/mpeg' }))).toEqual({ extension: 'mp3' });
	});

	it('accepts application/octet-stream with a .wav name', () => {
		expect(
			detectBinaryExtension(binary({ fileName: 'voice.wav', mimeType: 'application/octet-stream' })),
		).toEqual({ extension: 'wav' });
	});

	it('accepts a WebM labelled as video, since WebM often holds only audio', () => {
		expect(detectBinaryExtension(binary({ fileName: 'voice.webm', mimeType: 'video/webm' }))).toEqual({
			extension: 'webm',
		});
	});

	it('rejects a video, saying it is a video', () => {
		expect(detectBinaryExtension(binary({ fileName: 'clip.mp4', mimeType: 'video/mp4' }))).toEqual({
			problem: 'is a video (video/mp4)',
		});
	});

	it('rejects a video even when it is named like audio', () => {
		expect(detectBinaryExtension(binary({ fileName: 'voice.mp3', mimeType: 'video/quicktime' }))).toEqual({
			problem: 'is a video (video/quicktime)',
		});
	});

	it('rejects an image as not audio', () => {
		expect(detectBinaryExtension(binary({ fileName: 'photo.png', mimeType: 'image/png' }))).toEqual({
			problem: 'is not audio (image/png)',
		});
	});

	it('rejects a program (.exe), naming the extension', () => {
		expect(
			detectBinaryExtension(binary({ fileName: 'voice.exe', mimeType: 'application/octet-stream' })),
		).toEqual({ problem: 'has the extension ".exe", which is not an audio format Magic Hour accepts' });
		expect(
			detectBinaryExtension(binary({ fileName: 'voice.mp3', mimeType: 'application/x-msdownload' })),
		).toEqual({ problem: 'is not audio (application/x-msdownload)' });
	});

	it('rejects a file with neither a name nor a MIME type as of unknown format', () => {
		expect(detectBinaryExtension(binary({}))).toEqual({
			problem: 'has neither a file name with an extension nor an audio MIME type, so its format is unknown',
		});
		expect(detectBinaryExtension(binary({ mimeType: 'application/octet-stream' }))).toEqual({
			problem: 'has neither a file name with an extension nor an audio MIME type, so its format is unknown',
		});
	});

	it('rejects an audio MIME type Magic Hour does not take when there is no name', () => {
		expect(detectBinaryExtension(binary({ mimeType: 'audio/midi' }))).toEqual({
			problem: 'has the MIME type audio/midi, which is not an audio format Magic Hour accepts',
		});
	});
});
