import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { UNCERTAIN_CREATE_ADVICE, apiError, cancelled, deadlinePassed, guidanceFor, transportError } from '../errors';
import { CREDENTIAL_TYPE, requestScope } from './connection';
import type { ApiContext, MagicHourConnection } from './connection';
import {
	describeNetworkError,
	errorBody,
	header,
	isTimeout,
	parseJson,
	redirectTarget,
} from './response';
import type { NetworkError, Outcome } from './response';
import { withRetries } from './retry';
import type { Attempt, RequestCost } from './retry';

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, starting with "/v1/". */
	path: string;
	body?: IDataObject;
	itemIndex: number;
	/** `paid`: sent again only after an answer that proves no job was made; `advisory`: asked once. */
	cost?: RequestCost;
	projectId?: string;
	/** The item's deadline (clock ms): no retry starts after it, a request in flight is aborted at it. */
	deadline?: number;
	/** What to do when the deadline cut this free request off, for a project that exists. */
	whenLate?: string;
}

async function sendToApi(
	ctx: ApiContext,
	connection: MagicHourConnection,
	request: ApiRequest,
	signal: AbortSignal | undefined,
): Promise<Outcome> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${connection.baseUrl}${request.path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: connection.requestTimeoutMs,
		abortSignal: signal,
		// The credential's header must never reach another host: a redirect is reported, not followed.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
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
	ctx: ApiContext,
	connection: MagicHourConnection,
	request: ApiRequest,
	networkError: NetworkError,
): never {
	const what = isTimeout(networkError.code)
		? `Magic Hour did not answer within ${Math.round(connection.requestTimeoutMs / 1000)} s`
		: `The connection to Magic Hour failed (${networkError.code})`;
	const description =
		request.cost === 'paid'
			? UNCERTAIN_CREATE_ADVICE
			: `Check the credential's Base URL (${connection.baseUrl}) and the network of your n8n, then run again. ${networkError.message}`;
	throw transportError(ctx.getNode(), {
		message: `${what} on ${request.method} ${request.path}`,
		description,
		itemIndex: request.itemIndex,
		projectId: request.projectId,
		code: networkError.code,
	});
}

function redirected(
	ctx: ApiContext,
	connection: MagicHourConnection,
	request: ApiRequest,
	response: IN8nHttpFullResponse,
): never {
	const target = redirectTarget(response, `${connection.baseUrl}${request.path}`);
	throw transportError(ctx.getNode(), {
		message: `Magic Hour answered ${response.statusCode} to ${request.method} ${request.path}, a redirect to ${target}; it was not followed`,
		description: `${request.cost === 'paid' ? `${UNCERTAIN_CREATE_ADVICE} ` : ''}The node never follows a redirect of the API, so that your API token stays with Magic Hour. Check the credential's Base URL (${connection.baseUrl}): it should be https://api.magichour.ai, or a proxy that answers itself.`,
		itemIndex: request.itemIndex,
		projectId: request.projectId,
		code: 'redirect',
	});
}

/** What to do when a free request ran out of the item's time: the request's own advice, or to raise the Timeout. */
const whenLateFree = (request: ApiRequest) => request.whenLate ?? 'Nothing was paid. Raise "Timeout" in the options, then run the item again.';

function stoppedEarly(ctx: ApiContext, request: ApiRequest): never {
	const description =
		request.cost === 'paid'
			? `${UNCERTAIN_CREATE_ADVICE} To allow more time, raise "Timeout" in the options.`
			: whenLateFree(request);
	throw deadlinePassed(ctx.getNode(), {
		what: `${request.method} ${request.path}`,
		itemIndex: request.itemIndex,
		projectId: request.projectId,
		description,
	});
}

/** The item's Timeout would run out before the request's turn under the run's learnt pace: it is not sent. */
function noTurnInTime(ctx: ApiContext, request: ApiRequest): never {
	const late = 'Magic Hour limited how fast this run may send requests, and this request\'s turn would have come after the item\'s Timeout.';
	throw deadlinePassed(ctx.getNode(), {
		what: `the wait to send ${request.method} ${request.path}`,
		itemIndex: request.itemIndex,
		projectId: request.projectId,
		description:
			request.cost === 'paid'
				? `${late} The request was not sent: nothing was paid. Raise "Timeout" in the options, or give the run fewer items, then run the item again.`
				: `${late} ${whenLateFree(request)}`,
	});
}

/**
 * With a learnt pace (automatic Concurrency, see pace.ts): waits for the request's turn, then for the
 * end of a rate-limit pause that began meanwhile. Returns when the request goes.
 */
async function takeTurn(ctx: ApiContext, connection: MagicHourConnection, request: ApiRequest): Promise<number> {
	const { pace, clock, signal } = connection;
	if (!pace) return clock.now();
	let turn: number | undefined;
	try {
		turn = await pace.turn(signal, request.deadline);
		if (turn !== undefined) await connection.gate.wait(signal);
	} catch {
		// Only the execution's Stop ends these waits early.
		throw cancelled(ctx.getNode(), request.itemIndex);
	}
	if (turn === undefined) noTurnInTime(ctx, request);
	return clock.now();
}

/** Turns one answer (or its absence) into a value or a failed attempt the retry policy judges. */
function judge<T>(
	ctx: ApiContext,
	connection: MagicHourConnection,
	request: ApiRequest,
	{ response, networkError }: Outcome,
): Attempt<T> {
	if (networkError) {
		return { ok: false, failed: {}, giveUp: () => failureWithoutAnswer(ctx, connection, request, networkError) };
	}
	const status = response.statusCode;
	if (status >= 200 && status < 300) {
		const body = parseJson(response.body);
		if (body !== undefined || response.body === '' || response.body === undefined) {
			return { ok: true, value: body as T };
		}
		return {
			ok: false,
			failed: { status, unreadable: true },
			giveUp: () => {
				throw transportError(ctx.getNode(), {
					message: `Magic Hour sent an unreadable answer to ${request.method} ${request.path}`,
					description: request.cost === 'paid' ? UNCERTAIN_CREATE_ADVICE : guidanceFor(500),
					itemIndex: request.itemIndex,
					projectId: request.projectId,
					code: 'malformed_response',
				});
			},
		};
	}
	if (status >= 300 && status < 400) {
		return { ok: false, failed: { status }, giveUp: () => redirected(ctx, connection, request, response) };
	}
	return {
		ok: false,
		failed: { status, retryAfter: header(response, 'retry-after') },
		giveUp: () => {
			const { message, code } = errorBody(response.body, response);
			throw apiError(ctx.getNode(), {
				status,
				message,
				code,
				itemIndex: request.itemIndex,
				projectId: request.projectId,
				advice:
					request.cost === 'paid' && status >= 500 && status !== 502 && status !== 503
						? `${UNCERTAIN_CREATE_ADVICE} ${guidanceFor(status)}`
						: undefined,
			});
		},
	};
}

/**
 * Calls the Magic Hour API with the credential's token, retrying by the policy in `retry.ts`.
 * Resolves with the parsed JSON body (undefined for an empty one, as DELETE gives).
 */
export async function apiRequest<T = IDataObject>(
	ctx: ApiContext,
	connection: MagicHourConnection,
	request: ApiRequest,
): Promise<T> {
	return await withRetries<T>(
		connection,
		{ cost: request.cost ?? 'free', deadline: request.deadline },
		async () => {
			const sentAt = await takeTurn(ctx, connection, request);
			const scope = requestScope(connection, request.deadline);
			const outcome = await sendToApi(ctx, connection, request, scope.signal);
			connection.pace?.answered(sentAt, outcome.response?.statusCode);
			const stopped = scope.stoppedBy();
			if (stopped === 'cancelled') throw cancelled(ctx.getNode(), request.itemIndex);
			if (stopped === 'deadline' && outcome.networkError) stoppedEarly(ctx, request);
			return judge(ctx, connection, request, outcome);
		},
	);
}
