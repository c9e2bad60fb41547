import type { IDataObject, IN8nHttpFullResponse } from 'n8n-workflow';

import { redact } from '../errors';

export type Outcome =
	| { response: IN8nHttpFullResponse; networkError?: undefined }
	| { response?: undefined; networkError: NetworkError };

export interface NetworkError {
	code: string;
	message: string;
}

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

/** Only the code and message of the HTTP client's error: its other fields hold the request headers. */
export function describeNetworkError(error: unknown, secret: string): NetworkError {
	const code = errorCodeOf(error);
	const message = error instanceof Error ? error.message : String(error);
	return { code, message: redact(message, secret) };
}

export function isTimeout(code: string): boolean {
	return code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT';
}

export function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers?.[name] ?? response.headers?.[name.toLowerCase()];
	if (Array.isArray(value)) return String(value[0]);
	return value === undefined || value === null ? undefined : String(value);
}

export function parseJson(body: unknown): IDataObject | undefined {
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
export function errorBody(body: unknown, response: IN8nHttpFullResponse): { message: string; code?: string } {
	const parsed = parseJson(body);
	const message =
		typeof parsed?.message === 'string' && parsed.message
			? parsed.message
			: response.statusMessage || `HTTP ${response.statusCode}`;
	const code = typeof parsed?.code === 'string' && parsed.code ? parsed.code : undefined;
	return { message, code };
}

/** The host a redirect pointed to, for the error that refuses to follow it. */
export function redirectTarget(response: IN8nHttpFullResponse, from: string): string {
	const location = header(response, 'location');
	if (!location) return 'no Location given';
	try {
		return new URL(location, from).host;
	} catch {
		return 'an unreadable Location';
	}
}
