'use strict';
// @ts-check
/**
 * `npm run dev` keeps the user's n8n home between starts; it must not import the example workflow
 * again over what the user changed in the editor (n8n saves edits at once).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startDevEditor } = require('../n8n/dev');
const { launchBrowser } = require('./chromium');
const ui = require('./editor-page');

const log = (/** @type {string} */ line) => process.stdout.write(`[ui dev] ${line}\n`);
const homeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'magichour-ui-dev-home-'));

/** @type {Awaited<ReturnType<typeof startDevEditor>> | undefined} */
let dev;
/** @type {Awaited<ReturnType<typeof launchBrowser>> | undefined} */
let browser;

afterAll(async () => {
	await browser?.close();
	await dev?.stop();
	fs.rmSync(homeDir, { recursive: true, force: true });
});

test('npm run dev keeps the changes made to the example workflow when it starts again', async () => {
	dev = await startDevEditor({ homeDir, log });
	browser = await launchBrowser({ log });
	const page = await browser.context.newPage();
	page.setDefaultTimeout(30_000);
	await ui.signInOwner(page, dev.editor.url);
	await ui.openWorkflow(page, dev.editor.url, dev.example.id);
	await ui.renameWorkflow(page, 'My voice-over workflow');
	const first = { imported: dev.exampleImported };
	await dev.stop();

	dev = await startDevEditor({ homeDir, log });
	await ui.signInOwner(page, dev.editor.url);
	await ui.openWorkflow(page, dev.editor.url, dev.example.id);
	expect({ first, second: { imported: dev.exampleImported, name: await ui.workflowName(page) } }).toEqual({
		first: { imported: true },
		second: { imported: false, name: 'My voice-over workflow' },
	});
});
