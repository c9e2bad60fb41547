'use strict';
// @ts-check
/**
 * Headless Chromium for the browser test: Debian's `chromium` package (Playwright's own browser
 * download is not available here), or the browser CHROMIUM_PATH points at (e.g. Chrome on a CI
 * runner). Installs the Debian package when it is missing and we run as root.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { chromium } = require('playwright-core');

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium';

// Without the background-networking flags Chromium keeps trying to reach Google's hosts, which a
// closed network refuses; the editor needs nothing but loopback.
const FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** @param {(line: string) => void} log */
function findChromium(log) {
	const configured = process.env.CHROMIUM_PATH;
	if (configured) {
		if (!fs.existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
		return configured;
	}
	if (fs.existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
	if (typeof process.getuid === 'function' && process.getuid() === 0) {
		log(`${DEBIAN_CHROMIUM} is missing: ${INSTALL_COMMAND}`);
		const r = spawnSync('sh', ['-c', INSTALL_COMMAND], {
			stdio: ['ignore', 'inherit', 'inherit'],
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
		if (r.status === 0 && fs.existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
		throw new Error(`Installing Chromium failed (exit ${r.status}). Run as root: ${INSTALL_COMMAND}`);
	}
	throw new Error(
		`The browser test needs Chromium at ${DEBIAN_CHROMIUM}. Install it as root: ${INSTALL_COMMAND}` +
			' (or set CHROMIUM_PATH to a Chrome or Chromium binary).',
	);
}

/**
 * A headless browser with a fresh profile; `close()` removes the profile.
 * @param {{ log?: (line: string) => void, viewport?: { width: number, height: number } }} [options]
 */
async function launchBrowser(options = {}) {
	const log = options.log ?? (() => {});
	const executablePath = findChromium(log);
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'magichour-ui-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath,
		headless: true,
		args: FLAGS,
		viewport: options.viewport ?? { width: 1440, height: 900 },
		acceptDownloads: false,
	});
	return {
		context,
		executablePath,
		close: async () => {
			await context.close();
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

module.exports = { launchBrowser, findChromium, INSTALL_COMMAND };
