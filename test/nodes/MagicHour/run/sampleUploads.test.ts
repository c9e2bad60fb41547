/**
 * One voice, many lines: within one run, items whose binary sample is the same file upload it
 * once and clone from the same Magic Hour path.
 */
import { runNode } from '../../../engine/harness';
import type { TestBinary, TestItem } from '../../../engine/harness';
import { cloneParameters, wav } from '../../../builders';
import { creates, uploadFlow } from '../../../mocks';

const binaryClone = cloneParameters({
	audioSource: 'binary',
	binaryPropertyName: 'voice',
	prompt: '={{ $json.text }}',
});

const sample = (samples: number, fields: Partial<TestBinary> = {}): TestBinary => ({
	data: wav(samples),
	fileName: 'voice.wav',
	mimeType: 'audio/wav',
	...fields,
});

/** One item per line, each with the voice sample `voiceOf(index)`. */
function lines(count: number, voiceOf: (index: number) => TestBinary): TestItem[] {
	return Array.from({ length: count }, (_, index) => ({
		json: { text: `Line ${index}` },
		binary: { voice: voiceOf(index) },
	}));
}

const pathsSent = (bodies: ReturnType<typeof creates>) =>
	Object.fromEntries(bodies.map((body) => [body.style.prompt, body.assets.audio_file_path]));

describe('a sample shared by the items of one run', () => {
	it('is uploaded once for 6 items sharing one stored binary, and all 6 clone from its path', async () => {
		const traffic = uploadFlow();
		const bodies = creates();
		const voice = sample(4000);

		const { output, error } = await runNode({ parameters: binaryClone, items: lines(6, () => voice) });

		expect(error).toBeUndefined();
		expect(traffic.uploadUrls).toBe(1);
		expect(traffic.puts).toHaveLength(1);
		expect(traffic.puts[0].bytes.equals(voice.data)).toBe(true);
		expect(bodies).toHaveLength(6);
		expect(new Set(bodies.map((body) => body.assets.audio_file_path))).toEqual(new Set(['api-assets/sample-1.wav']));
		expect(output.map((item) => [item.json.audio_file_path, item.pairedItem])).toEqual(
			Array.from({ length: 6 }, (_, index) => ['api-assets/sample-1.wav', { item: index }]),
		);
	});

	it('is recognised by its content when the items hold it in memory, each as its own copy', async () => {
		const traffic = uploadFlow();
		const bodies = creates();

		const { error } = await runNode({
			parameters: binaryClone,
			items: lines(6, () => sample(4000, { inline: true })),
		});

		expect(error).toBeUndefined();
		expect(traffic.uploadUrls).toBe(1);
		expect(traffic.puts).toHaveLength(1);
		expect(bodies).toHaveLength(6);
	});

	it('uploads 2 different samples across 6 items once each, and clones every line with its own voice', async () => {
		const traffic = uploadFlow();
		const bodies = creates();
		const [alice, bob] = [sample(4000, { fileName: 'alice.wav' }), sample(6000, { fileName: 'bob.mp3' })];

		const { error } = await runNode({
			parameters: binaryClone,
			items: lines(6, (index) => (index % 2 ? bob : alice)),
		});

		expect(error).toBeUndefined();
		expect(traffic.uploadUrls).toBe(2);
		expect(traffic.puts.map((put) => put.bytes.length).sort()).toEqual([alice.data.length, bob.data.length].sort());
		const alicePath = traffic.puts.find((put) => put.bytes.equals(alice.data))!.path.replace('/upload/', 'api-assets/');
		const bobPath = traffic.puts.find((put) => put.bytes.equals(bob.data))!.path.replace('/upload/', 'api-assets/');
		expect(bobPath).toMatch(/\.mp3$/);
		expect(pathsSent(bodies)).toEqual({
			'Line 0': alicePath,
			'Line 1': bobPath,
			'Line 2': alicePath,
			'Line 3': bobPath,
			'Line 4': alicePath,
			'Line 5': bobPath,
		});
	});

	it('is uploaded once per format when the same bytes are named as two formats', async () => {
		const traffic = uploadFlow();
		creates();
		const bytes = wav(4000);

		await runNode({
			parameters: binaryClone,
			items: lines(4, (index) => ({ data: bytes, fileName: index % 2 ? 'voice.mp3' : 'voice.wav', inline: true })),
		});

		expect(traffic.uploadUrls).toBe(2);
	});
});

describe('a failed shared upload', () => {
	it('fails every item that shares the sample with the same error, pairedItem kept, and nothing paid', async () => {
		const traffic = uploadFlow({ putStatus: 403 });
		const bodies = creates();
		const voice = sample(4000);

		const { output, error } = await runNode({
			parameters: binaryClone,
			items: lines(6, () => voice),
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(traffic.puts).toHaveLength(1);
		expect(bodies).toHaveLength(0);
		expect(output.map((item) => item.pairedItem)).toEqual(Array.from({ length: 6 }, (_, item) => ({ item })));
		for (const item of output) {
			expect(item.json.error).toBe('Uploading the audio sample failed: storage answered 403: Signature expired');
			expect(item.json.error_code).toBe('upload_failed');
			expect(item.json.error_description).toMatch(/^Nothing was paid/);
		}
		expect(output.slice(1).map((item) => item.json.error_description)).toEqual(
			Array(5).fill(expect.stringMatching(/same file as item 0's, so it was uploaded once for all items that share it; nothing was sent for this item\.$/)),
		);
	});

	it('stops the run with that error when Continue On Fail is off, having created nothing', async () => {
		const traffic = uploadFlow({ putStatus: 403 });
		const bodies = creates();
		const voice = sample(4000);

		const { output, error } = await runNode({ parameters: binaryClone, items: lines(6, () => voice) });

		expect(error?.message).toBe('Uploading the audio sample failed: storage answered 403: Signature expired');
		expect(output).toEqual([]);
		expect(traffic.uploadUrls).toBe(1);
		expect(bodies).toHaveLength(0);
	});

	it('fails only the items of that sample; the items of another sample are cloned', async () => {
		const traffic = uploadFlow({ putStatus: (path) => (path.endsWith('.flac') ? 403 : 200) });
		const bodies = creates();
		const good = sample(4000, { fileName: 'good.wav' });
		const refused = sample(5000, { fileName: 'refused.flac', mimeType: 'audio/flac' });

		const { output } = await runNode({
			parameters: binaryClone,
			items: lines(6, (index) => (index % 2 ? refused : good)),
			continueOnFail: true,
		});

		expect(traffic.uploadUrls).toBe(2);
		expect(bodies.map((body) => body.style.prompt).sort()).toEqual(['Line 0', 'Line 2', 'Line 4']);
		expect(output.map((item) => item.json.error === undefined)).toEqual([true, false, true, false, true, false]);
		expect(new Set(output.filter((item) => item.json.error).map((item) => item.json.error)).size).toBe(1);
	});
});
