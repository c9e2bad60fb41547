'use strict';
// @ts-check
/**
 * Plain English prose of an exact length, for long-text tests, the real-n8n suite and the
 * benchmarks: sentences of different lengths and marks, cycled, ending with a full stop.
 */

const SENTENCES = [
	'Welcome to the channel, and thank you for being here today.',
	'In this video we look at how a small team ships a product every week without burning out.',
	'Why does that matter?',
	'Because speed without rest is not a plan, it is a countdown!',
	'First, we write down what we want to learn from the week, in one sentence, before anyone opens an editor.',
	'Then we cut the work into pieces that each fit in a day; anything bigger gets split again.',
	'Nobody merges alone.',
	'Reviews happen before lunch, so that the afternoon is free for deep work and for the surprises that always come.',
	'On Friday we demo what is done, not what is almost done.',
	'It sounds simple, and it is, but simple is not the same as easy.',
];

/**
 * Prose of exactly `characters` Unicode code points.
 * @param {number} characters
 * @returns {string}
 */
function prose(characters) {
	let text = '';
	for (let index = 0; [...text].length < characters; index++) text += `${SENTENCES[index % SENTENCES.length]} `;
	return `${[...text].slice(0, characters - 1).join('').replace(/\s$/, 'o')}.`;
}

/** @param {number} a @param {number} b @returns {number} */
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));

/**
 * `count` distinct lines whose lengths spread evenly from `shortest` to `longest` code points, in a
 * mixed order (a stride through the lengths), so that any run of consecutive lines has short and long
 * ones: a batch whose render times grow with the prompt.
 * @param {number} count @param {number} shortest @param {number} longest
 * @returns {string[]}
 */
function lines(count, shortest, longest) {
	const stride = [7, 11, 13, 17].find((candidate) => gcd(candidate, count) === 1) ?? 1;
	return Array.from({ length: count }, (_, index) => {
		const rank = count > 1 ? ((index * stride) % count) / (count - 1) : 0;
		const label = `Line ${index + 1}. `;
		return label + prose(Math.round(shortest + (longest - shortest) * rank) - label.length);
	});
}

module.exports = { prose, lines };
