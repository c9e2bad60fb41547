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

module.exports = { prose };
