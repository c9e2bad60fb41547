'use strict';
// @ts-check
/**
 * `npm run dev`: the n8n editor on http://127.0.0.1:5678 with this package loaded (from a fresh
 * `npm pack`), a "Magic Hour account" credential pointing at a local simulator, and the example
 * workflow imported the first time (later starts keep what you changed in the editor).
 * Ctrl-C stops everything. The n8n user folder is kept between runs.
 * PORT (default 5678) and SIMULATOR_PORT (default 4010) change the ports; the simulator's own flags
 * after `--` set it up (`npm run dev -- --rate-limit 3 --render-slots 4`, see test/simulator/README.md).
 *
 * `startDevEditor()` is the same set-up for the browser test (`test/ui/`), on free ports and a
 * temporary n8n home.
 */
const fs = require('node:fs');
const path = require('node:path');

const { cacheRoot, ensureN8n } = require('./n8n-env');
const runner = require('./n8n-runner');
const workflows = require('./workflows');
const { startSimulator } = require('../simulator');
const { parseArgs } = require('../simulator/cli');

/**
 * Ids of the workflows in the home's database (none when it has no database yet).
 * @param {import('./n8n-runner').N8nHome} home
 * @returns {Promise<string[]>}
 */
async function workflowIds(home) {
	if (!fs.existsSync(path.join(home.dir, '.n8n', 'database.sqlite'))) return [];
	const r = await runner.runN8n(home, ['list:workflow', '--onlyId']);
	if (r.exitCode !== 0 && !/"message"/.test(r.stdout)) {
		throw new Error(`n8n list:workflow failed (exit ${r.exitCode}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
	}
	/** @type {string[]} */
	const ids = [];
	for (const line of r.stdout.split('\n')) {
		try {
			const { message } = JSON.parse(line);
			if (typeof message === 'string' && /^[A-Za-z0-9]{1,21}$/.test(message.trim())) ids.push(message.trim());
		} catch {
			/* not a log line */
		}
	}
	return ids;
}

/** The simulator's webhook secret, also in the credential: the Magic Hour Trigger accepts the simulator's events. */
const DEV_WEBHOOK_SECRET = 'whsec_dev_webhook_secret';

/**
 * Simulator, packed package, n8n home with the credential and the example workflow, editor.
 * `port` and `simulatorPort` default to free ports; `homeDir` keeps the n8n home (default: a new
 * temporary one, removed by `stop()`).
 * `simulator`: more simulator options (its flags given to `npm run dev`).
 * @param {{ port?: number, simulatorPort?: number, homeDir?: string, renderMs?: number, simulator?: import('../simulator').SimulatorOptions, log?: (line: string) => void }} [options]
 */
async function startDevEditor(options = {}) {
	const log = options.log ?? (() => {});
	await ensureN8n({ log: (line) => log(`n8n: ${line}`) });
	const simulator = await startSimulator({
		token: 'mhk_dev_token',
		webhookSecret: DEV_WEBHOOK_SECRET,
		renderMs: options.renderMs ?? 5000,
		...options.simulator,
		port: options.simulatorPort ?? 0,
	});
	/** @type {import('./n8n-runner').N8nHome | undefined} */
	let home;
	try {
		const packed = await runner.packPackage({ log });
		home = await runner.createN8nHome({ tarball: packed.tarball, dir: options.homeDir, log });
		packed.cleanup();
		const knownIds = await workflowIds(home);
		await runner.importCredentials(home, [workflows.credential(simulator.url, simulator.token, DEV_WEBHOOK_SECRET)]);
		const example = workflows.exampleWorkflow();
		// n8n autosaves the editor: importing again would overwrite what the user changed.
		const exampleImported = !knownIds.includes(example.id);
		if (exampleImported) await runner.importWorkflows(home, [example]);
		const editor = await runner.startEditor(home, { port: options.port });
		const readyHome = home;
		const stop = async () => {
			await editor.stop();
			await simulator.close();
			await readyHome.cleanup();
		};
		return { editor, simulator, home, example, exampleImported, stop };
	} catch (error) {
		// A failed build or boot must not leave the simulator holding the process open.
		await simulator.close();
		await home?.cleanup();
		throw error;
	}
}

async function main() {
	const log = (/** @type {string} */ line) => process.stdout.write(`${line}\n`);
	const { options: simulator, help } = parseArgs(process.argv.slice(2));
	if (help) {
		log('usage: npm run dev [-- <simulator flags: npm run simulator -- --help>]; PORT and SIMULATOR_PORT set the ports');
		return;
	}
	const dev = await startDevEditor({
		simulator,
		port: Number(process.env.PORT ?? 5678),
		simulatorPort: Number(process.env.SIMULATOR_PORT ?? 4010),
		homeDir: path.join(cacheRoot(), 'dev-home'),
		log: (line) => {
			if (line.startsWith('n8n: ')) log(line);
		},
	});
	log(`
The n8n editor is ready: ${dev.editor.url}
  1. Create the owner account (first visit only; it stays in ${dev.home.dir}).
  2. Open the workflow "${dev.example.name}" and click "Execute workflow".
     ${dev.exampleImported ? 'It was just imported.' : 'It was already there, so your changes to it are kept (delete it to get the original back).'}
  3. Each item of "Magic Hour Voice Cloner" has the cloned audio in binary "data" (play it there).
  4. In Clone Voice, Audio Source "Saved Voice" lists the voices saved in the simulator's account.
  Any file of examples/ imports into a new workflow through its ⋯ menu → Import → From file.
The credential "Magic Hour account" points at the simulator on ${dev.simulator.url} (token ${dev.simulator.token},
webhook secret ${DEV_WEBHOOK_SECRET}, as the simulator signs its webhook events).
Ctrl-C stops n8n and the simulator.`);

	const stop = async () => {
		await dev.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

module.exports = { startDevEditor, workflowIds, DEV_WEBHOOK_SECRET };

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`✖ ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
}
