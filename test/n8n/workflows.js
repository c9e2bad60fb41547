'use strict';
// @ts-check
/** Builders for the workflows the real-n8n suite, the demo and the benchmarks import into n8n. */
const fs = require('node:fs');
const path = require('node:path');

const { NODE_TYPE, PACKAGE_NAME } = require('./n8n-runner');

const CREDENTIAL = { id: 'mhSimulatorCred01', name: 'Magic Hour account' };
const NODE_NAME = 'Magic Hour Voice Cloner';
/** A voice sample URL the simulator accepts (it never fetches it). */
const SAMPLE_URL = 'https://cdn.example.com/voice.mp3';
/** The example workflows users import (the README and docs/recipes.md link them). */
const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');
/**
 * Every file of examples/, by the builder below through which the real-n8n suite (test/e2e) runs it;
 * test/docs/examples.test.ts checks that this lists them all and that the suite calls each builder.
 */
const EXAMPLE_FILES = {
	exampleWithAudioCheck: 'clone-voice.json',
	uploadOnceExample: 'upload-once.json',
	longTextExample: 'long-text.json',
	estimateThenDecideExample: 'estimate-then-decide.json',
	asyncStartExample: 'fire-and-forget-start.json',
	asyncCollectExample: 'fire-and-forget-collect.json',
	savedVoiceExample: 'saved-voice.json',
};
/** The fire-and-forget recipe: the trigger node of its collecting workflow. */
const TRIGGER_NAME = 'Magic Hour Trigger';

/**
 * One of the example workflows as a user imports it, then given the suites' credential: the examples
 * carry none, so that a user picks their own.
 * @param {string} file
 */
function readExample(file) {
	const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
	const ours = (/** @type {{ type: string }} */ node) => node.type.startsWith(`${PACKAGE_NAME}.`);
	return {
		...workflow,
		nodes: workflow.nodes.map((/** @type {{ type: string }} */ node) => (ours(node) ? { ...node, credentials: { magicHourApi: CREDENTIAL } } : node)),
	};
}

/**
 * An example with the parameters of some nodes replaced, as a suite sets what the user would set.
 * @param {{ nodes: Array<{ name: string, parameters: object }> }} workflow @param {Record<string, object>} parameters by node name
 */
function withParameters(workflow, parameters) {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) => (parameters[node.name] ? { ...node, parameters: { ...node.parameters, ...parameters[node.name] } } : node)),
	};
}

let position = 0;
const at = () => [(position += 220), 300];

function manualTrigger() {
	return { id: 'trigger', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: at(), parameters: {} };
}

/** @param {string} name @param {string} jsCode */
function code(name, jsCode) {
	return { id: name, name, type: 'n8n-nodes-base.code', typeVersion: 2, position: at(), parameters: { jsCode } };
}

/**
 * @param {Record<string, unknown>} parameters
 * @param {{ continueOnFail?: boolean, errorOutput?: boolean, name?: string }} [options]
 *   `errorOutput`: failed items leave by a second output (*On Error → Continue (using error output)*)
 */
function voiceCloner(parameters, options = {}) {
	const name = options.name ?? NODE_NAME;
	return {
		id: name === NODE_NAME ? 'voiceCloner' : name,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: at(),
		parameters,
		credentials: { magicHourApi: CREDENTIAL },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		...(options.errorOutput ? { onError: 'continueErrorOutput' } : {}),
	};
}

/** n8n's Read/Write Files from Disk reading one file into binary `data`. @param {string} filePath */
function readFile(filePath, name = 'Read Voice Sample') {
	return {
		id: 'readFile',
		name,
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1.1,
		position: at(),
		parameters: { operation: 'read', fileSelector: filePath, options: {} },
	};
}

/** Base64 text in `sourceProperty` → a binary file, as a user turns any data into a file. */
function convertToFile(sourceProperty, fileName, mimeType) {
	return {
		id: 'toFile',
		name: 'Voice Sample File',
		type: 'n8n-nodes-base.convertToFile',
		typeVersion: 1.1,
		position: at(),
		parameters: { operation: 'toBinary', sourceProperty, binaryPropertyName: 'data', options: { fileName, mimeType } },
	};
}

/** The cloned audio back to base64 JSON, so the suite can check the bytes n8n stored. */
function audioAsBase64() {
	return {
		id: 'extract',
		name: 'Audio as Base64',
		type: 'n8n-nodes-base.extractFromFile',
		typeVersion: 1.1,
		position: at(),
		parameters: { operation: 'binaryToPropery', binaryPropertyName: 'data', destinationKey: 'audio_base64' },
	};
}

/**
 * @param {string} id at most 21 characters
 * @param {string} name
 * @param {Array<{ name: string }>} nodes connected one after another
 */
function chain(id, name, nodes) {
	/** @type {Record<string, unknown>} */
	const connections = {};
	for (let index = 0; index + 1 < nodes.length; index++) {
		connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	position = 0;
	return { id, name, nodes, connections, active: false, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** The quick-start example: Manual Trigger → Texts → Magic Hour Voice Cloner. */
function exampleWorkflow() {
	return readExample(EXAMPLE_FILES.exampleWithAudioCheck);
}

/** The fire-and-forget recipe, workflow 1: Manual Trigger → Lines → Start Voice Clones (Wait off). */
function asyncStartExample() {
	return readExample(EXAMPLE_FILES.asyncStartExample);
}

/** The fire-and-forget recipe, workflow 2: Magic Hour Trigger → Audio Ready? → Use the Audio / No Audio. */
function asyncCollectExample() {
	return readExample(EXAMPLE_FILES.asyncCollectExample);
}

/**
 * A workflow with one more node after `after`, *Audio as Base64*, that turns the audio into base64 JSON: the
 * bytes a later node reads, for checking.
 * @param {{ nodes: any[], connections: Record<string, unknown> }} workflow @param {string} after @param {number[]} position
 */
function withAudioCheck(workflow, after, position) {
	const extract = { ...audioAsBase64(), position };
	return {
		...workflow,
		nodes: [...workflow.nodes, extract],
		connections: { ...workflow.connections, [after]: { main: [[{ node: extract.name, type: 'main', index: 0 }]] } },
	};
}

/** The example with one more node that turns the audio into base64 JSON for checking. */
function exampleWithAudioCheck() {
	return { ...withAudioCheck(exampleWorkflow(), NODE_NAME, [900, 300]), id: 'e2eExample' };
}

/** The collecting example of the fire-and-forget recipe, *Audio as Base64* after "Use the Audio". */
function asyncCollectWithAudioCheck() {
	return withAudioCheck(asyncCollectExample(), 'Use the Audio', [720, 200]);
}

/**
 * The upload-once recipe (Read Voice Sample → Upload Voice Sample → Lines → Clone Voice), reading
 * `samplePath` instead of the user's file.
 * @param {string} samplePath
 */
function uploadOnceExample(samplePath) {
	return { ...withParameters(readExample(EXAMPLE_FILES.uploadOnceExample), { 'Read Voice Sample': { fileSelector: samplePath } }), id: 'e2eUploadOnce' };
}

/** The long-text recipe (Script → Clone Voice with Long Text = Split), *Audio as Base64* after it. */
function longTextExample() {
	return { ...withAudioCheck(readExample(EXAMPLE_FILES.longTextExample), 'Clone Voice', [660, 420]), id: 'e2eLongText' };
}

/**
 * The "Estimate, then decide" recipe (Texts → Scripts → Estimate Cost → Within Limit → Clone Voice), with
 * `texts` in *Texts* instead of the user's.
 * @param {string[]} texts
 */
function estimateThenDecideExample(texts) {
	const jsCode = `return ${JSON.stringify(texts)}.map((text) => ({ json: { text, sampleUrl: ${JSON.stringify(SAMPLE_URL)} } }));`;
	return { ...withParameters(readExample(EXAMPLE_FILES.estimateThenDecideExample), { Texts: { jsCode } }), id: 'e2eEstimateFirst' };
}

/**
 * One sample read from disk, three lines that all carry it (as a Code node passes a binary on),
 * cloned with Audio Source = Binary File.
 * @param {string} samplePath
 */
function sharedBinarySampleWorkflow(samplePath) {
	return chain('e2eSharedSample', 'E2E one binary sample, three lines', [
		manualTrigger(),
		readFile(samplePath),
		code(
			'Lines',
			"const voice = $('Read Voice Sample').first().binary;\nreturn ['First line.', 'Second line.', 'Third line.'].map((text) => ({ json: { text }, binary: voice }));",
		),
		voiceCloner({ operation: 'clone', audioSource: 'binary', binaryPropertyName: 'data', prompt: '={{ $json.text }}', waitForCompletion: false }),
	]);
}

// ---------------------------------------------------------------------------------------------
// Workflows that run in an n8n server (`n8n start`, queue mode): started by a webhook or a schedule.

/** @param {string} path production webhook `POST /webhook/<path>`, answered by a Respond to Webhook node */
function webhookTrigger(path) {
	// A production webhook needs a webhookId; derive a stable UUID-shaped one from the path.
	const hex = Buffer.from(path.padEnd(16, '_').slice(0, 16)).toString('hex');
	const webhookId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
	return {
		id: 'webhook',
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId,
		position: at(),
		parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
	};
}

/** Answers the webhook call with the item's binary (the cloned audio), its MIME type as Content-Type. */
function respondWithAudio() {
	return {
		id: 'respondAudio',
		name: 'Respond with Audio',
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.4,
		position: at(),
		parameters: { respondWith: 'binary', responseDataSource: 'automatically', options: {} },
	};
}

/** Answers 400 with the node's error and what to do, for items that left by the error output (`{ error, details }`). */
function respondWithError() {
	return {
		id: 'respondError',
		name: 'Respond with Error',
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.4,
		position: at(),
		parameters: {
			respondWith: 'json',
			responseBody: '={{ { error: $json.error, description: $json.details?.error_description, project_id: $json.details?.id } }}',
			options: { responseCode: 400 },
		},
	};
}

/**
 * Webhook → … → Magic Hour Voice Cloner ─┬─ success → Respond with Audio
 *                                         └─ error   → Respond with Error (400)
 * @param {string} id @param {string} name @param {Array<{ name: string }>} before nodes from the webhook to the cloner
 * @param {ReturnType<typeof voiceCloner>} cloner
 */
function webhookToAudio(id, name, before, cloner) {
	const audio = respondWithAudio();
	const error = respondWithError();
	const workflow = chain(id, name, [...before, cloner, audio]);
	workflow.nodes.push(error);
	/** @type {any} */ (workflow.connections)[cloner.name] = {
		main: [[{ node: audio.name, type: 'main', index: 0 }], [{ node: error.name, type: 'main', index: 0 }]],
	};
	return workflow;
}

/**
 * `POST /webhook/<path>` with `{ text, sample_url, name }` → the text spoken in the voice of the sample at
 * `sample_url`, answered as the audio file itself; a failure is answered 400 with `{ error, description }`.
 * @param {string} id @param {string} [path]
 */
function webhookCloneWorkflow(id, path = 'clone') {
	return webhookToAudio(id, `Clone by webhook (${path})`, [webhookTrigger(path)], voiceCloner(
		{
			operation: 'clone',
			audioSource: 'url',
			audioUrl: '={{ $json.body.sample_url }}',
			prompt: '={{ $json.body.text }}',
			name: '={{ $json.body.name }}',
			waitForCompletion: true,
		},
		{ errorOutput: true },
	));
}

/**
 * `POST /webhook/<path>` with `{ text, sample_base64, name }`: Convert to File turns the base64 into a binary
 * (stored in n8n's binary data store), which the cloner uploads as the sample.
 * @param {string} id @param {string} [path]
 */
function webhookBinarySampleWorkflow(id, path = 'clone-sample') {
	return webhookToAudio(id, `Clone a posted sample (${path})`, [webhookTrigger(path), convertToFile('body.sample_base64', 'my-voice.wav', 'audio/wav')], voiceCloner(
		{
			operation: 'clone',
			audioSource: 'binary',
			binaryPropertyName: 'data',
			prompt: "={{ $('Webhook').item.json.body.text }}",
			name: "={{ $('Webhook').item.json.body.name }}",
			waitForCompletion: true,
		},
		{ errorOutput: true },
	));
}

/**
 * `POST /webhook/<path>` with `{ project_id }` → Get Audio Project (free, waits) → the audio: how a user collects
 * a paid job whose execution was lost.
 * @param {string} id @param {string} [path]
 */
function webhookCollectWorkflow(id, path = 'collect') {
	return webhookToAudio(id, `Collect a project's audio (${path})`, [webhookTrigger(path)], voiceCloner(
		{ operation: 'get', projectId: '={{ $json.body.project_id }}', waitForCompletion: true },
		{ errorOutput: true },
	));
}

/**
 * Like `webhookCloneWorkflow`, in two steps: *Start Render* (Clone Voice, Wait for Completion off) → *Collect
 * Audio* (Get Audio Project, waits), with the workflow setting *Save Execution Progress* on, so the job id is
 * in n8n's execution record as soon as the first step is done.
 * @param {string} id @param {string} [path]
 */
function webhookTwoStepWorkflow(id, path = 'clone-two-step') {
	const start = voiceCloner(
		{ operation: 'clone', audioSource: 'url', audioUrl: '={{ $json.body.sample_url }}', prompt: '={{ $json.body.text }}', name: '={{ $json.body.name }}', waitForCompletion: false },
		{ name: 'Start Render', errorOutput: true },
	);
	const collect = voiceCloner({ operation: 'get', projectId: '={{ $json.id }}', waitForCompletion: true }, { name: 'Collect Audio', errorOutput: true });
	const workflow = webhookToAudio(id, `Clone by webhook in two steps (${path})`, [webhookTrigger(path), start], collect);
	/** @type {any} */ (workflow.connections)[start.name].main.push([{ node: 'Respond with Error', type: 'main', index: 0 }]);
	/** @type {any} */ (workflow.settings).saveExecutionProgress = true;
	return workflow;
}

/**
 * Schedule Trigger every `seconds` → clone one line (URL sample), named `name`.
 * @param {string} id @param {{ seconds: number, text: string, name: string, sampleUrl?: string }} options
 */
function scheduleCloneWorkflow(id, options) {
	const schedule = {
		id: 'schedule',
		name: 'Schedule Trigger',
		type: 'n8n-nodes-base.scheduleTrigger',
		typeVersion: 1.2,
		position: at(),
		parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: options.seconds }] } },
	};
	return chain(id, 'Clone on a schedule', [
		schedule,
		voiceCloner({
			operation: 'clone',
			audioSource: 'url',
			audioUrl: options.sampleUrl ?? SAMPLE_URL,
			prompt: options.text,
			name: options.name,
			waitForCompletion: true,
		}),
	]);
}

/**
 * The prompt is plain text: this workflow is about the binary upload. (An expression reaching back past
 * Convert to File, `$('Sample').item.json.text`, resolves to null in n8n 1.123.81's default `vm` expression
 * engine, for every node, so the run would only prove that our node refuses an empty prompt.)
 * @param {string} base64Wav a voice sample produced inside the workflow
 */
function binarySampleWorkflow(base64Wav) {
	return chain('e2eBinary', 'E2E binary sample', [
		manualTrigger(),
		code('Sample', `return [{ json: { audio: ${JSON.stringify(base64Wav)} } }];`),
		convertToFile('audio', 'my-voice.wav', 'audio/wav'),
		voiceCloner({ operation: 'clone', audioSource: 'binary', binaryPropertyName: 'data', prompt: 'Spoken from an uploaded sample.', waitForCompletion: true }),
		audioAsBase64(),
	]);
}

function continueOnFailWorkflow() {
	return chain('e2eContinueOnFail', 'E2E continue on fail', [
		manualTrigger(),
		code('Texts', "return ['First line.', 'x'.repeat(1001), 'Third line.'].map((text) => ({ json: { text } }));"),
		voiceCloner(
			{ operation: 'clone', audioSource: 'url', audioUrl: SAMPLE_URL, prompt: '={{ $json.text }}', waitForCompletion: false },
			{ continueOnFail: true },
		),
	]);
}

function paymentRequiredWorkflow() {
	return chain('e2ePaymentRequired', 'E2E 402', [
		manualTrigger(),
		voiceCloner({ operation: 'clone', audioSource: 'url', audioUrl: SAMPLE_URL, prompt: 'This costs credits.', waitForCompletion: false }),
	]);
}

/** A Code node giving one item per text, the text in `text`. @param {string} name @param {string[]} texts */
function textItems(name, texts) {
	return code(name, `return ${JSON.stringify(texts)}.map((text) => ({ json: { text } }));`);
}

/**
 * A batch of lines cloned with *Max Credits per Run* and Continue On Fail, all lines at once, returning at once
 * with each job (Wait for Completion off).
 * @param {string[]} texts @param {number} maxCreditsPerRun
 */
function budgetedBatchWorkflow(texts, maxCreditsPerRun) {
	return chain('e2eBudget', 'E2E budgeted batch', [
		manualTrigger(),
		textItems('Lines', texts),
		voiceCloner(
			{
				operation: 'clone',
				audioSource: 'url',
				audioUrl: SAMPLE_URL,
				prompt: '={{ $json.text }}',
				waitForCompletion: false,
				options: { maxCreditsPerRun, concurrency: texts.length },
			},
			{ continueOnFail: true },
		),
	]);
}

/** @param {string} projectId */
function getProjectWorkflow(projectId) {
	return chain('e2eGet', 'E2E get project', [
		manualTrigger(),
		voiceCloner({ operation: 'get', projectId, waitForCompletion: true }),
		audioAsBase64(),
	]);
}

/**
 * A resource locator's value as the editor saves it: picked from its list (with the name it showed), or By ID.
 * @param {string} value @param {string} [pickedName] the list's name for it; none: By ID
 */
const locator = (value, pickedName) =>
	pickedName === undefined ? { __rl: true, mode: 'id', value } : { __rl: true, mode: 'list', value, cachedResultName: pickedName };

/**
 * The saved-voice recipe (Lines → Clone Voice, Audio Source = Saved Voice), the voice picked from the list as a
 * user picks it there.
 * @param {string} voiceId @param {string} voiceName as the list shows it
 */
function savedVoiceExample(voiceId, voiceName) {
	const example = readExample(EXAMPLE_FILES.savedVoiceExample);
	const nodes = example.nodes.map((/** @type {{ name: string, parameters: object }} */ node) =>
		node.name === 'Clone Voice' ? { ...node, parameters: { ...node.parameters, savedVoice: locator(voiceId, voiceName) } } : node,
	);
	return { ...example, id: 'e2eSavedVoice', nodes };
}

/**
 * Two clones, the second taking the first's render as its sample through its library link: Clone Voice (waits)
 * → Clone from the Render, Audio URL = `{{ $json.library_url }}`.
 */
function libraryLinkWorkflow() {
	return chain('e2eLibraryLink', 'E2E library link as a sample', [
		manualTrigger(),
		voiceCloner({ operation: 'clone', audioSource: 'url', audioUrl: SAMPLE_URL, prompt: 'The first render.', waitForCompletion: true, options: { downloadAudio: false } }),
		voiceCloner(
			{ operation: 'clone', audioSource: 'url', audioUrl: '={{ $json.library_url }}', prompt: 'Spoken from the first render.', waitForCompletion: false },
			{ name: 'Clone from the Render' },
		),
	]);
}

/**
 * Language and Speed: one clone with both set (its audio then as base64 JSON), then one with neither.
 * @param {{ language: string, speed: number, text: string }} style
 */
function languageSpeedWorkflow(style) {
	return chain('e2eLanguageSpeed', 'E2E language and speed', [
		manualTrigger(),
		voiceCloner(
			{
				operation: 'clone',
				audioSource: 'url',
				audioUrl: SAMPLE_URL,
				prompt: style.text,
				waitForCompletion: true,
				options: { language: style.language, speed: style.speed },
			},
			{ name: 'Spanish and Faster' },
		),
		audioAsBase64(),
		voiceCloner(
			{ operation: 'clone', audioSource: 'url', audioUrl: SAMPLE_URL, prompt: 'Without language or speed.', waitForCompletion: false },
			{ name: 'As Before' },
		),
	]);
}

/**
 * One item per request, each naming a saved voice by ID and a speed: Clone Voice with Continue On Fail.
 * @param {Array<{ voice: string, speed: number }>} requests
 */
function savedVoiceRequestsWorkflow(requests) {
	return chain('e2eSavedVoiceItems', 'E2E saved voices by id', [
		manualTrigger(),
		code('Requests', `return ${JSON.stringify(requests)}.map((request) => ({ json: request }));`),
		voiceCloner(
			{
				operation: 'clone',
				audioSource: 'savedVoice',
				savedVoice: locator('={{ $json.voice }}'),
				prompt: 'One line per request.',
				waitForCompletion: false,
				options: { speed: '={{ $json.speed }}' },
			},
			{ continueOnFail: true },
		),
	]);
}

/** @param {string} baseUrl @param {string} apiToken @param {string} [webhookSecret] for the Magic Hour Trigger */
function credential(baseUrl, apiToken, webhookSecret) {
	return { ...CREDENTIAL, type: 'magicHourApi', data: { apiToken, baseUrl, ...(webhookSecret ? { webhookSecret } : {}) } };
}

module.exports = {
	CREDENTIAL,
	NODE_NAME,
	EXAMPLES_DIR,
	EXAMPLE_FILES,
	TRIGGER_NAME,
	manualTrigger,
	code,
	readFile,
	voiceCloner,
	textItems,
	chain,
	exampleWorkflow,
	exampleWithAudioCheck,
	asyncStartExample,
	asyncCollectExample,
	asyncCollectWithAudioCheck,
	binarySampleWorkflow,
	uploadOnceExample,
	longTextExample,
	estimateThenDecideExample,
	sharedBinarySampleWorkflow,
	continueOnFailWorkflow,
	paymentRequiredWorkflow,
	budgetedBatchWorkflow,
	getProjectWorkflow,
	savedVoiceExample,
	libraryLinkWorkflow,
	languageSpeedWorkflow,
	savedVoiceRequestsWorkflow,
	webhookTrigger,
	respondWithAudio,
	respondWithError,
	webhookCloneWorkflow,
	webhookBinarySampleWorkflow,
	webhookCollectWorkflow,
	webhookTwoStepWorkflow,
	scheduleCloneWorkflow,
	credential,
};
