'use strict';
// @ts-check
/**
 * Before any test: Debian's redis-server and postgresql (installed when missing and root, else a clear stop
 * naming the command) and n8n 2.41.1 on Node 24 (cached), so installs count against no test.
 */
const { ensureN8n } = require('../n8n/n8n-env');
const { requireDebianPackages } = require('./services');

module.exports = async () => {
	const log = (/** @type {string} */ line) => process.stdout.write(`[production setup] ${line}\n`);
	let started = Date.now();
	const { installed } = requireDebianPackages({ log });
	log(`redis-server and postgresql ${installed.length ? `installed (${installed.join(', ')})` : 'present'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	started = Date.now();
	await ensureN8n({ log });
	log(`n8n ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
};
