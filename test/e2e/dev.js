'use strict';
// @ts-check
/**
 * `npm run dev`: the n8n editor on http://127.0.0.1:5678 with this package loaded (from a fresh
 * `npm pack`), a "Magic Hour account" credential pointing at a local simulator, and the example
 * workflow imported. Ctrl-C stops everything. The n8n user folder is kept between runs.
 * PORT (default 5678) and SIMULATOR_PORT (default 4010) change the ports.
 */
const path = require('node:path');

const { cacheRoot, ensureN8n } = require('./n8n-env');
const runner = require('./n8n-runner');
const workflows = require('./workflows');
const { startSimulator } = require('../simulator');

const log = (line) => process.stdout.write(`${line}\n`);

async function main() {
	await ensureN8n({ log: (line) => log(`n8n: ${line}`) });
	const simulator = await startSimulator({
		token: 'mhk_dev_token',
		port: Number(process.env.SIMULATOR_PORT ?? 4010),
		renderMs: 5000,
	});
	const packed = await runner.packPackage({ log: () => {} });
	const home = await runner.createN8nHome({ tarball: packed.tarball, dir: path.join(cacheRoot(), 'dev-home'), log: () => {} });
	await runner.importCredentials(home, [workflows.credential(simulator.url, simulator.token)]);
	await runner.importWorkflows(home, [workflows.exampleWorkflow()]);
	const editor = await runner.startEditor(home, { port: Number(process.env.PORT ?? 5678) });
	log(`
The n8n editor is ready: ${editor.url}
  1. Create the owner account (first visit only; it stays in ${home.dir}).
  2. Open the workflow "${workflows.exampleWorkflow().name}" and click "Execute workflow".
  3. Each item of "Magic Hour Voice Cloner" has the cloned audio in binary "data" (play it there).
The credential "Magic Hour account" points at the simulator on ${simulator.url} (token ${simulator.token}).
Ctrl-C stops n8n and the simulator.`);

	const stop = async () => {
		await editor.stop();
		await simulator.close();
		packed.cleanup();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`✖ ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
