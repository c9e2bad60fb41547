/**
 * Delivers webhook requests to the Magic Hour Trigger the way n8n does: n8n-core's WebhookContext
 * over a request that carries its raw body and headers, and a response that records what the node
 * answered. A harness is one trigger node in one published workflow. Its static data is kept as n8n
 * keeps it in its database: each delivery works on a copy read when the delivery arrives, saved
 * whole once the node is done (when the node changed it), so the last delivery to finish wins.
 */
import { createHmac } from 'node:crypto';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { HookContext, WebhookContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IWebhookData,
	IWebhookResponseData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { MagicHourTrigger } from '../../nodes/MagicHour/MagicHourTrigger.node';
import { additionalDataFor, initBinaryStore, TEST_BASE_URL, TEST_TOKEN, TestNodeTypes } from './harness';

export const WEBHOOK_SECRET = 'whsec_test_5b1e0c9d';
export const TRIGGER_NAME = 'Magic Hour Trigger';

export interface Delivery {
	/** The raw body; an object is sent as its JSON text. */
	body: string | Buffer | IDataObject;
	headers: Record<string, string>;
}

export interface Answer {
	/** What the node answered Magic Hour (n8n answers nothing more when the node did). */
	status?: number;
	body?: unknown;
	result: IWebhookResponseData;
	/** The items the workflow starts with: none when nothing was started. */
	items: INodeExecutionData[];
	/** What the node wrote to n8n's log at warn level. */
	warnings: string[];
}

/**
 * A delivery as Magic Hour signs it: HMAC-SHA256 of "<timestamp>.<raw body>" with the secret, hex,
 * computed here independently of the node's code. `at` is the Unix time it claims to be sent at.
 */
export function signed(
	body: string | Buffer | IDataObject,
	options: { secret?: string; at?: number; signature?: string } = {},
): Delivery {
	const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
	const timestamp = String(options.at ?? Math.floor(Date.now() / 1000));
	const signature =
		options.signature ??
		createHmac('sha256', options.secret ?? WEBHOOK_SECRET).update(`${timestamp}.${raw.toString()}`).digest('hex');
	return {
		body: raw,
		headers: {
			'content-type': 'application/json',
			'magic-hour-event-timestamp': timestamp,
			'magic-hour-event-signature': signature,
		},
	};
}

/** The event Magic Hour posts for a project: `{ type, payload }`. */
export function event(type: string, payload: IDataObject): IDataObject {
	return { type, payload };
}

let workflows = 0;

export class TriggerHarness {
	readonly node: INode;
	readonly workflowId: string;
	/** The workflow's static data as n8n's database holds it between deliveries. */
	savedStaticData: IDataObject = {};
	/** What happened, in order: the node's answers ("answered 200"), and whatever a test adds. */
	readonly timeline: string[] = [];
	private readonly credentials: ICredentialDataDecryptedObject;

	/** Deliveries reach a published workflow ('webhook') unless `deliver` is told otherwise. */
	private readonly mode: WorkflowExecuteMode = 'webhook';

	constructor(options: { parameters?: INodeParameters; credentials?: ICredentialDataDecryptedObject } = {}) {
		this.credentials = options.credentials ?? {
			apiToken: TEST_TOKEN,
			baseUrl: TEST_BASE_URL,
			webhookSecret: WEBHOOK_SECRET,
		};
		this.node = {
			id: 'magic-hour-trigger',
			name: TRIGGER_NAME,
			type: 'n8n-nodes-magichour-voice-cloner.magicHourTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'c0ffee00-0000-4000-8000-000000000001',
			parameters: options.parameters ?? {},
			credentials: { magicHourApi: { id: '1', name: 'Magic Hour account' } },
		};
		// A workflow id of its own each: the node also remembers, in this process, what each workflow started.
		this.workflowId = `trigger-test-${++workflows}`;
	}

	/** The workflow as n8n builds it for one delivery or activation, with the static data saved so far. */
	private loadWorkflow(): Workflow {
		return new Workflow({
			id: this.workflowId,
			nodes: [this.node],
			connections: {},
			nodeTypes: new TestNodeTypes(),
			active: true,
			staticData: JSON.parse(JSON.stringify(this.savedStaticData)) as IDataObject,
			settings: { executionOrder: 'v1' },
		});
	}

	private webhookData(): IWebhookData {
		return {
			httpMethod: 'POST',
			node: TRIGGER_NAME,
			path: 'webhook',
			webhookDescription: new MagicHourTrigger().description.webhooks![0],
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalDataFor(this.credentials),
		} as IWebhookData;
	}

	/** Runs what n8n runs when the workflow is activated: checkExists, then create. */
	async activate(): Promise<void> {
		const context = new HookContext(
			this.loadWorkflow(),
			this.node,
			additionalDataFor(this.credentials),
			'trigger',
			'activate',
			this.webhookData(),
		);
		const { checkExists, create } = new MagicHourTrigger().webhookMethods.default;
		if (!(await checkExists.call(context))) await create.call(context);
	}

	/** `mode`: as the harness's, or 'manual' for one delivery to the editor's *Listen for test event*. */
	async deliver(delivery: Delivery, mode: WorkflowExecuteMode = this.mode): Promise<Answer> {
		await initBinaryStore();
		const raw = Buffer.isBuffer(delivery.body)
			? delivery.body
			: Buffer.from(typeof delivery.body === 'string' ? delivery.body : JSON.stringify(delivery.body));
		let parsed: unknown = {};
		try {
			parsed = JSON.parse(raw.toString());
		} catch {
			parsed = {};
		}
		// As n8n's request: body parsed already, raw bytes read on demand.
		const request = {
			method: 'POST',
			headers: delivery.headers,
			body: parsed,
			params: {},
			query: {},
			rawBody: undefined as Buffer | undefined,
			readRawBody: async () => {
				request.rawBody = raw;
			},
		};
		const answer: { status?: number; body?: unknown } = {};
		const { timeline } = this;
		const response = {
			status(code: number) {
				answer.status = code;
				return response;
			},
			json(body: unknown) {
				answer.body = body;
				timeline.push(`answered ${answer.status ?? 200}`);
				return response;
			},
			send(body: unknown) {
				answer.body = body;
				return response;
			},
			end() {
				return response;
			},
		};
		const warn = jest.spyOn(Container.get(Logger), 'warn');
		try {
			const workflow = this.loadWorkflow();
			const context = new WebhookContext(
				workflow,
				this.node,
				additionalDataFor(this.credentials, { httpRequest: request, httpResponse: response }),
				mode,
				this.webhookData(),
				[],
				null,
			);
			const result = await new MagicHourTrigger().webhook.call(context);
			// As n8n's live webhooks: the static data is saved after the node, whole, when it changed
			// (test webhooks never save it).
			if (mode !== 'manual' && workflow.staticData.__dataChanged === true) {
				this.savedStaticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			}
			return {
				...answer,
				result,
				items: result.workflowData?.[0] ?? [],
				warnings: warn.mock.calls.map(([message]) => String(message)),
			};
		} finally {
			warn.mockRestore();
		}
	}
}
