'use strict';
// @ts-check
/** Provides n8n before any test starts, so a cold install (minutes) counts against no test. */
const { ensureN8n } = require('./n8n-env');

module.exports = async () => {
	const started = Date.now();
	const n8n = await ensureN8n({ log: (line) => process.stdout.write(`[e2e setup] ${line}\n`) });
	process.stdout.write(`[e2e setup] n8n ${n8n.n8nVersion} on Node ${n8n.nodeVersion} ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
};
