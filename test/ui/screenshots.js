'use strict';
// @ts-check
/**
 * Screenshots of the browser test: for the docs (`npm run docs:screenshots` writes them into docs/images/),
 * and of the page when a test fails (into .ui-artifacts/).
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, '.ui-artifacts');
const DOC_IMAGES = path.join(ROOT, 'docs', 'images');

/**
 * The page as a user looks at it (no toast, no focused field, icons loaded) into docs/images/`name`, when the
 * docs' screenshots are being refreshed.
 * @param {import('playwright-core').Page} page @param {string} name @param {(line: string) => void} log
 * @param {{ keepFocus?: boolean }} [options] `keepFocus`: leave the focused field be (an open list closes without it)
 */
async function docShot(page, name, log, options = {}) {
	if (process.env.UPDATE_DOCS_IMAGES !== '1') return;
	for (const close of await page.locator('.el-notification__closeBtn:visible').all()) await close.click();
	if (!options.keepFocus) {
		await page.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
		await page.mouse.move(0, page.viewportSize()?.height ?? 0);
	}
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(1000);
	fs.mkdirSync(DOC_IMAGES, { recursive: true });
	await page.screenshot({ path: path.join(DOC_IMAGES, name) });
	log(`docs/images/${name} updated`);
}

/**
 * A jest test that leaves a screenshot of the page behind when it fails.
 * @param {() => import('playwright-core').Page | undefined} page @param {(line: string) => void} log
 */
function uiTestWith(page, log) {
	/** @param {string} name @param {() => Promise<void>} body */
	return (name, body) =>
		test(name, async () => {
			try {
				await body();
			} catch (error) {
				const open = page();
				if (open) {
					fs.mkdirSync(ARTIFACTS, { recursive: true });
					const file = path.join(ARTIFACTS, `${name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80)}.png`);
					await open.screenshot({ path: file, fullPage: true }).catch(() => {});
					log(`failure screenshot: ${path.relative(ROOT, file)}`);
				}
				throw error;
			}
		});
}

module.exports = { docShot, uiTestWith };
