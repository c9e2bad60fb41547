/**
 * nock scopes standing in for Magic Hour. Loading nock intercepts every HTTP request of the
 * process, and its pass-through breaks streamed downloads over 64 KiB, so only tests that mock
 * import this module; tests against the simulator do not.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { DOWNLOAD_HOST } from './builders';
import { TEST_BASE_URL, TEST_TOKEN } from './engine/harness';

/** The Magic Hour API, answering only requests that carry the test token. */
export function api(): nock.Scope {
	return nock(TEST_BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}` } });
}

/** Signed storage: answers only requests WITHOUT an Authorization header. */
export function storage(): nock.Scope {
	return nock(DOWNLOAD_HOST, { badheaders: ['authorization'] });
}

export interface UploadTraffic {
	/** POST /v1/files/upload-urls requests. */
	uploadUrls: number;
	/** Signed PUTs: the storage path and the bytes received. */
	puts: Array<{ path: string; bytes: Buffer }>;
}

/**
 * Magic Hour's free upload flow, counting its requests: the n-th upload URL asked for stores
 * `api-assets/sample-n.<ext>`. Storage answers each PUT with `putStatus` (of its path), refusing
 * it from 300 on.
 */
export function uploadFlow(options: { putStatus?: number | ((path: string) => number) } = {}): UploadTraffic {
	const traffic: UploadTraffic = { uploadUrls: 0, puts: [] };
	api()
		.post('/v1/files/upload-urls')
		.times(100)
		.reply(200, (_uri, body) => {
			const n = ++traffic.uploadUrls;
			const [{ extension }] = (body as { items: Array<{ extension: string }> }).items;
			return {
				items: [
					{
						upload_url: `${DOWNLOAD_HOST}/upload/sample-${n}.${extension}?sig=s${n}`,
						expires_at: '2026-11-25T10:00:00.000Z',
						file_path: `api-assets/sample-${n}.${extension}`,
					},
				],
			};
		});
	storage()
		.put(/^\/upload\/sample-\d+\.\w+$/)
		.query(true)
		.times(100)
		.reply((uri, body) => {
			const path = uri.split('?')[0];
			traffic.puts.push({ path, bytes: Buffer.from(body as string, 'hex') });
			const { putStatus = 200 } = options;
			const status = typeof putStatus === 'number' ? putStatus : putStatus(path);
			return status < 300 ? [status, ''] : [status, { message: 'Signature expired', code: 'expired' }];
		});
	return traffic;
}

/** Clone Voice's create, answering every call; returns the bodies it received, in order. */
export function creates(): Array<{ name?: string; assets: { audio_file_path: string }; style: { prompt: string; language?: string; speed?: number } }> {
	const bodies: ReturnType<typeof creates> = [];
	api()
		.post('/v1/ai-voice-cloner')
		.times(100)
		.reply(200, (_uri, body) => {
			bodies.push(body as (typeof bodies)[number]);
			return { id: `proj_${bodies.length}`, credits_charged: 1 };
		});
	return bodies;
}

/** What GET /v1/saved-items was asked: each request's query, in order. */
export type SavedItemsTraffic = Array<Record<string, string>>;

/**
 * GET /v1/saved-items answering `pages` in turn: page n is answered for the cursor `page-n` (the
 * first for none), with `next_cursor` pointing at the next page until the last. Any other cursor
 * gets 400, as Magic Hour answers a cursor it did not give.
 */
export function savedItemsPages(pages: IDataObject[][]): SavedItemsTraffic {
	const traffic: SavedItemsTraffic = [];
	api()
		.get('/v1/saved-items')
		.query(true)
		.times(100)
		.reply((uri) => {
			const query = Object.fromEntries(new URL(uri, TEST_BASE_URL).searchParams);
			traffic.push(query);
			const index = query.cursor === undefined ? 0 : Number(/^page-(\d+)$/.exec(query.cursor)?.[1] ?? NaN);
			if (!Number.isInteger(index) || index < 0 || index >= pages.length) {
				return [400, { code: 'invalid_request', message: 'Invalid cursor' }];
			}
			return [200, { items: pages[index], next_cursor: index + 1 < pages.length ? `page-${index + 1}` : null }];
		});
	return traffic;
}
