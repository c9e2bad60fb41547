import {
	MAX_PROMPT_CHARACTERS,
	countCharacters,
	requireNumber,
	validateAudioFilePath,
	validateAudioUrl,
	validateProjectId,
	validatePrompt,
	validateSavedVoiceId,
} from '../../../../nodes/MagicHour/input/validation';

import { rejection, testNode as node } from '../../../builders';

/** 1 emoji (1 code point, 2 UTF-16 units) + "e" with a combining acute accent (2 code points). */
const EMOJI_AND_ACCENT = '😀e\u0301';

function codePoints(count: number): string {
	const text = EMOJI_AND_ACCENT.repeat(Math.floor(count / 3)) + '😀'.repeat(count % 3);
	expect([...text]).toHaveLength(count);
	return text;
}

describe('validatePrompt: the text the cloned voice speaks', () => {
	it('accepts an ordinary text and reports its length', () => {
		expect(validatePrompt(node, 0, 'Hello there')).toEqual({ prompt: 'Hello there', characters: 11 });
	});

	it('trims whitespace around the text before sending and counting it', () => {
		expect(validatePrompt(node, 0, '  \n Hello \t')).toEqual({ prompt: 'Hello', characters: 5 });
	});

	it('rejects an empty prompt, naming the field and the item, and says how long it may be', () => {
		const error = rejection(() => validatePrompt(node, 3, ''));
		expect(error.message).toBe('"Prompt" is empty [item 3]');
		expect(error.description).toMatch(/1 to 1000 characters/);
		expect(error.context.itemIndex).toBe(3);
	});

	it('rejects a prompt of only whitespace as blank', () => {
		const error = rejection(() => validatePrompt(node, 0, ' \n\t  '));
		expect(error.message).toBe('"Prompt" is blank [item 0]');
		expect(error.description).toMatch(/Give the text the cloned voice should speak/);
	});

	it('accepts exactly 1000 characters', () => {
		expect(validatePrompt(node, 0, 'a'.repeat(MAX_PROMPT_CHARACTERS)).characters).toBe(1000);
	});

	it('rejects 1001 characters, saying how long it is and how to split it', () => {
		const error = rejection(() => validatePrompt(node, 2, 'a'.repeat(1001)));
		expect(error.message).toBe('"Prompt" is 1001 characters long; Magic Hour accepts at most 1000 [item 2]');
		expect(error.description).toMatch(/Shorten the text, or set Options → Long Text to "Split Into Parts and Join the Audio"/);
	});

	it('counts emoji and combining marks as code points, as Magic Hour does, not as UTF-16 units', () => {
		const text = codePoints(1000);
		expect(text.length).toBeGreaterThan(1000);
		expect(validatePrompt(node, 0, text)).toEqual({ prompt: text, characters: 1000 });
		const error = rejection(() => validatePrompt(node, 0, codePoints(1001)));
		expect(error.message).toMatch(/"Prompt" is 1001 characters long/);
	});

	it('counts whitespace inside the text but not around it', () => {
		expect(validatePrompt(node, 0, `   ${'a'.repeat(998)} b   `).characters).toBe(1000);
	});

	it.each([
		['a number', 42, 'a number (42)'],
		['a boolean', true, 'a boolean (true)'],
		['an object', { a: 1 }, 'an object'],
		['a list', ['a'], 'a list'],
	])('rejects %s from an expression and says to return text', (_what, value, shown) => {
		const error = rejection(() => validatePrompt(node, 1, value));
		expect(error.message).toBe(`"Prompt" must be text, but its expression gave ${shown} [item 1]`);
		expect(error.description).toMatch(/Make the expression return text/);
	});

	it.each([null, undefined])('treats %s from an expression as an empty prompt', (value) => {
		expect(rejection(() => validatePrompt(node, 0, value)).message).toBe('"Prompt" is empty [item 0]');
	});

	it('counts characters as code points', () => {
		expect(countCharacters('😀e\u0301')).toBe(3);
		expect(countCharacters('')).toBe(0);
	});
});

describe('validateAudioUrl: a Magic Hour library link', () => {
	const LIBRARY = 'https://magichour.ai/my-library?audioId=cm0abc123';

	it('accepts the library link of audio in the account, without an extension, and gives it back unchanged', () => {
		expect(validateAudioUrl(node, 0, LIBRARY)).toBe(LIBRARY);
		expect(validateAudioUrl(node, 0, ' https://www.magichour.ai/my-library?audioId=cm0_x-9 ')).toBe(
			'https://www.magichour.ai/my-library?audioId=cm0_x-9',
		);
	});

	it.each([
		['a video', 'https://magichour.ai/my-library?videoId=cm0abc123', 'names a video in your Magic Hour library, not audio'],
		['an image', 'https://magichour.ai/my-library?imageId=cm0abc123', 'names an image in your Magic Hour library, not audio'],
		['the library page itself', 'https://magichour.ai/my-library', 'is a Magic Hour link, but not a library link of an audio'],
		['another page of the site', 'https://magichour.ai/create/ai-voice-cloner', 'is a Magic Hour link, but not a library link of an audio'],
		['an id with other characters', 'https://magichour.ai/my-library?audioId=../../v1/account', 'is a Magic Hour link, but not a library link of an audio'],
		['an unencrypted link', 'http://magichour.ai/my-library?audioId=cm0abc123', 'is a Magic Hour link, but not a library link of an audio'],
		['more than the id', 'https://magichour.ai/my-library?audioId=cm0abc123&tab=audio', 'is a Magic Hour link, but not a library link of an audio'],
	])('refuses %s on Magic Hour\'s site, saying what a library link looks like', (_what, url, problem) => {
		const error = rejection(() => validateAudioUrl(node, 2, url));
		expect(error.message).toBe(`"Audio URL" ${problem}: "${url}" [item 2]`);
		expect(error.description).toMatch(/looks like https:\/\/magichour\.ai\/my-library\?audioId=<id>, as Clone Voice and Get Audio Project output it in "library_url"/);
	});

	it('keeps the extension rule for a link of the same form on any other host', () => {
		const error = rejection(() => validateAudioUrl(node, 0, 'https://magichour.ai.example.com/my-library?audioId=cm0abc123'));
		expect(error.message).toMatch(/^"Audio URL" has no file extension/);
	});
});

describe('validateSavedVoiceId: the Saved Voice field', () => {
	it('accepts an id as picked from the list or given By ID, trimmed', () => {
		expect(validateSavedVoiceId(node, 0, ' sv_voice-01 ')).toBe('sv_voice-01');
	});

	it.each([
		['empty', '', '"Saved Voice" is empty [item 1]'],
		['a path', 'saved-items/u/voice.mp3', '"Saved Voice" "saved-items/u/voice.mp3" is not the id of a Magic Hour saved item (letters, digits, "-" and "_" only) [item 1]'],
	])('refuses an id that is %s, and says to pick from the list', (_what, value, message) => {
		const error = rejection(() => validateSavedVoiceId(node, 1, value));
		expect(error.message).toBe(message);
		expect(error.description).toMatch(/Pick a voice from the list in "Saved Voice"/);
	});
});

describe('validateAudioUrl: the public link to the voice sample', () => {
	it.each([
		'https://cdn.example.com/samples/voice.mp3',
		'http://cdn.example.com/samples/voice.wav',
		'https://cdn.example.com/a/b/voice.m4a',
		'https://cdn.example.com/voice.aif',
	])('accepts %s', (url) => {
		expect(validateAudioUrl(node, 0, url)).toBe(url);
	});

	it('accepts a query string after a valid extension', () => {
		const url = 'https://cdn.example.com/voice.mp3?X-Amz-Signature=abc&expires=1';
		expect(validateAudioUrl(node, 0, url)).toBe(url);
	});

	it('accepts an upper-case extension', () => {
		expect(validateAudioUrl(node, 0, 'https://cdn.example.com/VOICE.MP3')).toBe(
			'https://cdn.example.com/VOICE.MP3',
		);
	});

	it('trims whitespace around the link', () => {
		expect(validateAudioUrl(node, 0, '  https://cdn.example.com/voice.ogg \n')).toBe(
			'https://cdn.example.com/voice.ogg',
		);
	});

	it.each([
		['ftp', 'ftp://files.example.com/voice.mp3', 'ftp:'],
		['file', 'file:///home/me/voice.mp3', 'file:'],
		['javascript', 'javascript:alert(1)//.mp3', 'javascript:'],
	])('rejects a %s: link, saying only http and https work', (_scheme, url, protocol) => {
		const error = rejection(() => validateAudioUrl(node, 4, url));
		expect(error.message).toBe(
			`"Audio URL" uses "${protocol}", but Magic Hour can only fetch http and https links [item 4]`,
		);
		expect(error.description).toMatch(/public http\(s\) link/);
	});

	it('rejects a link without a scheme as not a URL', () => {
		const error = rejection(() => validateAudioUrl(node, 0, 'cdn.example.com/voice.mp3'));
		expect(error.message).toBe('"Audio URL" is not a valid URL: "cdn.example.com/voice.mp3" [item 0]');
		expect(error.description).toMatch(/https:\/\/example.com\/voice.mp3/);
	});

	it('rejects a link to a page without a file extension, telling to link to the file itself', () => {
		const error = rejection(() => validateAudioUrl(node, 0, 'https://www.example.com/watch?v=abc'));
		expect(error.message).toBe(
			'"Audio URL" has no file extension, which is not an audio format Magic Hour accepts [item 0]',
		);
		expect(error.description).toMatch(/Link to the file itself/);
		expect(error.description).toMatch(/mp3, wav/);
	});

	it('rejects a link whose extension is not audio, naming the extension', () => {
		const error = rejection(() => validateAudioUrl(node, 0, 'https://cdn.example.com/clip.mp4'));
		expect(error.message).toMatch(/^"Audio URL" ends in "\.mp4", which is not an audio format/);
	});

	it('does not take an extension from the query string', () => {
		const error = rejection(() => validateAudioUrl(node, 0, 'https://cdn.example.com/play?file=voice.mp3'));
		expect(error.message).toMatch(/"Audio URL" has no file extension/);
	});

	it.each([
		['empty', '', '"Audio URL" is empty [item 0]'],
		['blank', '   ', '"Audio URL" is blank [item 0]'],
	])('rejects an %s link', (_what, value, message) => {
		expect(rejection(() => validateAudioUrl(node, 0, value)).message).toBe(message);
	});

	it('rejects a link with broken percent-encoding as a user error, not a crash', () => {
		const error = rejection(() => validateAudioUrl(node, 0, 'https://cdn.example.com/100%25%zz.mp3'));
		expect(error.message).toMatch(/"Audio URL"/);
		expect(error.message).toMatch(/\[item 0\]/);
	});
});

describe('validateAudioFilePath: a file already in Magic Hour storage', () => {
	it('accepts an api-assets path with an audio extension', () => {
		expect(validateAudioFilePath(node, 0, ' api-assets/id/sample.wav ')).toBe('api-assets/id/sample.wav');
	});

	it('rejects a path without an audio extension, listing the accepted formats', () => {
		const error = rejection(() => validateAudioFilePath(node, 1, 'api-assets/id/sample'));
		expect(error.message).toBe(
			'"Magic Hour File Path" has no file extension, which is not an audio format Magic Hour accepts [item 1]',
		);
		expect(error.description).toMatch(/api-assets/);
		expect(error.description).toMatch(/Accepted formats: mp3, wav/);
	});

	it('rejects a path with a non-audio extension', () => {
		expect(rejection(() => validateAudioFilePath(node, 0, 'api-assets/id/image.png')).message).toMatch(
			/"Magic Hour File Path" ends in "\.png"/,
		);
	});

	it('rejects something that looks like a URL and points to the URL source', () => {
		const error = rejection(() => validateAudioFilePath(node, 0, 'https://cdn.example.com/voice.mp3'));
		expect(error.message).toBe('"Magic Hour File Path" looks like a URL [item 0]');
		expect(error.description).toMatch(/Set "Audio Source" to "URL"/);
	});
});

describe('validateProjectId: the id Clone Voice returned', () => {
	it.each(['cm0abc123def456ghi789', 'proj_1', 'a-b_C9'])('accepts %s', (id) => {
		expect(validateProjectId(node, 0, id)).toBe(id);
	});

	it('trims whitespace around the id', () => {
		expect(validateProjectId(node, 0, ' cm0abc123 ')).toBe('cm0abc123');
	});

	it('rejects an empty id and says where the id comes from', () => {
		const error = rejection(() => validateProjectId(node, 2, ''));
		expect(error.message).toBe('"Project ID" is empty [item 2]');
		expect(error.description).toMatch(/\{\{ \$json\.id \}\}/);
	});

	it.each(['../x', 'a/b', 'a?b', 'a#b', 'a b', '%2e%2e'])(
		'rejects "%s", which could steer the request to another endpoint',
		(id) => {
			const error = rejection(() => validateProjectId(node, 1, id));
			expect(error.message).toBe(
				`"Project ID" "${id}" is not a Magic Hour project id (letters, digits, "-" and "_" only) [item 1]`,
			);
			expect(error.description).toMatch(/Clone Voice returned/);
		},
	);

	it('rejects an id longer than 128 characters', () => {
		expect(() => validateProjectId(node, 0, 'a'.repeat(129))).toThrow(/is not a Magic Hour project id/);
	});
});

describe('requireNumber: numeric options', () => {
	it('returns a valid number', () => {
		expect(requireNumber(node, 0, 'Concurrency', 3, { min: 1, integer: true })).toBe(3);
		expect(requireNumber(node, 0, 'Timeout (Seconds)', 0.5, { min: 0, exclusiveMin: true })).toBe(0.5);
		expect(requireNumber(node, 0, 'Credits', 0, { min: 0 })).toBe(0);
	});

	it('rejects a number below the minimum, naming the field and the rule', () => {
		const error = rejection(() => requireNumber(node, 0, 'Concurrency', 0, { min: 1, integer: true }));
		expect(error.message).toBe(
			'"Concurrency" must be a whole number of at least 1, but it is a number (0) [item 0]',
		);
		expect(error.description).toBe('Set "Concurrency" in the node\'s options to a whole number of at least 1.');
	});

	it('rejects the minimum itself when it is exclusive', () => {
		const error = rejection(() => requireNumber(node, 5, 'Timeout (Seconds)', 0, { min: 0, exclusiveMin: true }));
		expect(error.message).toBe('"Timeout (Seconds)" must be a number above 0, but it is a number (0) [item 5]');
	});

	it.each([
		['a fraction where a whole number is needed', 1.5, 'a number (1.5)'],
		['NaN', Number.NaN, 'a number (NaN)'],
		['Infinity', Number.POSITIVE_INFINITY, 'a number (Infinity)'],
		['text', '5', 'a string (5)'],
		['null', null, 'null'],
	])('rejects %s', (_what, value, shown) => {
		const error = rejection(() => requireNumber(node, 0, 'Concurrency', value, { min: 1, integer: true }));
		expect(error.message).toBe(`"Concurrency" must be a whole number of at least 1, but it is ${shown} [item 0]`);
	});
});
