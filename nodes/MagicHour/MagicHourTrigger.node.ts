import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { advice } from './actions/advice';
import { missingWebhookSecret } from './errors';
import { readEventSettings } from './input/settings';
import { CREDENTIAL_TYPE } from './transport';
import { receiveEvent } from './trigger/receiveEvent';

export class MagicHourTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Magic Hour Trigger',
		name: 'magicHourTrigger',
		icon: { light: 'file:magichour.svg', dark: 'file:magichour.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when Magic Hour finishes an audio render, with the audio as a file',
		defaults: { name: 'Magic Hour Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'magicHourApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		// What the editor says under "When will this node trigger my flow?": how a test event reaches it.
		triggerPanel: {
			executionsHelp: {
				inactive:
					"While building your workflow, click 'Execute step', then have Magic Hour send an event to this node's Test URL: point a webhook endpoint in Magic Hour's Developer Hub at it and start a render (in Magic Hour, or with the Magic Hour Voice Cloner node). The event shows up here. Once you're happy with your workflow, point the endpoint at the Production URL and publish the workflow: every selected event then starts an execution, listed under Executions, not in the editor.",
				active:
					'This workflow is published: every selected event Magic Hour sends to the Production URL starts an execution, listed under Executions, not in the editor. A delivery that is refused starts nothing, and n8n\'s log says why.',
			},
		},
		properties: [
			{
				displayName:
					'In Magic Hour, open <a href="https://magichour.ai/developer?tab=webhooks" target="_blank">Developer Hub → Webhooks</a>, add an endpoint with this node\'s <b>Production URL</b> (above, under Webhook URLs) and select the same events as in <b>Events</b> below. Paste the webhook secret Magic Hour then shows into the Magic Hour API credential\'s <b>Webhook Secret</b>, and publish this workflow. The Test URL answers only while this node is listening for a test event.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['audio.completed', 'audio.errored'],
				description:
					'The Magic Hour events that start the workflow. Select the same ones for the endpoint in Magic Hour; any other event is answered and ignored.',
				options: [
					{
						name: 'Audio Completed',
						value: 'audio.completed',
						description: 'An audio project finished rendering: its audio is ready',
					},
					{
						name: 'Audio Errored',
						value: 'audio.errored',
						description: 'An audio project failed; Magic Hour refunds its credits',
					},
					{
						name: 'Audio Started',
						value: 'audio.started',
						description: 'An audio project began rendering (fast jobs may skip it)',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Download Audio',
						name: 'downloadAudio',
						type: 'boolean',
						default: true,
						description:
							'Whether to put the finished audio file into the item of an "audio.completed" event. If off, the item has only its download links, valid for 24 hours.',
					},
					{
						displayName: 'Max Download Size (MB)',
						name: 'maxDownloadSize',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 500,
						description:
							'Largest audio file to download, in megabytes. A larger file gives an item with an error and the project ID instead.',
					},
					{
						displayName: 'Output Binary Field',
						name: 'outputBinaryPropertyName',
						type: 'string',
						default: 'data',
						description:
							'Name of the output binary field that receives the audio file. Later nodes refer to the file by this name.',
					},
				],
			},
		],
	};

	// Magic Hour has no API to register a webhook: the user pastes this node's URL into the Developer
	// Hub. So there is nothing to look up (checkExists says no, so that create runs at every
	// activation), create only checks what every delivery will need, so that a missing Webhook
	// Secret stops the activation instead of refusing Magic Hour's events for a day, and delete has
	// nothing to remove (the endpoint stays in Magic Hour until the user deletes it there).
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const credentials = await this.getCredentials<{ webhookSecret?: unknown }>(CREDENTIAL_TYPE);
				if (typeof credentials.webhookSecret !== 'string' || !credentials.webhookSecret.trim()) {
					throw missingWebhookSecret(this.getNode());
				}
				readEventSettings(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveEvent(this, advice);
	}
}
