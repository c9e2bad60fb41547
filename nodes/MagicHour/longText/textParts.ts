/**
 * Splits a text too long for one clone into parts Magic Hour accepts, cutting where a speaker
 * would pause. Lengths are Unicode code points, the unit Magic Hour counts and charges by.
 */

/** Sentence ends; the wide forms end a sentence even with no space after them (CJK). */
const SENTENCE_END = /[.!?…。！？｡．‼⁇⁈⁉]/u;
const WIDE_SENTENCE_END = /[。！？｡．]/u;
/** Quotes and brackets that close a sentence: the cut goes after them. */
const CLOSER = /["'”’»)\]}」』）》〉】〕〗〙〛]/u;
/** Clause marks that need a space after them to count ("1,000" and "12:30" are not clauses)… */
const CLAUSE_MARK = /[,;:]/u;
/** …and those that do not: CJK commas, colons and semicolons, and dashes. */
const WIDE_CLAUSE_MARK = /[，、；：—–]/u;
const SPACE = /\s/u;
const NO_SPACE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

const LINE_BREAK = /[\n\r\u2028\u2029]/u;

/** How good a cut is, best first. */
const Cut = { Sentence: 0, Clause: 1, Space: 2, Anywhere: 3 } as const;
type CutKind = (typeof Cut)[keyof typeof Cut];

/**
 * The parts of `text`, each at most `maxCharacters` code points, in order. A cut falls at the last
 * sentence end that fits, else the last clause break, else the last space, and only as a last
 * resort inside a word (at a word boundary the runtime knows, else between characters).
 * Whitespace at each cut is dropped, so no part starts or ends with whitespace and none is empty;
 * put back together with that whitespace, the parts are the text.
 */
export function splitText(text: string, maxCharacters: number): string[] {
	if (!Number.isInteger(maxCharacters) || maxCharacters < 1) {
		throw new RangeError(`maxCharacters must be a whole number of at least 1, not ${maxCharacters}`);
	}
	const parts: string[] = [];
	let rest = [...text.trim()];
	while (rest.length > maxCharacters) {
		const cut = bestCut(rest, maxCharacters);
		parts.push(rest.slice(0, cut).join('').trimEnd());
		rest = [...rest.slice(cut).join('').trimStart()];
	}
	if (rest.length > 0) parts.push(rest.join(''));
	return parts;
}

/** Where to end the next part: a count of code points in 1..limit, taken from the best kind of cut. */
function bestCut(points: string[], limit: number): number {
	let best: { at: number; kind: CutKind } = { at: limit, kind: Cut.Anywhere };
	for (let at = limit; at >= 1 && best.kind > Cut.Sentence; at--) {
		const kind = kindOfCut(points, at);
		if (kind !== undefined && kind < best.kind) best = { at, kind };
	}
	if (best.kind !== Cut.Anywhere) return best.at;
	return lastBoundary(points, limit, 'word') ?? lastBoundary(points, limit, 'grapheme') ?? limit;
}

/** What kind of cut lies between points[at - 1] and points[at], if it is a good place at all. */
function kindOfCut(points: string[], at: number): CutKind | undefined {
	const before = points[at - 1];
	const after = points[at];
	if (SPACE.test(before)) return undefined;
	const spaceAfter = SPACE.test(after);
	if (endsSentence(points, at)) return Cut.Sentence;
	if (WIDE_CLAUSE_MARK.test(before) || (CLAUSE_MARK.test(before) && spaceAfter) || LINE_BREAK.test(after)) {
		return Cut.Clause;
	}
	return spaceAfter ? Cut.Space : undefined;
}

/** True when points[0..at) ends with a sentence end (and its closing quotes) and a new sentence may follow. */
function endsSentence(points: string[], at: number): boolean {
	const after = points[at];
	if (SENTENCE_END.test(after) || CLOSER.test(after)) return false;
	let last = at - 1;
	while (last > 0 && CLOSER.test(points[last])) last--;
	const mark = points[last];
	if (!SENTENCE_END.test(mark)) return false;
	return SPACE.test(after) || WIDE_SENTENCE_END.test(mark) || NO_SPACE_SCRIPT.test(after);
}

/** The last boundary of the given granularity at or before `limit`, in code points; none at 0. */
function lastBoundary(points: string[], limit: number, granularity: 'word' | 'grapheme'): number | undefined {
	if (typeof Intl.Segmenter !== 'function') return undefined;
	// A segment may run past the limit, so look a little beyond it.
	const window = points.slice(0, limit + 64).join('');
	let offset = 0;
	let found: number | undefined;
	for (const { segment } of new Intl.Segmenter(undefined, { granularity }).segment(window)) {
		if (offset > 0 && offset <= limit) found = offset;
		offset += [...segment].length;
		if (offset > limit) break;
	}
	return found;
}
