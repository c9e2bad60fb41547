import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { deleteAudioProject } from '../api/audioProjects';
import { validateProjectId } from '../input/validation';
import type { Run } from '../run/state';
import { projectIdProperty } from './common.description';

const properties: INodeProperties[] = [projectIdProperty('delete')];

export const description = updateDisplayOptions({ show: { operation: ['delete'] } }, properties);

export interface DeleteInput {
	projectId: string;
}

export async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<DeleteInput> {
	return {
		projectId: validateProjectId(ctx.getNode(), itemIndex, ctx.getNodeParameter('projectId', itemIndex)),
	};
}

/** Deletes the project (deleteAudioProject, free): its rendered files are gone for good. */
export async function execute(run: Run, input: DeleteInput, itemIndex: number): Promise<INodeExecutionData> {
	await deleteAudioProject(run, input.projectId, itemIndex);
	return { json: { id: input.projectId, deleted: true } };
}
