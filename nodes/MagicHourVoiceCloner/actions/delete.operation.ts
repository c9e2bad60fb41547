import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { validateProjectId } from '../helpers/validation';
import type { MagicHourConnection } from '../transport';
import { projectIdProperty } from './common.description';
import { deleteProject } from '../helpers/delivery';

export const description: INodeProperties[] = [projectIdProperty('delete', 'delete')];

export interface DeleteInput {
	projectId: string;
}

export async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<DeleteInput> {
	return {
		projectId: validateProjectId(ctx.getNode(), itemIndex, ctx.getNodeParameter('projectId', itemIndex)),
	};
}

/** Deletes the project's rendered files for good. */
export async function execute(
	ctx: IExecuteFunctions,
	connection: MagicHourConnection,
	input: DeleteInput,
	itemIndex: number,
): Promise<INodeExecutionData> {
	await deleteProject(ctx, connection, input.projectId, itemIndex);
	return { json: { id: input.projectId, deleted: true } };
}
