'use strict';
// @ts-check
/**
 * The browser test (`npm run test:ui`): what a new user sees in the real n8n 2.41.1 editor with this
 * package installed from its tarball, driven in headless Chromium. Runs against the editor
 * `npm run dev` starts (simulator, credential, example workflow), on free ports and a fresh home.
 * On failure it saves a screenshot to .ui-artifacts/; `npm run docs:screenshots` also refreshes
 * docs/images/.
 */
const fs = require('node:fs');
const path = require('node:path');

const { startDevEditor } = require('../n8n/dev');
const { PACKAGE_NAME } = require('../n8n/n8n-runner');
const { CREDENTIAL } = require('../n8n/workflows');
const { launchBrowser } = require('./chromium');
const ui = require('./editor-page');
const codex = require('../../nodes/MagicHour/MagicHourVoiceCloner.node.json');

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, '.ui-artifacts');
const DOC_IMAGES = path.join(ROOT, 'docs', 'images');
const NODE = ui.NODE_DISPLAY_NAME;
const log = (/** @type {string} */ line) => process.stdout.write(`[ui] ${line}\n`);

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

/** @param {string} name */
async function docShot(name) {
	if (process.env.UPDATE_DOCS_IMAGES !== '1') return;
	// As a user would look at it: no toast, no focused field, icons loaded.
	for (const close of await page.locator('.el-notification__closeBtn:visible').all()) await close.click();
	await page.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
	await page.mouse.move(0, page.viewportSize()?.height ?? 0);
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(1000);
	fs.mkdirSync(DOC_IMAGES, { recursive: true });
	await page.screenshot({ path: path.join(DOC_IMAGES, name) });
	log(`docs/images/${name} updated`);
}

/** A test that leaves a screenshot of the page behind when it fails. @param {string} name @param {() => Promise<void>} body */
function uiTest(name, body) {
	test(name, async () => {
		try {
			await body();
		} catch (error) {
			if (page) {
				fs.mkdirSync(ARTIFACTS, { recursive: true });
				const file = path.join(ARTIFACTS, `${name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80)}.png`);
				await page.screenshot({ path: file, fullPage: true }).catch(() => {});
				log(`failure screenshot: ${path.relative(ROOT, file)}`);
			}
			throw error;
		}
	});
}

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
	await page.goto(`${dev.editor.url}/workflow/new`);
	await ui.searchNodes(page, 'Magic Hour');
	await page.getByTestId('node-creator-item-name').getByText(NODE, { exact: true }).click();

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
	expect(sources.map((source) => source.name)).toEqual(['Binary File', 'URL', 'Magic Hour File Path']);
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
	await page.goto(`${dev.editor.url}/workflow/new`);
	await ui.searchNodes(page, 'Magic Hour');
	await page.getByTestId('node-creator-item-name').getByText(NODE, { exact: true }).click();
	await page.getByText('Estimate the cost of a text').click();
	await page.getByTestId('ndv').waitFor();

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
	expect((await ui.optionsOf(page, 'audioSource')).map((source) => source.name)).toEqual(['URL', 'Magic Hour File Path']);
	expect(await ui.visibleParameters(page)).not.toContain('binaryPropertyName');
	expect(await page.getByTestId('node-parameters').getByText(/An AI agent cannot pass files/).isVisible()).toBe(true);
	await page.getByTestId('ndv-close-button').click();
});

uiTest('runs the example workflow and puts each cloned voice into the output as a playable WAV file', async () => {
	await ui.openWorkflow(page, dev.editor.url, dev.example.id);
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
