import { SPEED_RANGE, validateLanguage, validateSpeed } from '../../../../nodes/MagicHour/input/voiceStyle';

import { rejection, testNode as node } from '../../../builders';

describe('validateLanguage: the Language option', () => {
	it.each([undefined, null, '', '  ', 'auto', 'Auto', ' AUTO '])('sends nothing for %p: Magic Hour detects the language', (value) => {
		expect(validateLanguage(node, 0, value)).toBeUndefined();
	});

	it.each([
		['spanish', 'spanish'],
		['Spanish', 'spanish'],
		[' JAPANESE ', 'japanese'],
		['brazilian portuguese', 'brazilian portuguese'],
	])('sends %p as the lowercase name %p', (value, sent) => {
		expect(validateLanguage(node, 0, value)).toBe(sent);
	});

	it.each(['es', 'en-US', 'español', 'english!', 'x'.repeat(41)])('refuses %p as a language name, saying to use its English name', (value) => {
		const error = rejection(() => validateLanguage(node, 3, value));
		expect(error.message).toBe(`"Language" "${value.trim()}" is not the name of a language [item 3]`);
		expect(error.description).toMatch(/English name, such as spanish or japanese \(not a code such as "es"\)/);
	});

	it('refuses a number from an expression', () => {
		const error = rejection(() => validateLanguage(node, 0, 7));
		expect(error.message).toBe('"Language" must be text, but its expression gave a number (7) [item 0]');
	});
});

describe('validateSpeed: the Speed option', () => {
	it.each([undefined, null, ''])('sends nothing for %p', (value) => {
		expect(validateSpeed(node, 0, value)).toBeUndefined();
	});

	it.each([SPEED_RANGE.min, 1, 1.15, SPEED_RANGE.max])('accepts %p, the ends included', (value) => {
		expect(validateSpeed(node, 0, value)).toBe(value);
	});

	it.each([
		[0.74, 'a number (0.74)'],
		[1.31, 'a number (1.31)'],
		[2, 'a number (2)'],
		[Number.NaN, 'a number (NaN)'],
		['1.1', 'a string (1.1)'],
	])('refuses %p before anything is sent, and says the range', (value, described) => {
		const error = rejection(() => validateSpeed(node, 5, value));
		expect(error.message).toBe(`"Speed" must be a number from 0.75 to 1.30, but it is ${described} [item 5]`);
		expect(error.description).toMatch(/^Nothing was sent\. Set "Speed" in the options to a number from 0\.75 to 1\.30/);
	});
});
