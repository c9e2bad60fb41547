export interface WavInfo {
	riffSize: number;
	audioFormat: number;
	channels: number;
	sampleRate: number;
	byteRate: number;
	blockAlign: number;
	bitsPerSample: number;
	dataOffset: number;
	dataBytes: number;
	durationSec: number;
}

export function parseWavHeader(buffer: Buffer): WavInfo;
export function durationForText(codePoints: number, options?: object): number;
export function generateWav(options?: object): Buffer;
