import { sleep } from 'n8n-workflow';
import type {
	NodeOperationError,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import {
	UNCERTAIN_CREATE_ADVICE,
	apiError,
	guidanceFor,
	operationError,
	redact,
	transportError,
} from './errors';
import { retryDelay } from './retry';
import type { FailedAttempt, RequestCost } from './retry';

export const CREDENTIAL_TYPE = 'magicHourApi';

/** The readable byte stream n8n's binary helpers take and give. */
export type ByteStream = Exclude<
	Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0],
	Buffer
>;

/** Shared by every item of one execution, so that a 429 slows all of them down together. */
export class RateLimitGate {
	private openAt = 0;

	pauseFor(ms: number): void {
		this.openAt = Math.max(this.openAt, Date.now() + ms);
	}

	async wait(signal: AbortSignal | undefined): Promise<void> {
		const remaining = this.openAt - Date.now();
		if (remaining > 0) await sleep(remaining, signal);
	}
}

export interface MagicHourConnection {
	baseUrl: string;
	/** Only used to mask the token in error texts; the token itself is sent by n8n's credential. */
	secret: string;
	signal: AbortSignal | undefined;
	gate: RateLimitGate;
	requestTimeoutMs: number;
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, starting with "/v1/". */
	path: string;
	body?: IDataObject;
	itemIndex: number;
	/** A paid create: sent again only after an answer that proves no job was made. */
	cost?: RequestCost;
	projectId?: string;
	/** Epoch ms after which no retry is started. */
	deadline?: number;
}

type Outcome =
	| { response: IN8nHttpFullResponse; networkError?: undefined }
	| { response?: undefined; networkError: { code: string; message: string } };

function errorCodeOf(error: unknown): string {
	const seen = new Set<unknown>();
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		if (typeof current.code === 'string' && current.code) return current.code;
		current = current.cause as typeof current;
	}
	return 'ECONNRESET';
}

function describeNetworkError(error: unknown, secret: string): { code: string; message: string } {
	const code = errorCodeOf(error);
	const message = error instanceof Error ? error.message : String(error);
	return { code, message: redact(message, secret) };
}

function isTimeout(code: string): boolean {
	return code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT';
}

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers?.[name] ?? response.headers?.[name.toLowerCase()];
	if (Array.isArray(value)) return String(value[0]);
	return value === undefined || value === null ? undefined : String(value);
}

function parseJson(body: unknown): IDataObject | undefined {
	if (body && typeof body === 'object' && !Array.isArray(body)) return body as IDataObject;
	if (typeof body !== 'string' || body.trim() === '') return undefined;
	try {
		const parsed: unknown = JSON.parse(body);
		return parsed && typeof parsed === 'object' ? (parsed as IDataObject) : undefined;
	} catch {
		return undefined;
	}
}

/** Magic Hour's `{ message, code }` error body, or the HTTP status text when there is none. */
function errorBody(response: IN8nHttpFullResponse, secret: string): { message: string; code?: string } {
	const body = parseJson(response.body);
	const message =
		typeof body?.message === 'string' && body.message
			? body.message
			: response.statusMessage || `HTTP ${response.statusCode}`;
	const code = typeof body?.code === 'string' && body.code ? body.code : undefined;
	return { message: redact(message, secret), code };
}

function cancelled(ctx: IExecuteFunctions, itemIndex: number): NodeOperationError {
	return operationError(ctx.getNode(), 'The execution was stopped', {
		itemIndex,
		description: 'Work in flight was abandoned. Jobs Magic Hour had already accepted keep rendering.',
	});
}

async function waitBeforeRetry(
	connection: MagicHourConnection,
	failed: FailedAttempt,
	attemptNumber: number,
	cost: RequestCost,
	deadline: number | undefined,
): Promise<boolean> {
	const delay = retryDelay(cost, failed, attemptNumber);
	if (delay === undefined) return false;
	if (deadline !== undefined && Date.now() + delay > deadline) return false;
	if (failed.status === 429) connection.gate.pauseFor(delay);
	await sleep(delay, connection.signal);
	return true;
}

async function sendToApi(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	request: ApiRequest,
): Promise<Outcome> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${connection.baseUrl}${request.path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: connection.requestTimeoutMs,
		abortSignal: connection.signal,
	};
	if (request.body) options.body = request.body;
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			options,
		)) as IN8nHttpFullResponse;
		return { response };
	} catch (error) {
		return { networkError: describeNetworkError(error, connection.secret) };
	}
}

function failureWithoutAnswer(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	request: ApiRequest,
	networkError: { code: string; message: string },
): NodeOperationError {
	const timeout = isTimeout(networkError.code);
	const what = timeout
		? `Magic Hour did not answer within ${Math.round(connection.requestTimeoutMs / 1000)} s`
		: `The connection to Magic Hour failed (${networkError.code})`;
	const description =
		request.cost === 'paid'
			? UNCERTAIN_CREATE_ADVICE
			: `Check the credential's Base URL (${connection.baseUrl}) and the network of your n8n, then run again. ${networkError.message}`;
	return transportError(ctx.getNode(), {
		message: `${what} on ${request.method} ${request.path}`,
		description,
		itemIndex: request.itemIndex,
		projectId: request.projectId,
		code: networkError.code,
	});
}

/**
 * Calls the Magic Hour API with the credential's token, retrying by the rule in `retry.ts`.
 * Resolves with the parsed JSON body (undefined for an empty one, as DELETE gives).
 */
export async function apiRequest<T = IDataObject>(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	request: ApiRequest,
): Promise<T> {
	const cost = request.cost ?? 'free';
	for (let attemptNumber = 1; ; attemptNumber++) {
		await connection.gate.wait(connection.signal);
		const { response, networkError } = await sendToApi(ctx, connection, request);
		if (connection.signal?.aborted) throw cancelled(ctx, request.itemIndex);

		if (response && response.statusCode < 300) {
			const body = parseJson(response.body);
			if (body !== undefined || response.body === '' || response.body === undefined) {
				return body as T;
			}
			// An unreadable success: a free request is simply asked again; a create may have made a job.
			if (cost === 'free' && (await waitBeforeRetry(connection, {}, attemptNumber, cost, request.deadline))) {
				continue;
			}
			throw transportError(ctx.getNode(), {
				message: `Magic Hour sent an unreadable answer to ${request.method} ${request.path}`,
				description: cost === 'paid' ? UNCERTAIN_CREATE_ADVICE : guidanceFor(500),
				itemIndex: request.itemIndex,
				projectId: request.projectId,
				code: 'malformed_response',
			});
		}

		const failed: FailedAttempt = response
			? { status: response.statusCode, retryAfter: header(response, 'retry-after') }
			: {};
		if (await waitBeforeRetry(connection, failed, attemptNumber, cost, request.deadline)) continue;

		if (networkError) throw failureWithoutAnswer(ctx, connection, request, networkError);
		const { message, code } = errorBody(response!, connection.secret);
		const status = response!.statusCode;
		throw apiError(ctx.getNode(), {
			status,
			message,
			code,
			itemIndex: request.itemIndex,
			projectId: request.projectId,
			advice:
				cost === 'paid' && status >= 500 && status !== 502 && status !== 503
					? `${UNCERTAIN_CREATE_ADVICE} ${guidanceFor(status)}`
					: undefined,
		});
	}
}

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
}

export type DownloadResult =
	| { ok: true; stream: ByteStream; contentType?: string; contentLength?: number }
	| { ok: false; status: number; message: string; code?: string };

// Signed URLs carry their own authorization in the query string: they are fetched with the
// plain helper so that the API token is never sent to the storage host.
async function sendSigned(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	options: IHttpRequestOptions,
): Promise<Outcome> {
	try {
		const response = (await ctx.helpers.httpRequest({
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: connection.requestTimeoutMs,
			abortSignal: connection.signal,
		})) as IN8nHttpFullResponse;
		return { response };
	} catch (error) {
		return { networkError: describeNetworkError(error, connection.secret) };
	}
}

/** The signed URL without its query string, which holds the signature. */
function safeUrl(url: string): string {
	return url.split('?')[0];
}

/** PUTs the sample's bytes to a signed upload URL returned by POST /v1/files/upload-urls. */
export async function uploadToSignedUrl(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	upload: SignedUpload,
): Promise<void> {
	for (let attemptNumber = 1; ; attemptNumber++) {
		const headers: IDataObject = { 'Content-Type': 'application/octet-stream' };
		if (upload.size !== undefined) headers['Content-Length'] = upload.size;
		const { response, networkError } = await sendSigned(ctx, connection, {
			method: 'PUT',
			url: upload.url,
			headers,
			body: await upload.openBody(),
			// Following redirects makes the HTTP client keep the whole body in memory to replay it;
			// a signed upload URL does not redirect, so the sample streams (measured: 200 MB sample,
			// +198 MB peak RSS with redirects followed, +72 MB without).
			disableFollowRedirect: true,
		});
		if (connection.signal?.aborted) throw cancelled(ctx, upload.itemIndex);
		if (response && response.statusCode < 300) return;

		const failed: FailedAttempt = response
			? { status: response.statusCode, retryAfter: header(response, 'retry-after') }
			: {};
		if (await waitBeforeRetry(connection, failed, attemptNumber, 'free', upload.deadline)) continue;

		const reason = networkError
			? `the connection failed (${networkError.code})`
			: `storage answered ${response!.statusCode}: ${errorBody(response!, connection.secret).message}`;
		throw transportError(ctx.getNode(), {
			message: `Uploading the audio sample failed: ${reason}`,
			description: `Nothing was paid: the voice clone is only requested after the upload succeeds. Run the item again; if it keeps failing, check that n8n can reach ${new URL(upload.url).host}.`,
			itemIndex: upload.itemIndex,
			code: networkError ? networkError.code : 'upload_failed',
		});
	}
}

async function readErrorStream(stream: ByteStream, secret: string): Promise<{ message?: string; code?: string }> {
	let text = '';
	for await (const chunk of stream) {
		text += String(chunk);
		if (text.length > 4096) break;
	}
	const body = parseJson(text);
	return {
		message: typeof body?.message === 'string' ? redact(body.message, secret) : undefined,
		code: typeof body?.code === 'string' ? body.code : undefined,
	};
}

/**
 * Opens a signed download URL as a stream, retrying while no bytes were read. A refused link
 * (expired, deleted) is returned, not thrown, so the caller can fetch a fresh one.
 */
export async function openSignedDownload(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	download: SignedDownload,
): Promise<DownloadResult> {
	for (let attemptNumber = 1; ; attemptNumber++) {
		const { response, networkError } = await sendSigned(ctx, connection, {
			method: 'GET',
			url: download.url,
			encoding: 'stream',
		});
		if (connection.signal?.aborted) throw cancelled(ctx, download.itemIndex);
		if (response && response.statusCode < 300) {
			const length = Number(header(response, 'content-length'));
			return {
				ok: true,
				stream: response.body as ByteStream,
				contentType: header(response, 'content-type'),
				contentLength: Number.isFinite(length) && length >= 0 ? length : undefined,
			};
		}
		const failed: FailedAttempt = response
			? { status: response.statusCode, retryAfter: header(response, 'retry-after') }
			: {};
		const { message, code } = response
			? await readErrorStream(response.body as ByteStream, connection.secret)
			: { message: undefined, code: undefined };
		if (await waitBeforeRetry(connection, failed, attemptNumber, 'free', download.deadline)) continue;

		if (networkError) {
			throw transportError(ctx.getNode(), {
				message: `Downloading the cloned audio from ${safeUrl(download.url)} failed (${networkError.code})`,
				description:
					'The audio was rendered and paid for. Use the Get Audio Project operation with this project id to download it again, at no cost.',
				itemIndex: download.itemIndex,
				projectId: download.projectId,
				code: networkError.code,
			});
		}
		return {
			ok: false,
			status: response!.statusCode,
			message: message ?? response!.statusMessage ?? `HTTP ${response!.statusCode}`,
			code,
		};
	}
}

const DEFAULT_BASE_URL = 'https://api.magichour.ai';

/**
 * Reads and checks the credential once per execution. Throws for item `itemIndex` when the
 * token is empty or the base URL is not an http(s) URL, before any request is made.
 */
export async function connect(
	ctx: IExecuteFunctions,
	options: { itemIndex: number; requestTimeoutMs: number; gate: RateLimitGate },
): Promise<MagicHourConnection> {
	const credentials = await ctx.getCredentials<{ apiToken?: unknown; baseUrl?: unknown }>(
		CREDENTIAL_TYPE,
		options.itemIndex,
	);
	const token = typeof credentials.apiToken === 'string' ? credentials.apiToken.trim() : '';
	const fixCredential = (what: string) =>
		operationError(ctx.getNode(), `The "Magic Hour API" credential ${what} [item ${options.itemIndex}]`, {
			itemIndex: options.itemIndex,
			description:
				'Open the credential, paste your API key from https://magichour.ai/developer?tab=api-keys and keep the Base URL at https://api.magichour.ai unless you use a proxy.',
		});
	if (!token) throw fixCredential('has an empty API Token');

	const rawBaseUrl =
		typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim()
			? credentials.baseUrl.trim()
			: DEFAULT_BASE_URL;
	let baseUrl: URL;
	try {
		baseUrl = new URL(rawBaseUrl);
	} catch {
		throw fixCredential(`has a Base URL that is not a URL: "${redact(rawBaseUrl, token)}"`);
	}
	if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
		throw fixCredential(`has a Base URL that is not http(s): "${redact(rawBaseUrl, token)}"`);
	}
	return {
		baseUrl: baseUrl.toString().replace(/\/+$/, ''),
		secret: token,
		signal: ctx.getExecutionCancelSignal(),
		gate: options.gate,
		requestTimeoutMs: options.requestTimeoutMs,
	};
}
