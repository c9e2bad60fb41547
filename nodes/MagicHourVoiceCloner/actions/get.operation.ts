import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getProject } from '../helpers/polling';
import { validateProjectId } from '../helpers/validation';
import { clock } from '../transport';
import type { MagicHourConnection } from '../transport';
import {
	deliveryOptions,
	optionsCollection,
	projectIdProperty,
	waitForCompletionProperty,
} from './common.description';
import { agentJson, deliverProject, projectJson, readDeliverySettings } from '../helpers/delivery';
import type { DeliverySettings } from '../helpers/delivery';

export const description: INodeProperties[] = [
	projectIdProperty('get', 'fetch'),
	waitForCompletionProperty('get'),
	optionsCollection('get', deliveryOptions),
];

export interface GetInput {
	projectId: string;
	delivery: DeliverySettings;
}

export async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<GetInput> {
	return {
		projectId: validateProjectId(ctx.getNode(), itemIndex, ctx.getNodeParameter('projectId', itemIndex)),
		delivery: readDeliverySettings(ctx, itemIndex),
	};
}

/** Reads a project (free); with "Wait for Completion", waits for it and downloads its audio. Never creates anything. */
export async function execute(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	input: GetInput,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const deadline = clock().now() + input.delivery.timeoutSeconds * 1000;
	const project = await getProject(ctx, connection, input.projectId, itemIndex, deadline);
	if (!input.delivery.wait) {
		return { json: input.delivery.forAgent ? agentJson(project) : projectJson(project) };
	}
	return await deliverProject(ctx, connection, {
		projectId: input.projectId,
		known: project,
		settings: input.delivery,
		itemIndex,
		deadline,
	});
}
