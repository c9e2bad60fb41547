import { updateDisplayOptions } from 'n8n-workflow';
import type { IBinaryData, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getAudioProject } from '../api/audioProjects';
import { readDeliverySettings } from '../input/settings';
import type { DeliverySettings } from '../input/settings';
import { validateProjectId } from '../input/validation';
import { toBinaryStore, withAudio } from '../output/binaryOutput';
import { libraryUrlOf, projectJson, withoutDeletedLink } from '../output/projectJson';
import { deleteDelivered, deliverJob } from '../run/delivery';
import type { JobState } from '../run/delivery';
import { itemDeadline } from '../run/state';
import type { Run } from '../run/state';
import { deliveryOptions, optionsCollection, projectIdProperty, waitForCompletionProperty } from './common.description';

const properties: INodeProperties[] = [
	projectIdProperty('fetch'),
	waitForCompletionProperty('get'),
	optionsCollection(deliveryOptions),
];

export const description = updateDisplayOptions({ show: { operation: ['get'] } }, properties);

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

/**
 * Reads the project (getAudioProject, free); with "Wait for Completion", waits for it and
 * downloads its audio as Clone Voice does. Never creates anything.
 */
export async function execute(run: Run, input: GetInput, itemIndex: number): Promise<INodeExecutionData> {
	const { delivery } = input;
	const deadline = itemDeadline(run, delivery.timeoutSeconds);
	const project = await getAudioProject(run, input.projectId, itemIndex, deadline);
	const shape = delivery.forAgent ? 'agent' : 'plain';
	if (!delivery.wait) return { json: projectJson(project, shape, { library_url: libraryUrlOf(project) }) };

	const job: JobState<IBinaryData> = { id: input.projectId, status: project.status };
	await deliverJob(run, job, { settings: delivery, itemIndex, deadline, known: project, keep: toBinaryStore(run.ctx) });
	const json = projectJson(job.project!, shape, { library_url: libraryUrlOf(job.project) });
	if (!job.audio) return { json };
	if (delivery.deleteAfterDownload) Object.assign(json, await deleteDelivered(run, [{ id: input.projectId }], itemIndex, deadline));
	return withAudio(withoutDeletedLink(json), delivery.outputProperty, job.audio);
}
