/**
 * Signed upload and download URLs carry their own authorization in the query string. They are
 * fetched with n8n's plain HTTP helper, which has no credential: the API token is never sent to
 * the storage host, nor to any host a storage redirect points to.
 */
import { sleep } from 'n8n-workflow';
import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { cancelled, deadlinePassed, transportError } from '../errors';
import { requestScope } from './connection';
import type { ByteStream, MagicHourConnection, N8nContext, RequestScope, StopReason } from './connection';
import { describeNetworkError, errorBody, header, parseJson, redirectTarget } from './response';
import type { Outcome } from './response';
import { refusedLink, withRetries } from './retry';

export interface SignedUpload {
	url: string;
	/** Called once per attempt: a stream can only be sent once. */
	openBody: () => Promise<Buffer | ByteStream>;
	size?: number;
	itemIndex: number;
	deadline?: number;
}

export interface SignedDownload {
	url: string;
	itemIndex: number;
	projectId: string;
	deadline?: number;
	/** Asks Magic Hour for a fresh link when this one is refused (expired, revoked). */
	renewUrl?: () => Promise<string>;
	/** What to do when the download fails: the audio is paid for, and fetching it again is free. */
	advice: string;
}

export type DownloadResult =
	| {
			ok: true;
			stream: ByteStream;
			contentType?: string;
			contentLength?: number;
			/** The link the bytes come from (a renewed one, if the first was refused). */
			url: string;
			/** Why the body stopped early, when the node stopped it. */
			stoppedBy: () => StopReason | undefined;
	  }
	| { ok: false; status: number; message: string; code?: string };

/** The signed URL without its query string, which holds the signature. */
export function safeUrl(url: string): string {
	return url.split('?')[0];
}

async function sendSigned(
	ctx: N8nContext,
	connection: MagicHourConnection,
	options: IHttpRequestOptions,
	signal: AbortSignal | undefined,
): Promise<Outcome> {
	try {
		const response = (await ctx.helpers.httpRequest({
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: connection.requestTimeoutMs,
			abortSignal: signal,
			sendCredentialsOnCrossOriginRedirect: false,
		})) as IN8nHttpFullResponse;
		return { response };
	} catch (error) {
		return { networkError: describeNetworkError(error, connection.secret) };
	}
}

/**
 * Aborts a transfer once no byte moved for `stallMs`, and whenever `scope` fires. Measured in
 * real time: a stall is the network's, not the schedule's.
 */
class TransferGuard {
	private lastByteAt = Date.now();
	private readonly stall = new AbortController();
	private readonly finished = new AbortController();
	readonly signal: AbortSignal;

	constructor(
		private readonly scope: RequestScope,
		private readonly stallMs: number,
	) {
		this.signal = scope.signal ? AbortSignal.any([scope.signal, this.stall.signal]) : this.stall.signal;
		void this.watch();
	}

	/** Passes the stream on, noting each chunk; the result is destroyed when the guard fires. */
	track(stream: ByteStream): ByteStream {
		const tracked = stream.map(
			(chunk: Buffer) => {
				this.lastByteAt = Date.now();
				return chunk;
			},
			{ signal: this.signal },
		);
		tracked.once('close', () => this.finish());
		return tracked;
	}

	finish(): void {
		this.finished.abort();
	}

	stoppedBy(): StopReason | undefined {
		return this.scope.stoppedBy() ?? (this.stall.signal.aborted ? 'stalled' : undefined);
	}

	private async watch(): Promise<void> {
		try {
			while (!this.finished.signal.aborted) {
				const idle = Date.now() - this.lastByteAt;
				if (idle >= this.stallMs) {
					this.stall.abort();
					return;
				}
				await sleep(this.stallMs - idle, this.finished.signal);
			}
		} catch {
			// the transfer ended first
		}
	}
}

const NOTHING_PAID_UPLOAD = 'Nothing was paid: the voice clone is only requested after the upload succeeds.';

/** PUTs the sample's bytes to a signed upload URL that Magic Hour handed out (api/files.ts). */
export async function uploadToSignedUrl(
	ctx: N8nContext,
	connection: MagicHourConnection,
	upload: SignedUpload,
): Promise<void> {
	const host = new URL(upload.url).host;
	const stallSeconds = Math.round(connection.requestTimeoutMs / 1000);
	await withRetries<void>(connection, { cost: 'free', deadline: upload.deadline }, async () => {
		const headers: IDataObject = { 'Content-Type': 'application/octet-stream' };
		if (upload.size !== undefined) headers['Content-Length'] = upload.size;
		const guard = new TransferGuard(requestScope(connection, upload.deadline), connection.requestTimeoutMs);
		const body = await upload.openBody();
		let outcome: Outcome;
		try {
			outcome = await sendSigned(
				ctx,
				connection,
				{
					method: 'PUT',
					url: upload.url,
					headers,
					body: Buffer.isBuffer(body) ? body : guard.track(body),
					// Following redirects makes the HTTP client keep the whole body in memory to replay it;
					// a signed upload URL does not redirect, so the sample streams (measured: 200 MB sample,
					// +198 MB peak RSS with redirects followed, +72 MB without).
					disableFollowRedirect: true,
				},
				guard.signal,
			);
		} finally {
			guard.finish();
		}
		const stopped = guard.stoppedBy();
		if (stopped === 'cancelled') throw cancelled(ctx.getNode(), upload.itemIndex);
		if (stopped === 'deadline') {
			throw deadlinePassed(ctx.getNode(), {
				what: 'the upload of the audio sample',
				itemIndex: upload.itemIndex,
				description: `${NOTHING_PAID_UPLOAD} Raise "Timeout" in the options, or use a shorter sample, then run the item again.`,
			});
		}
		const { response, networkError } = outcome;
		if (response && response.statusCode < 300) return { ok: true, value: undefined };
		const reason =
			stopped === 'stalled'
				? `no data moved for ${stallSeconds} s`
				: networkError
					? `the connection failed (${networkError.code})`
					: response!.statusCode < 400
						? `storage answered ${response!.statusCode}, a redirect to ${redirectTarget(response!, upload.url)}`
						: `storage answered ${response!.statusCode}: ${errorBody(response!.body, response!).message}`;
		return {
			ok: false,
			failed: response && stopped !== 'stalled' ? { status: response.statusCode, retryAfter: header(response, 'retry-after') } : {},
			giveUp: () => {
				throw transportError(ctx.getNode(), {
					message: `Uploading the audio sample failed: ${reason}`,
					description: `${NOTHING_PAID_UPLOAD} Run the item again; if it keeps failing, check that n8n can reach ${host}.`,
					itemIndex: upload.itemIndex,
					code: stopped === 'stalled' ? 'stalled' : networkError ? networkError.code : 'upload_failed',
				});
			},
		};
	});
}

async function readErrorStream(stream: ByteStream): Promise<unknown> {
	let text = '';
	for await (const chunk of stream) {
		text += String(chunk);
		if (text.length > 4096) break;
	}
	return parseJson(text) ?? text;
}

/**
 * Opens a signed download URL as a stream, retrying while no bytes were read and renewing a
 * refused link once. The body is guarded: it is aborted at the item's deadline and when no byte
 * arrives for the request timeout. A link still refused is returned, not thrown.
 */
export async function openSignedDownload(
	ctx: N8nContext,
	connection: MagicHourConnection,
	download: SignedDownload,
): Promise<DownloadResult> {
	let url = download.url;
	const renewUrl = download.renewUrl;
	return await withRetries<DownloadResult>(
		connection,
		{
			cost: 'free',
			deadline: download.deadline,
			renewLink: renewUrl && (async () => void (url = await renewUrl())),
		},
		async () => {
			const guard = new TransferGuard(requestScope(connection, download.deadline), connection.requestTimeoutMs);
			const { response, networkError } = await sendSigned(
				ctx,
				connection,
				{ method: 'GET', url, encoding: 'stream' },
				guard.signal,
			);
			const stopped = guard.stoppedBy();
			// A stopped transfer releases its stall watch at once, or its timer outlives the run.
			if (stopped === 'cancelled' || stopped === 'deadline') guard.finish();
			if (stopped === 'cancelled') throw cancelled(ctx.getNode(), download.itemIndex);
			if (stopped === 'deadline') {
				throw deadlinePassed(ctx.getNode(), {
					what: 'the download of the audio',
					itemIndex: download.itemIndex,
					projectId: download.projectId,
					description: `${download.advice} To allow more time, raise "Timeout" in the options.`,
				});
			}
			if (response && response.statusCode < 300) {
				const length = Number(header(response, 'content-length'));
				return {
					ok: true,
					value: {
						ok: true,
						stream: guard.track(response.body as ByteStream),
						contentType: header(response, 'content-type'),
						contentLength: Number.isFinite(length) && length >= 0 ? length : undefined,
						url,
						stoppedBy: () => guard.stoppedBy(),
					},
				};
			}
			guard.finish();
			if (networkError) {
				const reason =
					stopped === 'stalled'
						? `stalled: no answer for ${Math.round(connection.requestTimeoutMs / 1000)} s`
						: `failed (${networkError.code})`;
				return {
					ok: false,
					failed: {},
					giveUp: () => {
						throw transportError(ctx.getNode(), {
							message: `Downloading the cloned audio from ${safeUrl(url)} ${reason}`,
							description: download.advice,
							itemIndex: download.itemIndex,
							projectId: download.projectId,
							code: stopped ?? networkError.code,
						});
					},
				};
			}
			const status = response!.statusCode;
			const { message, code } = errorBody(await readErrorStream(response!.body as ByteStream), response!);
			return {
				ok: false,
				failed: refusedLink(status, header(response!, 'retry-after')),
				giveUp: () => ({ ok: false, status, message, code }),
			};
		},
	);
}
