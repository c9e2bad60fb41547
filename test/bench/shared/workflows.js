'use strict';
// @ts-check
/**
 * Workflow and parameter builders that several scenarios share, on top of the toolkit's builders
 * (test/n8n/workflows.js). What only one scenario uses is in its own file.
 */
const wf = require('../../n8n/workflows');

/** Name of the cloner node of the Concurrency 1 variants (scenarios 2 and 7). */
const SEQ_NODE_NAME = 'Voice Cloner Sequential';

/**
 * A Code node making `count` items: `name`, a URL sample (`audio`, one of ten) and a distinct line (`text`).
 * @param {number} count
 */
function itemsCode(count) {
	return wf.code(
		'Items',
		`return Array.from({ length: ${count} }, (_, i) => ({ json: { name: 'Bench ' + (i + 1), audio: 'https://cdn.example.com/voices/voice-' + (i % 10) + '.mp3', text: 'Line number ' + (i + 1) + ' spoken by the benchmark.' } }));`,
	);
}

/** Our node's parameters for a clone of the item's `text` from the URL sample in its `audio`. */
const urlClone = {
	operation: 'clone',
	audioSource: 'url',
	audioUrl: '={{ $json.audio }}',
	prompt: '={{ $json.text }}',
	name: '={{ $json.name }}',
};

/**
 * Manual Trigger → `itemsCode(count)` → our node cloning each item's line from its URL sample: `urlClone` and
 * `parameters`, node `options` as `voiceCloner` takes them.
 * @param {string} id @param {string} name @param {number} count @param {Record<string, unknown>} parameters
 * @param {{ name?: string }} [options]
 */
function cloneItemsWorkflow(id, name, count, parameters, options) {
	return wf.chain(id, name, [wf.manualTrigger(), itemsCode(count), wf.voiceCloner({ ...urlClone, ...parameters }, options)]);
}

/**
 * n8n's HTTP Request node (version 4.5) with these parameters.
 * @param {string} id @param {string} name @param {Record<string, unknown>} parameters
 */
function httpRequestNode(id, name, parameters) {
	return { id, name, type: 'n8n-nodes-base.httpRequest', typeVersion: 4.5, position: [660, 300], parameters };
}

/** n8n's Read/Write Files from Disk reading `filePath` into binary `data`, named "Read Sample". @param {string} filePath */
const readFileNode = (filePath) => wf.readFile(filePath, 'Read Sample');

module.exports = { SEQ_NODE_NAME, itemsCode, urlClone, cloneItemsWorkflow, httpRequestNode, readFileNode };
