'use strict';
// @ts-check
/**
 * What a user does in the n8n 2.41.1 editor, as Playwright steps. Selectors are n8n's own
 * `data-test-id`s (its Playwright suite uses the same ones).
 */
const { selectors } = require('playwright-core');

selectors.setTestIdAttribute('data-test-id');

const OWNER = { email: 'owner@example.com', firstName: 'Ada', lastName: 'Owner', password: 'Owner-Passw0rd' };
const NODE_DISPLAY_NAME = 'Magic Hour Voice Cloner';

/** @param {string} text */
const startsWith = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);

/**
 * Creates the owner on a fresh n8n, or signs in on one that has it.
 * @param {import('playwright-core').Page} page @param {string} baseUrl
 */
async function signInOwner(page, baseUrl) {
	await page.goto(baseUrl);
	await page.waitForURL(/\/(setup|signin|home|assistant|workflow)/);
	if (!/\/(setup|signin)/.test(new URL(page.url()).pathname)) return; // still signed in
	if (page.url().includes('/setup')) {
		await page.getByLabel('Email').fill(OWNER.email);
		await page.getByLabel('First Name').fill(OWNER.firstName);
		await page.getByLabel('Last Name').fill(OWNER.lastName);
		await page.getByLabel('Password').fill(OWNER.password);
		await page.getByRole('button', { name: 'Next' }).click();
	} else {
		await page.getByLabel('Email').fill(OWNER.email);
		await page.getByLabel('Password').fill(OWNER.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
	}
	await page.waitForURL((url) => !/\/(setup|signin)/.test(url.pathname));
}

/** @param {import('playwright-core').Page} page @param {string} baseUrl @param {string} workflowId */
async function openWorkflow(page, baseUrl, workflowId) {
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	await page.getByTestId('canvas-wrapper').waitFor();
}

/**
 * Imports a workflow file into the open workflow as a user does in n8n 2.x: the workflow's ⋯ menu → Import →
 * From file. Resolves to the choices the Import menu offered, by their labels.
 * @param {import('playwright-core').Page} page @param {string} file
 */
async function importFromFile(page, file) {
	await page.getByTestId('workflow-menu').click();
	await page.getByTestId('workflow-menu-item-import').hover();
	const choices = page.locator('[data-test-id^="workflow-menu-item-import-from-"]');
	await choices.first().waitFor();
	const offered = (await choices.allInnerTexts()).map((text) => text.trim());
	const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('workflow-menu-item-import-from-file').click()]);
	await chooser.setFiles(file);
	return offered;
}

/**
 * Renames the open workflow as a user does, in the breadcrumb; resolves once n8n has saved it.
 * @param {import('playwright-core').Page} page @param {string} name
 */
async function renameWorkflow(page, name) {
	await page.getByTestId('workflow-name-input').getByTestId('inline-edit-preview').click();
	const saved = page.waitForResponse(
		(response) => /\/rest\/workflows\/[^/]+$/.test(new URL(response.url()).pathname) && response.request().method() === 'PATCH',
	);
	await page.getByTestId('workflow-name-input').locator('input').fill(name);
	await page.keyboard.press('Enter');
	const response = await saved;
	if (!response.ok()) throw new Error(`saving the workflow answered ${response.status()}`);
}

/** @param {import('playwright-core').Page} page */
async function workflowName(page) {
	return (await page.getByTestId('workflow-name-input').getByTestId('inline-edit-preview').innerText()).trim();
}

/**
 * Opens the nodes panel with the "+" button and types `term`; resolves to the names listed.
 * @param {import('playwright-core').Page} page @param {string} term
 */
async function searchNodes(page, term) {
	const search = page.getByTestId('node-creator-search-bar');
	if (!(await search.isVisible())) await page.getByTestId('node-creator-plus-button').click();
	await search.fill(term);
	const names = page.getByTestId('node-creator-item-name');
	// The list re-renders as the term changes; wait until it shows results for this term or says none.
	await page.waitForFunction(
		(value) => {
			const input = /** @type {HTMLInputElement | null} */ (document.querySelector('[data-test-id="node-creator-search-bar"]'));
			return input?.value === value;
		},
		term,
	);
	await page.waitForTimeout(300);
	return await names.allInnerTexts();
}

/**
 * A new workflow with this package's node picked from the nodes panel, showing its actions; with `action`, that
 * action picked too and its panel open.
 * @param {import('playwright-core').Page} page @param {string} baseUrl @param {string} [action]
 */
async function addVoiceCloner(page, baseUrl, action) {
	await page.goto(`${baseUrl}/workflow/new`);
	await searchNodes(page, 'Magic Hour');
	await page.getByTestId('node-creator-item-name').getByText(NODE_DISPLAY_NAME, { exact: true }).click();
	if (action === undefined) return;
	await page.getByText(action).click();
	await page.getByTestId('ndv').waitFor();
}

/**
 * In a new, empty workflow: "Add first step…", then types `term`; resolves to the names listed.
 * @param {import('playwright-core').Page} page @param {string} term
 */
async function searchFirstStep(page, term) {
	await page.getByTestId('canvas-add-button').click();
	await page.getByTestId('node-creator-search-bar').waitFor();
	return await searchNodes(page, term);
}

/**
 * The URL the node panel shows under "Webhook URLs" for `which` ('Test URL' or 'Production URL'), as a user
 * copies it (the section is opened when it is closed).
 * @param {import('playwright-core').Page} page @param {'Test URL' | 'Production URL'} which
 */
async function webhookUrl(page, which) {
	const ndv = page.getByTestId('ndv');
	if (!(await ndv.locator('.webhook-url').isVisible())) await ndv.getByText('Webhook URLs', { exact: true }).click();
	await ndv.getByTestId(which === 'Test URL' ? 'radio-button-test' : 'radio-button-production').click();
	const shown = ndv.locator('.webhook-url');
	await page.waitForFunction(
		({ element, segment }) => !!element && element.textContent?.includes(segment),
		{ element: await shown.elementHandle(), segment: which === 'Test URL' ? '/webhook-test/' : '/webhook/' },
	);
	return (await shown.innerText()).trim();
}

/** @param {import('playwright-core').Page} page */
async function closeNodesPanel(page) {
	if (await page.getByTestId('node-creator').isVisible()) await page.keyboard.press('Escape');
	await page.getByTestId('node-creator').waitFor({ state: 'hidden' });
}

/**
 * Names of the parameters the node panel shows now, in order (settings tab excluded).
 * @param {import('playwright-core').Page} page
 */
async function visibleParameters(page) {
	return await page
		.getByTestId('node-parameters')
		.locator('[data-test-id$="-parameter-input-options-container"]')
		.evaluateAll((elements) =>
			elements
				.filter((element) => /** @type {HTMLElement} */ (element).offsetParent !== null)
				.map((element) => String(element.getAttribute('data-test-id')).replace(/-parameter-input-options-container$/, '')),
		);
}

/**
 * Opens an options parameter and returns its choices as `{ name, description }`.
 * @param {import('playwright-core').Page} page @param {string} parameter
 */
async function optionsOf(page, parameter) {
	await page.getByTestId(`parameter-input-${parameter}`).click();
	const options = page.locator('.el-select-dropdown__item:visible');
	await options.first().waitFor();
	const texts = await options.allInnerTexts();
	await page.keyboard.press('Escape');
	return texts.map((text) => {
		const [name, ...rest] = text.split('\n');
		return { name: name.trim(), description: rest.join(' ').trim() };
	});
}

/**
 * @param {import('playwright-core').Page} page @param {string} parameter @param {string} optionName
 */
async function choose(page, parameter, optionName) {
	await page.getByTestId(`parameter-input-${parameter}`).click();
	await page.getByRole('option', { name: startsWith(optionName) }).click();
}

/**
 * Adds an option of the "Options" collection and returns the input that appeared.
 * @param {import('playwright-core').Page} page @param {string} displayName @param {string} name
 */
async function addOption(page, displayName, name) {
	await page.getByTestId('collection-parameter-add').click();
	await page.getByRole('option', { name: displayName, exact: true }).click();
	return page.getByTestId(`parameter-input-${name}`).locator('input');
}

/**
 * The options the "Options" collection offers to add now, by their names in the panel, in its order.
 * @param {import('playwright-core').Page} page
 */
async function optionsToAdd(page) {
	await page.getByTestId('collection-parameter-add').click();
	const options = page.getByRole('option');
	await options.first().waitFor();
	const names = (await options.allInnerTexts()).map((text) => text.trim());
	await page.keyboard.press('Escape');
	return names;
}

/**
 * Saves the credential with `values` typed in and returns what its test banner says, with
 * "More details" opened when the test failed.
 * @param {import('playwright-core').Page} page @param {Record<string, string>} values
 */
async function saveCredential(page, values) {
	const modal = page.getByTestId('editCredential-modal');
	for (const [name, value] of Object.entries(values)) {
		await modal.getByTestId(`parameter-input-${name}`).locator('input').fill(value);
	}
	// Saving runs n8n's credential test; the banner shows its answer once it has come back.
	const tested = page.waitForResponse((response) => new URL(response.url()).pathname.endsWith('/rest/credentials/test'));
	await modal.getByTestId('credential-save-button').click();
	await tested;
	const banner = modal.locator('span:visible', { hasText: /Connection tested successfully|Couldn’t connect with these settings/ });
	await banner.first().waitFor();
	if (/Connection tested successfully/.test(await banner.first().innerText())) return { ok: true, message: '' };
	const details = modal.getByText('More details');
	if (await details.isVisible()) await details.click();
	// The banner reads "Couldn’t connect with these settings / Retry / <message>", then come the fields.
	const lines = (await modal.getByTestId('node-credentials-config-container').innerText()).split('\n');
	const after = lines.findIndex((line) => line.trim() === 'Retry');
	const end = lines.findIndex((line, index) => index > after && line.startsWith('API Token'));
	return { ok: false, message: lines.slice(after + 1, end).join(' ').trim() };
}

module.exports = {
	OWNER,
	NODE_DISPLAY_NAME,
	signInOwner,
	openWorkflow,
	importFromFile,
	renameWorkflow,
	workflowName,
	searchNodes,
	addVoiceCloner,
	searchFirstStep,
	webhookUrl,
	closeNodesPanel,
	visibleParameters,
	optionsOf,
	choose,
	addOption,
	optionsToAdd,
	saveCredential,
};
