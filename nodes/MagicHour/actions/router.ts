import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { unsupportedOperation } from '../errors';
import { runItems } from '../run/items';
import { advice } from './advice';
import * as clone from './clone.operation';
import * as deleteProject from './delete.operation';
import * as estimate from './estimate.operation';
import * as get from './get.operation';
import * as upload from './upload.operation';

/** Runs the chosen operation for every input item (see run/items.ts for how items are run). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	switch (operation) {
		case 'clone':
			return await runItems(this, clone, advice);
		case 'get':
			return await runItems(this, get, advice);
		case 'delete':
			return await runItems(this, deleteProject, advice);
		case 'upload':
			return await runItems(this, upload, advice);
		case 'estimate':
			return await runItems(this, estimate, advice);
		default:
			throw unsupportedOperation(this.getNode(), operation);
	}
}
