import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readSpokenText } from '../input/prompt';
import type { SpokenText } from '../input/prompt';
import { costOptions, optionsCollection, promptProperty } from './common.description';

const properties: INodeProperties[] = [promptProperty, optionsCollection(costOptions)];

export const description = updateDisplayOptions({ show: { operation: ['estimate'] } }, properties);

export interface EstimateInput {
	text: SpokenText;
}

/** Reads the prompt exactly as Clone Voice does: a text Clone Voice would refuse fails here too. */
export async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<EstimateInput> {
	return { text: readSpokenText(ctx, itemIndex) };
}

/**
 * What Clone Voice would charge for the prompt at the rate set, and the parts a long text would be
 * split into. Sends no request to Magic Hour: free.
 */
export async function execute(_run: unknown, input: EstimateInput): Promise<INodeExecutionData> {
	const { characters, rate, estimatedCredits, parts } = input.text;
	return {
		json: {
			prompt_characters: characters,
			credits_per_character: rate,
			estimated_credits: estimatedCredits,
			parts: parts
				? parts.map((part) => ({ characters: part.characters, estimated_credits: part.estimatedCredits }))
				: [{ characters, estimated_credits: estimatedCredits }],
		},
	};
}
