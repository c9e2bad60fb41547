/**
 * One delivery of a Magic Hour webhook: refused unless it is signed with the credential's Webhook
 * Secret and fresh; answered 2xx and dropped when it is an event the node does not start on or,
 * in a published workflow, a repeat; otherwise answered 2xx at once, because Magic Hour waits at
 * most 10 s, and only then turned into the workflow's item, with the audio downloaded when the
 * event says it is ready.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { PaidJobs } from '../api/paidJobs';
import type { Session } from '../api/session';
import { failureJson, maskError, redactItem } from '../errors';
import type { Advice } from '../errors';
import { readEventSettings } from '../input/settings';
import { downloadAudio, toBinaryStore, withAudio } from '../output/binaryOutput';
import { projectJson } from '../output/projectJson';
import { itemDeadline } from '../run/state';
import { connect, CREDENTIAL_TYPE } from '../transport';
import { isFirstDelivery, recordStarted } from './deduplication';
import { parseEvent } from './events';
import type { MagicHourEvent } from './events';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, whyRefused } from './signature';

/** The request's body exactly as it arrived: the signature is over these bytes, not over parsed JSON. */
async function rawBodyOf(ctx: IWebhookFunctions): Promise<Buffer> {
	// n8n's request has these two fields, which its express types in n8n-workflow do not declare.
	const request = ctx.getRequestObject() as unknown as { rawBody?: Buffer; readRawBody?: () => Promise<void> };
	if (!request.rawBody?.length && request.readRawBody) await request.readRawBody();
	return request.rawBody ?? Buffer.alloc(0);
}

function headerOf(ctx: IWebhookFunctions, name: string): string | undefined {
	const value = ctx.getHeaderData()[name];
	return Array.isArray(value) ? value[0] : value;
}

/** Answers the delivery now; n8n is told not to answer it again. */
function answer(ctx: IWebhookFunctions, status: number, body: IDataObject): void {
	ctx.getResponseObject().status(status).json(body);
}

/**
 * Refuses a delivery without saying why (that would help whoever forged it), and says why in
 * n8n's log, where an admin finds a mistyped secret long before Magic Hour stops retrying.
 */
function refuse(ctx: IWebhookFunctions, status: 400 | 401, reason: string): IWebhookResponseData {
	answer(ctx, status, { message: status === 401 ? 'Unauthorized' : 'Bad Request' });
	const { name } = ctx.getNode();
	ctx.logger.warn(`Magic Hour Trigger "${name}" refused a delivery (answered ${status}): ${reason}`, {
		workflowId: ctx.getWorkflow().id,
		node: name,
	});
	return { noWebhookResponse: true };
}

/** Answers 200 to a genuine delivery that starts nothing. */
function ignore(ctx: IWebhookFunctions, reason: string): IWebhookResponseData {
	answer(ctx, 200, { received: true });
	ctx.logger.debug(`Magic Hour Trigger "${ctx.getNode().name}" started nothing: ${reason}`);
	return { noWebhookResponse: true };
}

/** The workflow's item for an event: the event type and the project, with its audio when it is ready. */
async function eventItem(
	ctx: IWebhookFunctions,
	event: MagicHourEvent,
	advice: Advice,
	webhookSecret: string,
): Promise<INodeExecutionData> {
	const json: IDataObject = { event: event.type, ...projectJson(event.payload, 'plain') };
	let token: string | undefined;
	try {
		const settings = readEventSettings(ctx);
		if (event.type !== 'audio.completed' || !settings.download) return redactItem({ json }, webhookSecret);
		const connection = await connect(ctx, { itemIndex: 0, requestTimeoutMs: settings.requestTimeoutMs });
		token = connection.secret;
		const session: Session = { ctx, connection, paidJobs: new PaidJobs(), advice };
		const { project, kept } = await downloadAudio(
			session,
			event.payload,
			{ itemIndex: 0, deadline: itemDeadline(session, settings.timeoutSeconds), maxBytes: settings.maxBytes },
			toBinaryStore(ctx),
		);
		const item = withAudio({ event: event.type, ...projectJson(project, 'plain') }, settings.outputProperty, kept);
		return redactItem(redactItem(item, webhookSecret), token);
	} catch (error) {
		const failure = failureJson(maskError(maskError(error as Error, webhookSecret), token));
		return redactItem({ json: { ...json, ...failure } }, webhookSecret);
	}
}

/** Handles one delivery, as described at the top of this file. */
export async function receiveEvent(ctx: IWebhookFunctions, advice: Advice): Promise<IWebhookResponseData> {
	const rawBody = await rawBodyOf(ctx);
	const credentials = await ctx.getCredentials<{ webhookSecret?: unknown }>(CREDENTIAL_TYPE);
	const secret = typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret.trim() : '';
	// A signature's age is measured in real time, as Magic Hour's is.
	const nowSeconds = Math.floor(Date.now() / 1000);
	const refusal = secret
		? whyRefused(
				{ signature: headerOf(ctx, SIGNATURE_HEADER), timestamp: headerOf(ctx, TIMESTAMP_HEADER), rawBody },
				secret,
				nowSeconds,
			)
		: 'the Magic Hour API credential has no Webhook Secret (copy it from the webhook endpoint in Magic Hour)';
	if (refusal) return refuse(ctx, 401, refusal);

	const event = parseEvent(rawBody);
	if (!event) return refuse(ctx, 400, 'its body is not the JSON Magic Hour sends ({ "type", "payload": { "id", … } })');
	const events = ctx.getNodeParameter('events', []) as string[];
	if (!events.includes(event.type)) return ignore(ctx, `${event.type} is not among the events it starts on`);
	// "Listen for test event" shows each event it gets; only a published workflow starts an event once.
	const published = ctx.getMode() !== 'manual';
	const scope = `${ctx.getWorkflow().id}|${ctx.getNode().id}`;
	const staticData = ctx.getWorkflowStaticData('node');
	if (published && !isFirstDelivery(staticData, scope, event, nowSeconds)) {
		recordStarted(staticData, scope, nowSeconds);
		return ignore(ctx, `${event.type} for project ${event.payload.id} was already started once`);
	}

	answer(ctx, 200, { received: true });
	const item = await eventItem(ctx, event, advice, secret);
	// Last, after the download: n8n saves the static data of the delivery that finishes last.
	if (published) recordStarted(staticData, scope, Math.floor(Date.now() / 1000));
	return { noWebhookResponse: true, workflowData: [[item]] };
}
