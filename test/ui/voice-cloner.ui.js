'use strict';
// @ts-check
/**
 * The browser test (`npm run test:ui`): what a new user sees in the real n8n 2.41.1 editor with this
 * package installed from its tarball, driven in headless Chromium. Runs against the editor
 * `npm run dev` starts (simulator, credential, example workflow), on free ports and a fresh home, and
 * imports the README's Quick start example from examples/ the way the README says.
 * On failure it saves a screenshot to .ui-artifacts/; `npm run docs:screenshots` also refreshes
 * docs/images/.
 */
const fs = require('node:fs');
const path = require('node:path');

const { startDevEditor } = require('../n8n/dev');
const runner = require('../n8n/n8n-runner');
const { PACKAGE_NAME } = runner;
const { CREDENTIAL } = require('../n8n/workflows');
const { launchBrowser } = require('./chromium');
const ui = require('./editor-page');
const shots = require('./screenshots');
const codex = require('../../nodes/MagicHour/MagicHourVoiceCloner.node.json');

const ROOT = path.resolve(__dirname, '..', '..');
/** The README's Quick start example, imported as a user imports it. */
const QUICK_START = path.join(ROOT, 'examples', 'clone-voice.json');
const NODE = ui.NODE_DISPLAY_NAME;
const log = (/** @type {string} */ line) => process.stdout.write(`[ui] ${line}\n`);
/** A second credential of the simulator's account, without the Webhook Secret the trigger needs. */
const NO_SECRET_CREDENTIAL = { id: 'mhNoSecretCred01', name: 'Simulator without Webhook Secret' };

/** @type {Awaited<ReturnType<typeof startDevEditor>>} */
let dev;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
/** @type {import('playwright-core').Page} */
let page;

/**
 * The package as npm's registry describes it once published. Until package.json has its links
 * (the release adds them), test values stand in, so the test still shows where they lead.
 */
function publishedPackage() {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	if (pkg.bugs || pkg.repository || pkg.homepage) return pkg;
	return {
		...pkg,
		repository: { type: 'git', url: 'git+https://github.com/example-owner/n8n-nodes-magichour-voice-cloner.git' },
		bugs: { url: 'https://github.com/example-owner/n8n-nodes-magichour-voice-cloner/issues' },
		homepage: 'https://github.com/example-owner/n8n-nodes-magichour-voice-cloner#readme',
	};
}

/** The page into docs/images/`name` (with `npm run docs:screenshots`). @param {string} name */
const docShot = async (name) => await shots.docShot(page, name, log);

/** A test that leaves a screenshot of the page behind when it fails. */
const uiTest = shots.uiTestWith(() => page, log);

/** Clicks `target` and returns the address of the tab it opens. @param {import('playwright-core').Locator} target */
async function tabOpenedBy(target) {
	const [tab] = await Promise.all([browser.context.waitForEvent('page'), target.click()]);
	await tab.waitForLoadState();
	const url = tab.url();
	await tab.close();
	return url;
}

/** @param {string} text "File Name:\nLine 1.wav\n…" → { 'File Name': 'Line 1.wav', … } */
function binaryCard(text) {
	/** @type {Record<string, string>} */
	const fields = {};
	const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
	lines.forEach((line, index) => {
		if (line.endsWith(':')) fields[line.slice(0, -1)] = lines[index + 1];
	});
	return fields;
}

/** "44.2 kB" → bytes, and how precise the display is. @param {string} text */
function displayedSize(text) {
	const match = /^([\d.]+)\s*(B|kB|KB|MB)$/.exec(text);
	if (!match) throw new Error(`unexpected file size "${text}"`);
	const unit = { B: 1, kB: 1000, KB: 1000, MB: 1000 * 1000 }[match[2]] ?? 1;
	return { bytes: Number(match[1]) * unit, precision: unit / 10 };
}

beforeAll(async () => {
	const started = Date.now();
	dev = await startDevEditor({ renderMs: 1500, log });
	log(`editor ${dev.editor.url}, simulator ${dev.simulator.url} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	browser = await launchBrowser({ log });
	log(`browser ${browser.executablePath}`);
	const registryDocument = `https://registry.npmjs.org/${PACKAGE_NAME}`;
	// Nothing leaves the machine: the registry document the editor asks for is answered here, other
	// pages opened in a new tab get an empty page (so their address can be checked), the rest fails.
	await browser.context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, async (route) => {
		const request = route.request();
		if (request.url() === registryDocument) {
			await route.fulfill({ json: publishedPackage() });
		} else if (request.isNavigationRequest()) {
			await route.fulfill({ contentType: 'text/html', body: '<title>not fetched in the test</title>' });
		} else {
			await route.abort();
		}
	});
	page = await browser.context.newPage();
	page.setDefaultTimeout(30_000);
}, 15 * 60 * 1000);

afterAll(async () => {
	await browser?.close();
	await dev?.stop();
});

uiTest('creates the owner account', async () => {
	await ui.signInOwner(page, dev.editor.url);
	expect(new URL(page.url()).pathname).not.toMatch(/setup|signin/);
});

uiTest('finds the node in the nodes panel by its name and by what it does', async () => {
	await ui.openWorkflow(page, dev.editor.url, dev.example.id);
	const terms = [...new Set(['Magic Hour', NODE, 'Voice Cloner', 'voice clone', 'text to speech', ...codex.alias])];
	/** @type {Record<string, boolean>} */
	const found = {};
	for (const term of terms) found[term] = (await ui.searchNodes(page, term)).includes(NODE);
	expect(found).toEqual(Object.fromEntries(terms.map((term) => [term, true])));

	await ui.searchNodes(page, 'voice clone');
	await docShot('nodes-panel-search.png');
	await ui.closeNodesPanel(page);
});

uiTest('links "Docs" and "Report issue" in the node details to the right places', async () => {
	await ui.addVoiceCloner(page, dev.editor.url);

	// n8n's "Report issue" reads only `bugs.url` from the registry; without it, it opens the registry's raw JSON.
	const issues = publishedPackage().bugs?.url;
	expect(issues).toMatch(/^https:\/\//);
	const docs = await tabOpenedBy(page.getByTestId('node-creator').getByText('Docs', { exact: true }));
	const reportIssue = await tabOpenedBy(page.getByTestId('node-creator').getByText('Report issue', { exact: true }));
	// For a community node, n8n's node details send "Docs" to the npm page (this README).
	expect({ docs, reportIssue }).toEqual({
		docs: `https://www.npmjs.com/package/${PACKAGE_NAME}`,
		reportIssue: issues,
	});
});

uiTest('shows only the fields each operation and audio source needs, in words a new user understands', async () => {
	// The node details from the previous test are open: pick the action, as a user does.
	await page.getByText('Clone a voice and speak a text').click();
	await page.getByTestId('ndv').waitFor();
	// The panel's own "Docs" opens Magic Hour's documentation of the endpoint (the codex).
	const docs = await tabOpenedBy(page.getByTestId('ndv').getByText('Docs', { exact: true }));
	expect(docs.replace(/\?.*$/, '')).toBe(codex.resources.primaryDocumentation[0].url);

	const sources = await ui.optionsOf(page, 'audioSource');
	expect(sources.map((source) => source.name)).toEqual(['Binary File', 'URL', 'Magic Hour File Path', 'Saved Voice']);
	expect(sources[0].description).toContain('Read/Write Files from Disk');

	const fieldsFor = {
		'Binary File': ['operation', 'audioSource', 'binaryPropertyName', 'prompt', 'name', 'waitForCompletion'],
		URL: ['operation', 'audioSource', 'audioUrl', 'prompt', 'name', 'waitForCompletion'],
		'Magic Hour File Path': ['operation', 'audioSource', 'audioFilePath', 'prompt', 'name', 'waitForCompletion'],
	};
	/** @type {Record<string, string[]>} */
	const shown = {};
	for (const source of Object.keys(fieldsFor)) {
		await ui.choose(page, 'audioSource', source);
		shown[source] = await ui.visibleParameters(page);
	}
	expect(shown).toEqual(fieldsFor);

	const rate = await ui.addOption(page, 'Credits per Character (Estimate)', 'creditsPerCharacter');
	expect(await rate.inputValue()).toBe('0.05');
	const panelText = await page.getByTestId('node-parameters').innerText();
	expect(panelText).not.toMatch(/Read from the first item|0\.0500|\bRead File\b/);

	await ui.choose(page, 'audioSource', 'URL');
	await page.getByTestId('parameter-input-audioUrl').locator('input').fill('https://example.com/my-voice.mp3');
	await page.getByTestId('parameter-input-prompt').locator('textarea').fill('Welcome to our channel! Today we show you how to clone a voice with n8n.');
	await page.getByTestId('parameter-input-name').locator('input').fill('Welcome message');
	await docShot('node-panel.png');

	/** @type {Record<string, string[]>} */
	const byOperation = {};
	for (const operation of ['Get Audio Project', 'Delete Audio Project']) {
		await ui.choose(page, 'operation', operation);
		byOperation[operation] = await ui.visibleParameters(page);
	}
	expect(byOperation).toEqual({
		'Get Audio Project': ['operation', 'projectId', 'waitForCompletion'],
		'Delete Audio Project': ['operation', 'projectId'],
	});
	await page.getByTestId('ndv-close-button').click();
});

uiTest('offers Estimate Cost, free, with only the text and what decides its cost, and Max Credits per Run among Clone Voice\'s options', async () => {
	await ui.addVoiceCloner(page, dev.editor.url, 'Estimate the cost of a text');

	const operations = await ui.optionsOf(page, 'operation');
	expect(operations.find((operation) => operation.name === 'Estimate Cost')?.description).toMatch(/Sends nothing to Magic Hour: free\./);
	expect(await ui.visibleParameters(page)).toEqual(['operation', 'prompt']);
	expect(await ui.optionsToAdd(page)).toEqual(['Credits per Character (Estimate)', 'Long Text', 'Max Characters']);

	await ui.choose(page, 'operation', 'Clone Voice');
	expect(await ui.optionsToAdd(page)).toContain('Max Credits per Run');
	const budget = await ui.addOption(page, 'Max Credits per Run', 'maxCreditsPerRun');
	expect(await budget.inputValue()).toBe('100');
	await page.getByTestId('ndv-close-button').click();
});

uiTest('as an AI agent\'s tool, offers only the sources an agent can give, URL first, and says why', async () => {
	await page.goto(`${dev.editor.url}/workflow/new`);
	await ui.searchNodes(page, 'AI Agent');
	await page.getByTestId('node-creator-item-name').getByText('AI Agent', { exact: true }).click();
	if (await page.getByTestId('ndv').isVisible()) await page.getByTestId('ndv-close-button').click();
	await page.locator('[data-handleid="inputs/ai_tool/0"]').getByTestId('canvas-handle-plus').click();
	const tools = await ui.searchNodes(page, 'voice clone');
	expect(tools).toContain(`${NODE} Tool`);
	await page.getByTestId('node-creator-item-name').getByText(`${NODE} Tool`, { exact: true }).click();
	await page.getByTestId('ndv').waitFor();

	expect(await page.getByTestId('parameter-input-audioSource').locator('input').inputValue()).toBe('URL');
	expect((await ui.optionsOf(page, 'audioSource')).map((source) => source.name)).toEqual(['URL', 'Magic Hour File Path', 'Saved Voice']);
	expect(await ui.visibleParameters(page)).not.toContain('binaryPropertyName');
	expect(await page.getByTestId('node-parameters').getByText(/An AI agent cannot pass files/).isVisible()).toBe(true);
	await page.getByTestId('ndv-close-button').click();
});

uiTest('imports the quick-start example through the workflow\'s ⋯ menu, picks the credential, and runs it: each cloned voice a playable WAV file', async () => {
	// As the README's Quick start says: a new workflow, ⋯ → Import → From file, the file from examples/.
	await page.goto(`${dev.editor.url}/workflow/new`);
	await page.getByTestId('canvas-wrapper').waitFor();
	const example = JSON.parse(fs.readFileSync(QUICK_START, 'utf8'));
	expect(await ui.importFromFile(page, QUICK_START)).toEqual(['From URL', 'From file']);
	const canvasNodes = page.locator('[data-test-id="canvas-node"]');
	await canvasNodes.filter({ hasText: NODE }).first().waitFor();
	// The example carries no credential: n8n puts in the only one of its type, and says so.
	const added = page.locator('.el-notification', { hasText: 'Credentials auto-added' });
	await added.waitFor();
	expect(await added.innerText()).toContain(`"${CREDENTIAL.name}"`);
	expect(await page.getByTestId('sticky').innerText()).toMatch(/Set first:/);
	expect((await canvasNodes.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node-name')))).filter(Boolean).sort()).toEqual(
		example.nodes.filter((/** @type {{ type: string }} */ node) => !node.type.endsWith('.stickyNote')).map((/** @type {{ name: string }} */ node) => node.name).sort(),
	);
	await docShot('quick-start-imported.png');

	await page.locator(`[data-test-id="canvas-node"][data-node-name="${NODE}"]`).dblclick();
	expect(await page.getByTestId('ndv').getByTestId('node-credentials-select').locator('input').inputValue()).toBe(CREDENTIAL.name);
	await page.getByTestId('ndv-close-button').click();

	await page.getByTestId('execute-workflow-button').click();
	await page.getByText('Workflow executed successfully').waitFor({ timeout: 120_000 });
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${NODE}"]`).dblclick();
	const output = page.getByTestId('output-panel');
	await output.getByTestId('ndv-binary-data_2').waitFor();
	await docShot('output-audio.png');

	const jobs = /** @type {Array<{ name: string, resultBytes: number }>} */ (/** @type {unknown} */ (dev.simulator.jobs()));
	const cards = [];
	for (const index of [0, 1, 2]) {
		const card = binaryCard(await output.getByTestId(`ndv-binary-data_${index}`).innerText());
		const job = jobs.find((candidate) => candidate.name === `Line ${index + 1}`);
		const size = displayedSize(card['File Size']);
		cards.push({
			fileName: card['File Name'],
			mimeType: card['Mime Type'],
			sizeMatchesRender: !!job && Math.abs(size.bytes - job.resultBytes) <= size.precision,
		});
	}
	expect(cards).toEqual([1, 2, 3].map((line) => ({ fileName: `Line ${line}.wav`, mimeType: 'audio/wav', sizeMatchesRender: true })));

	// "View" plays the file: fetch what the player loads and compare it with what Magic Hour rendered.
	await output.getByTestId('ndv-binary-data_0').getByTestId('ndv-view-binary-data').click();
	const source = await page.locator('audio source').getAttribute('src');
	const served = await page.evaluate(async (url) => {
		const response = await fetch(String(url));
		const bytes = new Uint8Array(await response.arrayBuffer());
		return { type: response.headers.get('content-type'), size: bytes.length, head: String.fromCharCode(...bytes.slice(0, 4), ...bytes.slice(8, 12)) };
	}, source);
	const firstJob = jobs.find((job) => job.name === 'Line 1');
	expect(served).toEqual({ type: expect.stringContaining('audio/wav'), size: firstJob?.resultBytes, head: 'RIFFWAVE' });
	await page.getByTestId('ndv-close-button').click();
});

uiTest('tests the credential: a good token passes, a bad token or a wrong Base URL says what to do', async () => {
	const { MagicHourApi } = require('../../dist/credentials/MagicHourApi.credentials.js');
	const rules = /** @type {Array<{ properties: { value: number, message: string } }>} */ (new MagicHourApi().test.rules ?? []);
	const ruleFor = (/** @type {number} */ status) => rules.find((rule) => rule.properties.value === status)?.properties.message;

	await page.goto(`${dev.editor.url}/home/credentials`);
	await page.getByText(CREDENTIAL.name).first().click();
	const modal = page.getByTestId('editCredential-modal');
	await modal.getByText('Connection tested successfully').waitFor();
	expect(await modal.getByRole('link', { name: 'docs' }).getAttribute('href')).toContain('magichour.ai/developer');

	const badToken = await ui.saveCredential(page, { apiToken: 'mhk_not_a_valid_key' });
	const wrongBaseUrl = await ui.saveCredential(page, { apiToken: dev.simulator.token, baseUrl: `${dev.simulator.url}/not-the-api` });
	const good = await ui.saveCredential(page, { apiToken: dev.simulator.token, baseUrl: dev.simulator.url });

	expect({ badToken, wrongBaseUrl, good }).toEqual({
		badToken: { ok: false, message: ruleFor(401) },
		wrongBaseUrl: { ok: false, message: ruleFor(404) },
		good: { ok: true, message: '' },
	});
	// The same first sentence as the node's own error when a run meets a rejected token.
	expect(badToken.message).toMatch(/^The API token was rejected\. /);
});

// ---------------------------------------------------------------------------------------------
// Magic Hour Trigger: found when adding a first step, its panel, a test event, publishing.

const TRIGGER = 'Magic Hour Trigger';
/** The URLs the trigger's panel showed, and the render heard while listening. */
const trigger = { testUrl: '', productionUrl: '', jobId: '' };

uiTest('finds the Magic Hour Trigger when adding a first step; its panel shows its URLs, the set-up notice and its events', async () => {
	await page.goto(`${dev.editor.url}/workflow/new`);
	// Among a first step's choices n8n lists a trigger without the word "Trigger".
	expect(await ui.searchFirstStep(page, 'Magic Hour')).toContain('Magic Hour');
	await page.getByTestId('node-creator-item-name').getByText('Magic Hour', { exact: true }).click();
	// n8n offers one choice per option of the Events field; each adds the node with that event selected.
	const creator = page.getByTestId('node-creator');
	expect(await creator.getByText(/^On audio /).allInnerTexts()).toEqual(['On audio completed', 'On audio errored', 'On audio started']);
	await creator.getByText('On audio completed', { exact: true }).click();
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor();

	const testUrl = await ui.webhookUrl(page, 'Test URL');
	const productionUrl = await ui.webhookUrl(page, 'Production URL');
	const webhookId = /\/webhook\/([0-9a-f-]{36})\/webhook$/.exec(productionUrl)?.[1];
	expect({ testUrl, productionUrl }).toEqual({
		testUrl: `${dev.editor.url}/webhook-test/${webhookId}/webhook`,
		productionUrl: `${dev.editor.url}/webhook/${webhookId}/webhook`,
	});
	Object.assign(trigger, { testUrl, productionUrl });
	expect(await ndv.getByTestId('node-credentials-select').locator('input').inputValue()).toBe(CREDENTIAL.name);

	const notice = ndv.getByText(/^In Magic Hour, open Developer Hub → Webhooks/);
	expect(await notice.innerText()).toMatch(/Production URL \(above, under Webhook URLs\).*same events as in Events below.*Webhook Secret.*publish this workflow/s);
	expect(await ndv.getByRole('link', { name: 'Developer Hub → Webhooks' }).getAttribute('href')).toBe('https://magichour.ai/developer?tab=webhooks');

	expect((await ndv.getByTestId('parameter-input-events').innerText()).trim()).toBe('Audio Completed');
	const events = await ui.optionsOf(page, 'events');
	expect(events.map((event) => event.name)).toEqual(['Audio Completed', 'Audio Errored', 'Audio Started']);
	await ndv.getByText('When will this node trigger my flow?').click();
	expect(await ndv.getByText(/point a webhook endpoint in Magic Hour's Developer Hub at it/).isVisible()).toBe(true);
	await docShot('trigger-panel.png');
});

uiTest('"Execute step" listens for a test event: a forged one is refused and it goes on listening; a render\'s event shows the audio', async () => {
	const ndv = page.getByTestId('ndv');
	const testUrl = await ui.webhookUrl(page, 'Test URL');
	await ndv.getByTestId('node-execute-button').click();
	const listening = ndv.getByText('Listening for test event');
	await listening.waitFor();

	const forged = JSON.stringify({ type: 'audio.completed', payload: { id: 'forged-project' } });
	const refused = await dev.simulator.postWebhook({ body: forged, headers: dev.simulator.signWebhook(forged, { secret: 'whsec_not_this_one' }), url: testUrl });
	expect(refused.status).toBe(401);
	expect(await listening.isVisible()).toBe(true);

	// Magic Hour's endpoint points at the Test URL; a render starts and ends (audio.started is not selected).
	dev.simulator.setOptions({ webhookUrl: testUrl });
	const job = await dev.simulator.createJob({ prompt: 'Heard while the editor listens for a test event.', name: 'Heard in the editor' });
	trigger.jobId = job.id;
	const output = page.getByTestId('output-panel');
	try {
		await output.getByTestId('ndv-binary-data_0').waitFor({ timeout: 60_000 });
	} finally {
		dev.simulator.setOptions({ webhookUrl: null });
	}
	const card = binaryCard(await output.getByTestId('ndv-binary-data_0').innerText());
	const rendered = /** @type {{ resultBytes: number } | undefined} */ (/** @type {unknown} */ (dev.simulator.jobs().find((candidate) => candidate.id === job.id)));
	const size = displayedSize(card['File Size']);
	expect({ fileName: card['File Name'], mimeType: card['Mime Type'], sizeMatchesRender: !!rendered && Math.abs(size.bytes - rendered.resultBytes) <= size.precision }).toEqual({
		fileName: 'Heard in the editor.wav',
		mimeType: 'audio/wav',
		sizeMatchesRender: true,
	});
	await output.getByText('JSON', { exact: true }).click();
	await output.getByText(job.id).first().waitFor();
	const json = (await output.innerText()).replace(/\s+/g, ' ');
	expect(json).toContain('"event": "audio.completed"');
	expect(json).toContain(`"id": "${job.id}"`);
	expect(dev.simulator.webhookDeliveries().filter((attempt) => attempt.jobId === job.id).map((attempt) => `${attempt.type} ${attempt.status}`)).toEqual([
		'audio.started 200',
		'audio.completed 200',
	]);
	await page.getByTestId('ndv-close-button').click();
});

uiTest('publishing needs the credential\'s Webhook Secret: without it the editor says what to do; with it the workflow is published', async () => {
	/** Opens the trigger's panel, picks a credential, closes it. @param {string} name */
	const useCredential = async (name) => {
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${TRIGGER}"]`).dblclick();
		await page.getByTestId('ndv').getByTestId('node-credentials-select').click();
		await page.getByRole('option').filter({ hasText: name }).click();
		await page.getByTestId('ndv-close-button').click();
	};
	const publish = async () => {
		await page.getByTestId('workflow-open-publish-modal-button').click();
		await page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
	};

	// A second credential, made without the Webhook Secret (imported, then the page reloaded to list it).
	await runner.importCredentials(dev.home, [{ ...NO_SECRET_CREDENTIAL, type: 'magicHourApi', data: { apiToken: dev.simulator.token, baseUrl: dev.simulator.url } }]);
	await page.reload();
	await page.getByTestId('canvas-wrapper').waitFor();
	const body = dev.simulator.eventBody('audio.completed', trigger.jobId);
	const deliver = async () => (await dev.simulator.postWebhook({ body, headers: dev.simulator.signWebhook(body), url: trigger.productionUrl })).status;
	expect(await deliver()).toBe(404); // not published yet

	await useCredential(NO_SECRET_CREDENTIAL.name);
	await publish();
	const refused = page.locator('.el-notification', { hasText: 'Workflow could not be published' });
	await refused.waitFor({ timeout: 60_000 });
	expect(await refused.innerText()).toContain(
		'The Magic Hour API credential has no Webhook Secret: open the credential and paste the secret Magic Hour shows for this webhook endpoint (Developer Hub → Webhooks)',
	);
	await refused.locator('.el-notification__closeBtn').click();

	await useCredential(CREDENTIAL.name);
	await publish();
	await page.getByTestId('workflow-open-publish-modal-button').getByText('Published', { exact: true }).waitFor({ timeout: 60_000 });
	expect(await page.locator('.el-notification', { hasText: 'could not be published' }).count()).toBe(0);
	// The Production URL the panel showed now takes Magic Hour's events.
	expect(await deliver()).toBe(200);
});
