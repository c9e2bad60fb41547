import nock from 'nock';

import { runNode } from '../../../engine/harness';
import type { TestBinary } from '../../../engine/harness';
import { wav } from '../../../builders';
import { creates, uploadFlow } from '../../../mocks';

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

const uploadParameters = { operation: 'upload', binaryPropertyName: 'voice' };

const voice = (fields: Partial<TestBinary> = {}): TestBinary => ({
	data: wav(4000),
	fileName: 'my voice.wav',
	mimeType: 'audio/wav',
	...fields,
});

describe('Upload Voice Sample', () => {
	it('uploads the sample for free and returns its Magic Hour path, valid for 7 days', async () => {
		const traffic = uploadFlow();
		const bodies = creates();
		const sample = voice();
		const before = Date.now();

		const { output, error } = await runNode({ parameters: uploadParameters, items: [{ binary: { voice: sample } }] });

		expect(error).toBeUndefined();
		expect(traffic.puts).toHaveLength(1);
		expect(traffic.puts[0].bytes.equals(sample.data)).toBe(true);
		expect(bodies).toHaveLength(0);
		expect(output).toEqual([
			{
				json: {
					audio_file_path: 'api-assets/sample-1.wav',
					expires_at: expect.any(String),
					file_name: 'my voice.wav',
					mime_type: 'audio/wav',
					size: sample.data.length,
				},
				pairedItem: { item: 0 },
			},
		]);
		const expiresAt = Date.parse(output[0].json.expires_at as string);
		expect(expiresAt).toBeGreaterThanOrEqual(before + SEVEN_DAYS_MS);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + SEVEN_DAYS_MS);
	});

	it('gives one output per item, in order with pairedItem, uploading a sample shared by items once', async () => {
		const traffic = uploadFlow();
		const [shared, other] = [voice(), voice({ data: wav(6000), fileName: 'other.mp3', mimeType: 'audio/mpeg' })];

		const { output } = await runNode({
			parameters: uploadParameters,
			items: [shared, other, shared].map((sample) => ({ binary: { voice: sample } })),
		});

		expect(traffic.uploadUrls).toBe(2);
		expect(output.map((item) => [item.json.audio_file_path, item.json.file_name, item.pairedItem])).toEqual([
			['api-assets/sample-1.wav', 'my voice.wav', { item: 0 }],
			['api-assets/sample-2.mp3', 'other.mp3', { item: 1 }],
			['api-assets/sample-1.wav', 'my voice.wav', { item: 2 }],
		]);
		expect(output[2].json.expires_at).toBe(output[0].json.expires_at);
	});

	it('names the MIME type from the format when the binary has a neutral one, and the file name as null when there is none', async () => {
		uploadFlow();
		const { output } = await runNode({
			parameters: uploadParameters,
			items: [{ binary: { voice: voice({ fileName: undefined, mimeType: 'audio/x-m4a', inline: true }) } }, { binary: { voice: voice({ fileName: 'take.mp3', mimeType: 'application/octet-stream' }) } }],
		});
		expect(output.map((item) => [item.json.audio_file_path, item.json.file_name, item.json.mime_type])).toEqual([
			['api-assets/sample-1.m4a', null, 'audio/x-m4a'],
			['api-assets/sample-2.mp3', 'take.mp3', 'audio/mpeg'],
		]);
	});

	it('fails with the storage error and says nothing was paid when the upload is refused', async () => {
		uploadFlow({ putStatus: 403 });
		const { error } = await runNode({ parameters: uploadParameters, items: [{ binary: { voice: voice() } }] });
		expect(error?.message).toBe('Uploading the audio sample failed: storage answered 403: Signature expired');
		expect(error?.description).toMatch(/^Nothing was paid/);
	});
});

describe('Upload Voice Sample checks the sample as Clone Voice does, before sending anything', () => {
	const cases: Array<[string, TestBinary | undefined, RegExp, RegExp]> = [
		['no binary under "Input Binary Field"', undefined, /^No binary field "voice" on the input item \(it has no binary data\) \[item 1\]$/, /Set "Input Binary Field"/],
		['a video', voice({ fileName: 'clip.mp4', mimeType: 'video/mp4' }), /^The binary field "voice" holds "clip\.mp4" \(video\/mp4\), which is a video \(video\/mp4\) \[item 1\]$/, /extract its audio track/],
		['an empty file', voice({ data: Buffer.alloc(0) }), /which is empty \(0 bytes\) \[item 1\]$/, /10 to 30 seconds/],
		['a format Magic Hour does not take', voice({ fileName: 'notes.txt', mimeType: 'text/plain' }), /which is not audio \(text\/plain\) \[item 1\]$/, /Give a voice sample in one of: mp3, wav/],
	];

	it.each(cases)('refuses %s on item 1, naming the item and the fix, with no request sent for item 0 either', async (_what, bad, message, fix) => {
		const sent: string[] = [];
		const onRequest = (request: { method: string; path: string }) => sent.push(`${request.method} ${request.path}`);
		nock.emitter.on('no match', onRequest);
		uploadFlow();
		try {
			const { error, output } = await runNode({
				parameters: uploadParameters,
				items: [{ binary: { voice: voice() } }, bad ? { binary: { voice: bad } } : { json: {} }],
			});
			expect(error?.message).toMatch(message);
			expect(error?.description).toMatch(fix);
			expect(output).toEqual([]);
			expect(nock.pendingMocks()).toHaveLength(2);
			expect(sent).toEqual([]);
		} finally {
			nock.emitter.removeListener('no match', onRequest);
		}
	});

	it('with Continue On Fail, reports the invalid item in place and uploads the others', async () => {
		const traffic = uploadFlow();
		const { output } = await runNode({
			parameters: uploadParameters,
			items: [{ binary: { voice: voice() } }, { json: {} }, { binary: { voice: voice({ data: wav(5000) }) } }],
			continueOnFail: true,
		});
		expect(traffic.puts).toHaveLength(2);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output.map((item) => item.json.audio_file_path ?? item.json.error)).toEqual([
			'api-assets/sample-1.wav',
			'No binary field "voice" on the input item (it has no binary data) [item 1]',
			'api-assets/sample-2.wav',
		]);
	});

	it('refuses an "Input Binary Field" whose expression gives nothing', async () => {
		const { error } = await runNode({
			parameters: { ...uploadParameters, binaryPropertyName: '={{ $json.field }}' },
			items: [{ json: { field: ' ' }, binary: { voice: voice() } }],
		});
		expect(error?.message).toBe('"Input Binary Field" is blank [item 0]');
		expect(error?.description).toBe('Give the name of a binary property, such as "data".');
	});
});
