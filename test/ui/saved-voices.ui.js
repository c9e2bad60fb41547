'use strict';
// @ts-check
/**
 * The browser test of the Saved Voice field: in the real n8n editor (the one `npm run dev` starts, on free
 * ports and a fresh home), the list of the voices saved in the simulator's Magic Hour account opens in the
 * node panel, shows them by name, narrows as the user types, and a voice picked there is the one cloned from.
 * `npm run docs:screenshots` also refreshes docs/images/saved-voice-list.png.
 */
const { startDevEditor } = require('../n8n/dev');
const { launchBrowser } = require('./chromium');
const ui = require('./editor-page');
const { docShot, uiTestWith } = require('./screenshots');

const log = (/** @type {string} */ line) => process.stdout.write(`[ui saved voices] ${line}\n`);

/** @type {Awaited<ReturnType<typeof startDevEditor>>} */
let dev;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
/** @type {import('playwright-core').Page} */
let page;
const uiTest = uiTestWith(() => page, log);

/** The list's search box (n8n puts the test id on the input or on its wrapper, as its version has it). */
const searchBox = () => page.locator('input[data-test-id="rlc-search"], [data-test-id="rlc-search"] input');

/** The names the list shows, as they are on screen. */
const shownNames = async () => (await page.getByTestId('rlc-item').allInnerTexts()).map((text) => text.trim());

/** The voices of the simulator's account, in its order, named as a user should see them. */
function accountVoices() {
	return dev.simulator
		.savedItems()
		.filter((item) => item.type === 'voice')
		.map((voice) => {
			const name = voice.name ?? `Unnamed voice (${voice.id})`;
			return voice.assets.some((asset) => asset.media_kind === 'AUDIO') ? name : `${name} (no audio file)`;
		});
}

beforeAll(async () => {
	const started = Date.now();
	dev = await startDevEditor({ renderMs: 1500, log });
	log(`editor ${dev.editor.url}, simulator ${dev.simulator.url} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	browser = await launchBrowser({ log });
	// Nothing leaves the machine: the editor's calls elsewhere fail at once.
	await browser.context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
	page = await browser.context.newPage();
	page.setDefaultTimeout(30_000);
	await ui.signInOwner(page, dev.editor.url);
}, 15 * 60 * 1000);

afterAll(async () => {
	await browser?.close();
	await dev?.stop();
});

uiTest('offers Saved Voice as an Audio Source of Clone Voice, with the list of the account\'s voices by name', async () => {
	await ui.addVoiceCloner(page, dev.editor.url, 'Clone a voice and speak a text');

	expect((await ui.optionsOf(page, 'audioSource')).map((source) => source.name)).toContain('Saved Voice');
	await ui.choose(page, 'audioSource', 'Saved Voice');
	expect(await ui.visibleParameters(page)).toContain('savedVoice');

	const listed = page.waitForResponse((response) => new URL(response.url()).pathname.endsWith('/resource-locator-results'));
	await page.getByTestId('resource-locator-savedVoice').getByTestId('rlc-input').click();
	await listed;
	await page.getByTestId('rlc-item').first().waitFor();
	expect(await shownNames()).toEqual(accountVoices());
	await docShot(page, 'saved-voice-list.png', log, { keepFocus: true });
});

uiTest('narrows the list to the voices whose names hold what the user types', async () => {
	await searchBox().fill('narr');
	await page.waitForFunction(() => document.querySelectorAll('[data-test-id="rlc-item"]').length === 2);
	expect(await shownNames()).toEqual(['Narrator (warm)', 'Narrador (español)']);
});

uiTest('clones with the voice picked from the list: Magic Hour gets that voice\'s primary audio file', async () => {
	await searchBox().fill('podcast');
	await page.waitForFunction(() => document.querySelectorAll('[data-test-id="rlc-item"]').length === 1);
	await page.getByTestId('rlc-item').getByText('Podcast host', { exact: true }).click();
	await page.getByTestId('parameter-input-prompt').locator('textarea').fill('Spoken in my saved podcast voice.');

	await page.getByTestId('ndv').getByTestId('node-execute-button').click();
	await page.getByTestId('output-panel').getByTestId('ndv-binary-data_0').waitFor({ timeout: 120_000 });

	const host = dev.simulator.savedItems().find((item) => item.id === 'sv_podcast_host');
	const primary = host?.assets.find((asset) => asset.media_kind === 'AUDIO' && asset.is_primary)?.file_path;
	const jobs = /** @type {Array<{ prompt: string, audio_file_path: string }>} */ (/** @type {unknown} */ (dev.simulator.jobs()));
	expect(jobs.map((job) => [job.prompt, job.audio_file_path])).toEqual([['Spoken in my saved podcast voice.', primary]]);
	await page.getByTestId('ndv-close-button').click();
});
