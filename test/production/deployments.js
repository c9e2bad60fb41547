'use strict';
// @ts-check
/**
 * n8n deployed the two ways users run it, with this package installed from its tarball as a community package:
 *
 * - `startRegular`: one `n8n start` (regular mode, SQLite): webhooks, schedules and executions in one process.
 * - `startQueue`: queue mode: one main (`n8n start`, webhooks and triggers, enqueues executions in Redis) and
 *   `n8n worker` processes (run them), sharing Postgres and the encryption key. Every process has its own user
 *   folder with the package unpacked in `<folder>/.n8n/nodes/node_modules`, as on separate machines: that is
 *   "installing the package into each worker's nodes folder". Binary data stays at queue mode's default
 *   (`database`, in Postgres).
 *
 * Both import the credential (pointing at the simulator) and the workflows, publish them, start, wait until
 * every webhook is live, and sign in to the REST API as the owner.
 */
const runner = require('../n8n/n8n-runner');
const workflows = require('../n8n/workflows');
const { ownerSession } = require('./n8n-api');

/**
 * @typedef {object} DeploymentOptions
 * @property {string} tarball         the packed package
 * @property {{ url: string }} simulator
 * @property {string} token           API token the credential holds
 * @property {Array<{ id: string, nodes: any[] }>} workflows   imported and published
 * @property {(m: string) => void} log
 * @property {Record<string, string>} [env]  n8n settings for every process
 */

/** Production webhook paths of a set of workflows. @param {Array<{ nodes: any[] }>} list */
const webhookPaths = (list) =>
	list.flatMap((wf) => wf.nodes.filter((node) => node.type === 'n8n-nodes-base.webhook').map((node) => String(node.parameters.path)));

/** @param {runner.N8nHome} home @param {DeploymentOptions} options */
async function provision(home, options) {
	await runner.importCredentials(home, [workflows.credential(options.simulator.url, options.token)]);
	await runner.importWorkflows(home, options.workflows);
	await runner.publishWorkflows(home, options.workflows.map((wf) => wf.id));
}

/** @param {runner.N8nServer} main @param {DeploymentOptions} options */
async function whenLive(main, options) {
	for (const webhookPath of webhookPaths(options.workflows)) await runner.waitForWebhook(main, webhookPath);
}

/**
 * `n8n start` in regular mode on SQLite.
 * @param {DeploymentOptions} options
 */
async function startRegular(options) {
	const home = await runner.createN8nHome({ tarball: options.tarball, log: options.log, env: options.env });
	try {
		await provision(home, options);
		const main = await runner.startN8n(home, { name: 'n8n (regular)' });
		await whenLive(main, options);
		const api = await ownerSession(main, home);
		return {
			main,
			home,
			api,
			webhookUrl: (/** @type {string} */ webhookPath) => `${main.url}/webhook/${webhookPath}`,
			async stop() {
				await main.stop();
				await home.cleanup();
			},
		};
	} catch (error) {
		await home.cleanup();
		throw error;
	}
}

/**
 * @typedef {object} Worker
 * @property {string} name
 * @property {runner.N8nServer} server
 * @property {Set<string>} started    execution ids this worker started (from its log: "Worker started execution <id>")
 * @property {Set<string>} finished   execution ids it finished ("Worker finished execution <id>")
 * @property {runner.N8nHome} home
 */

/**
 * Queue mode: a main and `workers` workers on Redis + Postgres.
 * @param {DeploymentOptions & { redis: { host: string, port: number }, postgres: { env: Record<string, string> },
 *   workers: number, concurrency?: number }} options
 */
async function startQueue(options) {
	const env = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: options.redis.host,
		QUEUE_BULL_REDIS_PORT: String(options.redis.port),
		...options.postgres.env,
		...options.env,
	};
	/** @type {runner.N8nHome[]} */
	const homes = [];
	/** @type {Worker[]} */
	const workers = [];
	/** @type {runner.N8nServer | undefined} */
	let main;
	const stopAll = async () => {
		await Promise.all(workers.map((worker) => worker.server.stop()));
		if (main) await main.stop();
		await Promise.all(homes.map((home) => home.cleanup()));
	};
	const newHome = async () => {
		const home = await runner.createN8nHome({ tarball: options.tarball, log: options.log, env });
		homes.push(home);
		return home;
	};

	let workerCount = 0;
	const addWorker = async () => {
		const name = `worker ${++workerCount}`;
		const home = await newHome();
		/** @type {Worker} */
		const worker = { name, home, started: new Set(), finished: new Set(), server: /** @type {any} */ (undefined) };
		worker.server = await runner.startN8n(home, {
			command: 'worker',
			name,
			args: options.concurrency ? [`--concurrency=${options.concurrency}`] : [],
			onLine: (line) => {
				const m = /Worker (started|finished) execution (\d+)/.exec(line);
				if (m) (m[1] === 'started' ? worker.started : worker.finished).add(m[2]);
			},
		});
		workers.push(worker);
		return worker;
	};

	try {
		const mainHome = await newHome();
		await provision(mainHome, options); // the database is shared: workers see the same credential and workflows
		main = await runner.startN8n(mainHome, { name: 'main (queue)' });
		const started = main;
		await Promise.all(Array.from({ length: options.workers }, () => addWorker()));
		await whenLive(main, options);
		const api = await ownerSession(main, mainHome);
		return {
			main: started,
			workers,
			addWorker,
			api,
			webhookUrl: (/** @type {string} */ webhookPath) => `${started.url}/webhook/${webhookPath}`,
			/** Which worker started an execution, by its log. @param {string} executionId */
			workerOf: (executionId) => workers.find((worker) => worker.started.has(executionId)),
			stop: stopAll,
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}

module.exports = { startRegular, startQueue, webhookPaths };
