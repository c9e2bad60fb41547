import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import * as clone from './actions/clone.operation';
import * as deleteProject from './actions/delete.operation';
import * as estimate from './actions/estimate.operation';
import * as get from './actions/get.operation';
import { router } from './actions/router';
import { searchSavedVoices } from './actions/savedVoice';
import * as upload from './actions/upload.operation';

export class MagicHourVoiceCloner implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Magic Hour Voice Cloner',
		name: 'magicHourVoiceCloner',
		icon: { light: 'file:magichour.svg', dark: 'file:magichour.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ {"clone": "Clone Voice", "get": "Get Audio Project", "delete": "Delete Audio Project", "upload": "Upload Voice Sample", "estimate": "Estimate Cost"}[$parameter["operation"]] }}',
		description: 'Speak any text in a voice cloned from a short audio sample (Magic Hour AI Voice Cloner)',
		defaults: { name: 'Magic Hour Voice Cloner' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'magicHourApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'clone',
				options: [
					{
						name: 'Clone Voice',
						value: 'clone',
						description: 'Speak a text in the voice of a short audio sample. Costs Magic Hour credits per character.',
						action: 'Clone a voice and speak a text',
					},
					{
						name: 'Delete Audio Project',
						value: 'delete',
						description: 'Permanently delete an audio project and its files from Magic Hour',
						action: 'Delete an audio project',
					},
					{
						name: 'Estimate Cost',
						value: 'estimate',
						description:
							'What Clone Voice would charge for a text, and the parts a long text is split into. Sends nothing to Magic Hour: free.',
						action: 'Estimate the cost of a text',
					},
					{
						name: 'Get Audio Project',
						value: 'get',
						description: 'Get the status of an audio project and, once it is ready, its audio. Free.',
						action: 'Get an audio project',
					},
					{
						name: 'Upload Voice Sample',
						value: 'upload',
						description:
							'Put a voice sample into Magic Hour storage for 7 days, to clone from it in many runs (free)',
						action: 'Upload a voice sample',
					},
				],
			},
			...clone.description,
			...get.description,
			...deleteProject.description,
			...upload.description,
			...estimate.description,
		],
	};

	methods = { listSearch: { searchSavedVoices } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
