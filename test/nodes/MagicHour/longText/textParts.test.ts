import { splitText } from '../../../../nodes/MagicHour/longText/textParts';

import { longProse } from '../../../builders';

const length = (text: string) => [...text].length;

/**
 * What every split must keep: parts that are not empty, have no whitespace at their ends, fit the
 * limit, and give back the text when put together with the whitespace that was at the cuts.
 */
function expectFaithful(text: string, parts: string[], max: number): void {
	let position = text.length - text.trimStart().length;
	for (const part of parts) {
		expect(part.length).toBeGreaterThan(0);
		expect(part).toBe(part.trim());
		expect(length(part)).toBeLessThanOrEqual(max);
		const gap = text.slice(position).length - text.slice(position).trimStart().length;
		expect(text.startsWith(part, position + gap)).toBe(true);
		position += gap + part.length;
	}
	expect(text.slice(position).trim()).toBe('');
}

function split(text: string, max: number): string[] {
	const parts = splitText(text, max);
	expectFaithful(text, parts, max);
	return parts;
}

describe('splitText: parts of a long text, cut where a speaker pauses', () => {
	it('keeps a text that fits as one part, trimmed', () => {
		expect(split('  Hello there.  ', 1000)).toEqual(['Hello there.']);
		const exactly = 'x'.repeat(1000);
		expect(split(exactly, 1000)).toEqual([exactly]);
	});

	describe('prose', () => {
		it('cuts 2,500 characters of prose into 3 parts, each at the last sentence end that fits', () => {
			const text = longProse(2500);
			const parts = split(text, 1000);
			expect(parts).toHaveLength(3);
			let rest = text;
			for (const part of parts.slice(0, -1)) {
				expect(part).toMatch(/[.!?]$/);
				rest = rest.slice(rest.indexOf(part) + part.length).trimStart();
				const nextSentence = /^.*?[.!?](\s|$)/s.exec(rest)![0].trimEnd();
				// The next sentence would not have fitted: the cut is the last possible one.
				expect(length(part) + 1 + length(nextSentence)).toBeGreaterThan(1000);
			}
		});

		it('cuts after the whole mark and the closing quote, not inside "?!" or before the quote', () => {
			expect(split('He asked "Why?!" Then he left the room.', 22)).toEqual(['He asked "Why?!"', 'Then he left the room.']);
			expect(split('She paused… and went on talking.', 20)).toEqual(['She paused…', 'and went on talking.']);
		});

		it('does not take a dot inside a number or a link for a sentence end', () => {
			expect(split('Pi is 3.14159 and example.com is a site', 22)).toEqual(['Pi is 3.14159 and', 'example.com is a site']);
		});

		it('falls back to a clause break when no sentence ends in reach', () => {
			expect(split('We came, we saw, and then we left for home', 25)).toEqual(['We came, we saw,', 'and then we left for home']);
			expect(split('First line\nsecond line goes on and on', 26)).toEqual(['First line', 'second line goes on and on']);
		});

		it('does not take a comma inside a number for a clause break', () => {
			expect(split('It cost 1,000,000 dollars in all', 14)).toEqual(['It cost', '1,000,000', 'dollars in all']);
		});

		it('falls back to the last space when there is no punctuation', () => {
			expect(split('one two three four five six seven', 15)).toEqual(['one two three', 'four five six', 'seven']);
		});

		it('drops the whitespace at a cut, however much there is, and never makes an empty part', () => {
			expect(split(`A.${' '.repeat(1500)}\n\n  B.`, 1000)).toEqual(['A.', 'B.']);
			expect(split('Yes. \t\n No.', 5)).toEqual(['Yes.', 'No.']);
		});
	});

	describe('CJK', () => {
		it('cuts after 。！？ without needing a space', () => {
			expect(split('今日は晴れです。明日は雨でしょう！どうしますか？', 10)).toEqual(['今日は晴れです。', '明日は雨でしょう！', 'どうしますか？']);
			expect(split('他说：「好的。」然后走了。', 8)).toEqual(['他说：「好的。」', '然后走了。']);
		});

		it('cuts after a CJK comma when no sentence ends in reach', () => {
			expect(split('我们来了，我们看见了，然后回家', 11)).toEqual(['我们来了，我们看见了，', '然后回家']);
		});

		it('cuts 2,500 characters of Japanese into parts that end with 。', () => {
			const sentence = '東京の空は今日もとても青くて、とても気持ちがいいです。';
			const text = sentence.repeat(Math.ceil(2500 / length(sentence)));
			const parts = split(text, 1000);
			expect(parts).toHaveLength(3);
			expect(parts.every((part) => part.endsWith('。'))).toBe(true);
		});

		it('without any punctuation, cuts between words, not inside one', () => {
			// 1 + 150 × 10 code points: a cut after exactly 1000 would fall inside "ます".
			const text = `あ${'東京都に住んでいます'.repeat(150)}`;
			const parts = split(text, 1000);
			expect(parts.map(length)).toEqual([999, 502]);
			expect(parts[1].startsWith('ます')).toBe(true);
			// Thai has no spaces either: 60 × 27 code points, cut after a word.
			expect(split('ข้อความภาษาไทยไม่มีช่องว่าง'.repeat(60), 1000).map(length)).toEqual([999, 621]);
		});
	});

	describe('emoji', () => {
		it('counts an emoji as one character, as Magic Hour does', () => {
			const text = `${'😀 '.repeat(499)}😀😀`; // 1000 code points, 2000 UTF-16 units
			expect(split(text, 1000)).toEqual([text]);
		});

		it('cuts prose with emoji at sentence ends', () => {
			const text = 'Great news 🎉! We did it 💪. Thanks all 🙏.';
			expect(split(text, 16)).toEqual(['Great news 🎉!', 'We did it 💪.', 'Thanks all 🙏.']);
		});

		it('never cuts inside an emoji made of several code points', () => {
			const family = '👨‍👩‍👧'; // 5 code points joined by zero-width joiners
			const text = `x${family.repeat(300)}`; // 1501 code points, no space
			const parts = split(text, 1000);
			expect(parts.map(length)).toEqual([996, 505]);
			expect(parts[1].startsWith(family)).toBe(true);
		});
	});

	it('cuts a single 1,500-character word in the middle, as a last resort', () => {
		const word = 'Donaudampfschifffahrtsgesellschaftskapitän'.repeat(36).slice(0, 1500);
		const parts = split(word, 1000);
		expect(parts).toEqual([word.slice(0, 1000), word.slice(1000)]);
	});

	it('prefers a sentence end over a later clause break or space', () => {
		expect(split('Short one. Then a long clause, with more words', 40)).toEqual(['Short one.', 'Then a long clause, with more words']);
	});

	it('refuses a limit that is not a whole number of at least 1', () => {
		expect(() => splitText('abc', 0)).toThrow(RangeError);
		expect(() => splitText('abc', 2.5)).toThrow(RangeError);
	});
});
