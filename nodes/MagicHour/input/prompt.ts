import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { splitText } from '../longText/textParts';
import { DEFAULTS } from './settings';
import { countCharacters, MAX_PROMPT_CHARACTERS, requireNumber, validatePrompt } from './validation';

/** ceil(characters × rate), without float noise turning 1000 × 0.05 into 51. */
export function estimateCredits(characters: number, rate: number): number {
	return Math.ceil(Number((characters * rate).toFixed(6)));
}

/** One part of a long text, as cloned on its own. */
export interface TextPart {
	text: string;
	characters: number;
	estimatedCredits: number;
}

/** The parts of a prompt over the limit of one clone, each with its estimate. */
function planParts(prompt: string, estimate: (characters: number) => number): TextPart[] {
	return splitText(prompt, MAX_PROMPT_CHARACTERS).map((text) => {
		const characters = countCharacters(text);
		return { text, characters, estimatedCredits: estimate(characters) };
	});
}

/** The text to speak, as Clone Voice sends it, and what it is estimated to cost. */
export interface SpokenText {
	prompt: string;
	/** Unicode code points, as Magic Hour counts and charges them. */
	characters: number;
	/** Credits per character of the estimate (Credits per Character (Estimate)). */
	rate: number;
	estimatedCredits: number;
	/** With Long Text = Split and a prompt over 1000 characters: the parts, one create each. */
	parts?: TextPart[];
}

/**
 * Reads and checks an item's prompt with the options that decide its cost (Long Text, Max
 * Characters, Credits per Character): the same for Clone Voice and for Estimate Cost. Sends nothing.
 */
export function readSpokenText(ctx: IExecuteFunctions, itemIndex: number): SpokenText {
	const node = ctx.getNode();
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const split =
		options.longText === 'split'
			? {
					maxCharacters: requireNumber(node, itemIndex, 'Max Characters', options.maxCharacters ?? DEFAULTS.maxCharacters, {
						min: 1,
						integer: true,
					}),
				}
			: undefined;
	const { prompt, characters } = validatePrompt(node, itemIndex, ctx.getNodeParameter('prompt', itemIndex), split);
	const rate = requireNumber(
		node,
		itemIndex,
		'Credits per Character (Estimate)',
		options.creditsPerCharacter ?? DEFAULTS.creditsPerCharacter,
		{ min: 0 },
	);
	const parts =
		characters > MAX_PROMPT_CHARACTERS ? planParts(prompt, (count) => estimateCredits(count, rate)) : undefined;
	const estimatedCredits = parts
		? parts.reduce((sum, part) => sum + part.estimatedCredits, 0)
		: estimateCredits(characters, rate);
	return { prompt, characters, rate, estimatedCredits, parts };
}
