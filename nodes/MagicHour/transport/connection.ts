import type { IExecuteFunctions, ILoadOptionsFunctions, IWebhookFunctions } from 'n8n-workflow';

import { operationError, redact } from '../errors';
import { clock } from './clock';
import type { Clock } from './clock';
import { RequestPace } from './pace';
import { RateLimitGate } from './retry';

export const CREDENTIAL_TYPE = 'magicHourApi';
const DEFAULT_BASE_URL = 'https://api.magichour.ai';

/** The n8n functions a node runs with: an action's execute, or a trigger's webhook. */
export type N8nContext = IExecuteFunctions | IWebhookFunctions;

/** What may call the API: a running node, or the editor filling in a list (a resource locator's "From list"). */
export type ApiContext = N8nContext | ILoadOptionsFunctions;

/** The readable byte stream n8n's binary helpers take and give. */
export type ByteStream = Exclude<
	Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0],
	Buffer
>;

/** What every request of one execution shares. */
export interface MagicHourConnection {
	baseUrl: string;
	/** Only used to mask the token; the token itself is sent by n8n's credential. */
	secret: string;
	signal: AbortSignal | undefined;
	gate: RateLimitGate;
	/** The learnt pace of API requests, when the run's Concurrency is automatic (see pace.ts). */
	pace?: RequestPace;
	requestTimeoutMs: number;
	/** The time pauses and deadlines follow (see clock.ts). */
	clock: Clock;
}

/** Why a request or transfer was stopped by us rather than by the network. */
export type StopReason = 'cancelled' | 'deadline' | 'stalled';

export interface RequestScope {
	/** Fires when the execution is stopped or the item's deadline passes. */
	signal: AbortSignal | undefined;
	stoppedBy(): StopReason | undefined;
}

/** The abort signal of one request: the execution's stop button and the item's deadline. */
export function requestScope(connection: MagicHourConnection, deadline: number | undefined): RequestScope {
	const signals: AbortSignal[] = [];
	if (connection.signal) signals.push(connection.signal);
	const { clock } = connection;
	const atDeadline =
		deadline === undefined ? undefined : AbortSignal.timeout(Math.max(0, deadline - clock.now()));
	if (atDeadline) signals.push(atDeadline);
	return {
		signal: signals.length ? AbortSignal.any(signals) : undefined,
		stoppedBy: () => {
			if (connection.signal?.aborted) return 'cancelled';
			if (atDeadline?.aborted || (deadline !== undefined && clock.now() >= deadline)) return 'deadline';
			return undefined;
		},
	};
}

const FIX_CREDENTIAL =
	'Open Credentials → Magic Hour API, paste your API key from https://magichour.ai/developer?tab=api-keys (only the key, nothing around it) and keep the Base URL at https://api.magichour.ai unless you use a proxy.';

/**
 * The API token as the credential holds it, without the spaces and line breaks that copying
 * often adds around it. Undefined when it is empty or has whitespace inside.
 */
export function cleanToken(raw: unknown): { token: string } | { problem: string } {
	const token = typeof raw === 'string' ? raw.trim() : '';
	if (!token) return { problem: 'has an empty API Token' };
	if (/\s/.test(token)) return { problem: 'has an API Token with a space or line break inside' };
	return { token };
}

/**
 * Reads and checks the credential once per execution. Throws for item `itemIndex` when the
 * token is empty or malformed or the base URL is not an http(s) URL, before any request is made.
 */
export async function connect(
	ctx: ApiContext,
	options: { itemIndex: number; requestTimeoutMs: number; signal?: AbortSignal; paced?: boolean },
): Promise<MagicHourConnection> {
	const credentials = await ctx.getCredentials<{ apiToken?: unknown; baseUrl?: unknown }>(
		CREDENTIAL_TYPE,
		options.itemIndex,
	);
	const fixCredential = (what: string) =>
		operationError(ctx.getNode(), `The "Magic Hour API" credential ${what} [item ${options.itemIndex}]`, {
			itemIndex: options.itemIndex,
			description: FIX_CREDENTIAL,
		});
	const cleaned = cleanToken(credentials.apiToken);
	if ('problem' in cleaned) throw fixCredential(cleaned.problem);
	const { token } = cleaned;
	// Read once here, then passed with the connection: n8n builds the node and calls it, so a
	// test has no other way to give it a clock than this module-level default.
	const runClock = clock();

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
		signal: options.signal,
		gate: new RateLimitGate(runClock),
		...(options.paced ? { pace: new RequestPace(runClock) } : {}),
		requestTimeoutMs: options.requestTimeoutMs,
		clock: runClock,
	};
}
