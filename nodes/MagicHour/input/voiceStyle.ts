import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { invalidInput } from '../errors';
import { describeValue } from './validation';

/** Magic Hour's range of `style.speed`, both ends included; 1 is normal speed. */
export const SPEED_RANGE = { min: 0.75, max: 1.3 } as const;

/** How the voice speaks, beyond the text: sent only what was set, so that a run without it sends the request every version of the API takes. */
export interface VoiceStyle {
	/** A lowercase language name; none: Magic Hour detects the language from the text (Auto). */
	language?: string;
	/** A multiplier within SPEED_RANGE. */
	speed?: number;
}

const LANGUAGE_NAME = /^[a-z]{3,}(?:[ -][a-z]+)*$/;
const MAX_LANGUAGE_LENGTH = 40;

const isUnset = (value: unknown) => value === undefined || value === null || value === '';

/** The Language option: a language's English name in lower case, or nothing for Auto. */
export function validateLanguage(node: INode, itemIndex: number, value: unknown): string | undefined {
	const fix =
		'Give the language\'s English name, such as spanish or japanese (not a code such as "es"), or remove the option, or set it to auto, to let Magic Hour detect the language from the text.';
	if (isUnset(value)) return undefined;
	if (typeof value !== 'string') {
		throw invalidInput(node, itemIndex, `"Language" must be text, but its expression gave ${describeValue(value)}`, fix);
	}
	const language = value.trim().toLowerCase();
	if (language === '' || language === 'auto') return undefined;
	if (language.length > MAX_LANGUAGE_LENGTH || !LANGUAGE_NAME.test(language)) {
		throw invalidInput(node, itemIndex, `"Language" "${value.trim()}" is not the name of a language`, fix);
	}
	return language;
}

const twoDecimals = (value: number) => value.toFixed(2);

/** The Speed option, checked against Magic Hour's range, whether typed or given by an expression. */
export function validateSpeed(node: INode, itemIndex: number, value: unknown): number | undefined {
	if (isUnset(value)) return undefined;
	const { min, max } = SPEED_RANGE;
	const range = `from ${twoDecimals(min)} to ${twoDecimals(max)}`;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
		throw invalidInput(
			node,
			itemIndex,
			`"Speed" must be a number ${range}, but it is ${describeValue(value)}`,
			`Nothing was sent. Set "Speed" in the options to a number ${range}: ${twoDecimals(min)} is the slowest, 1 normal speed, ${twoDecimals(max)} the fastest.`,
		);
	}
	return value;
}

/** The item's Language and Speed options. Sends nothing. */
export function readVoiceStyle(ctx: IExecuteFunctions, itemIndex: number): VoiceStyle {
	const node = ctx.getNode();
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const language = validateLanguage(node, itemIndex, options.language);
	const speed = validateSpeed(node, itemIndex, options.speed);
	return { ...(language ? { language } : {}), ...(speed !== undefined ? { speed } : {}) };
}
