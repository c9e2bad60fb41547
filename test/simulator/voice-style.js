// @ts-check
'use strict';

/**
 * The newer fields of the voice cloner's `style`, as Magic Hour's newest SDK describes them:
 * `language` (a lowercase language name, or auto; default auto) and `speed` (0.75 to 1.30 inclusive;
 * default 1). The languages accepted here are those Magic Hour's voice tools list (changelog of
 * 2026-04-01); the API's own list may hold more. A speed makes the rendered audio shorter or longer.
 */

const LANGUAGES = ['auto', 'chinese', 'english', 'japanese', 'korean', 'german', 'french', 'russian', 'portuguese', 'spanish', 'italian'];
const SPEED = { min: 0.75, max: 1.3 };

/**
 * Checks `style.language` and `style.speed` when present.
 * @param {Record<string, unknown>} style
 * @returns {string | undefined} the 400 message, if any
 */
function styleProblem(style) {
	const { language, speed } = style;
	if (language !== undefined && (typeof language !== 'string' || !LANGUAGES.includes(language))) {
		return `style.language must be one of: ${LANGUAGES.join(', ')}`;
	}
	if (speed !== undefined && (typeof speed !== 'number' || !Number.isFinite(speed) || speed < SPEED.min || speed > SPEED.max)) {
		return 'style.speed must be a number from 0.75 to 1.30';
	}
	return undefined;
}

/**
 * How fast the audio is spoken: 1 unless `style.speed` says otherwise.
 * @param {Record<string, unknown>} style
 */
const speedOf = (style) => (typeof style.speed === 'number' ? style.speed : 1);

module.exports = { LANGUAGES, SPEED, styleProblem, speedOf };
