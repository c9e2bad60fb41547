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
 * every webhook is live, and sign in to the REST API as the owner. `triggerUrl(workflowId, nodeName)` gives a
 * trigger node's production URL as n8n registered it (its `webhook_entity` table), once it answers.
 */
const { execFile } = require('node:child_process');
const path = require('node:path');

const runner = require('./n8n-runner');
const workflows = require('./workflows');
const { ownerSession } = require('./n8n-api');

/**
 * @typedef {object} DeploymentOptions
 * @property {string} tarball         the packed package
 * @property {{ url: string }} simulator
 * @property {string} token           API token the credential holds
 * @property {string} [webhookSecret] the credential's Webhook Secret (for the Magic Hour Trigger)
 * @property {Array<{ id: string, nodes: any[] }>} workflows   imported
 * @property {string[]} [publish]     ids of the workflows to publish (default: all)
 * @property {(m: string) => void} log
 * @property {Record<string, string>} [env]  n8n settings for every process
 */

/** Production webhook paths of a set of workflows. @param {Array<{ nodes: any[] }>} list */
const webhookPaths = (list) =>
	list.flatMap((wf) => wf.nodes.filter((node) => node.type === 'n8n-nodes-base.webhook').map((node) => String(node.parameters.path)));

/** @param {runner.N8nHome} home @param {DeploymentOptions} options */
async function provision(home, options) {
	await runner.importCredentials(home, [workflows.credential(options.simulator.url, options.token, options.webhookSecret)]);
	await runner.importWorkflows(home, options.workflows);
	await runner.publishWorkflows(home, options.publish ?? options.workflows.map((wf) => wf.id));
}

/** @param {DeploymentOptions} options */
const published = (options) => options.workflows.filter((wf) => !options.publish || options.publish.includes(wf.id));

/** @param {runner.N8nServer} main @param {DeploymentOptions} options */
async function whenLive(main, options) {
	for (const webhookPath of webhookPaths(published(options))) await runner.waitForWebhook(main, webhookPath);
}

/**
 * The production URL of a trigger node (`POST`), read from n8n's `webhook_entity` table once n8n has
 * registered it, and waited for until it answers. `webhookPathOf(workflowId, nodeName)` queries the database.
 * @param {runner.N8nServer} main
 * @param {(workflowId: string, nodeName: string) => Promise<string | undefined>} webhookPathOf
 * @param {string} workflowId @param {string} nodeName
 */
async function registeredTriggerUrl(main, webhookPathOf, workflowId, nodeName) {
	/** @type {string | undefined} */
	let webhookPath;
	await runner.until(async () => !!(webhookPath = await webhookPathOf(workflowId, nodeName)), `n8n registers the webhook of "${nodeName}" (${workflowId})`, 60_000);
	await runner.waitForWebhook(main, /** @type {string} */ (webhookPath));
	return `${main.url}/webhook/${webhookPath}`;
}

const WEBHOOK_PATH_SQL = (/** @type {string} */ workflowId, /** @type {string} */ nodeName) =>
	`SELECT "webhookPath" FROM webhook_entity WHERE "workflowId" = '${workflowId}' AND node = '${nodeName.replace(/'/g, "''")}' AND method = 'POST'`;

/**
 * One query on a home's SQLite database with the Node that runs n8n (`node:sqlite`, read-only), retried
 * while n8n holds a lock (n8n 1.x does not use SQLite's WAL mode); the first column of the first row.
 * @param {runner.N8nHome} home @param {string} sql @returns {Promise<string | undefined>}
 */
async function sqliteValue(home, sql) {
	const db = path.join(home.dir, '.n8n', 'database.sqlite');
	const script = `const { DatabaseSync } = require('node:sqlite');
const row = new DatabaseSync(${JSON.stringify(db)}, { readOnly: true }).prepare(${JSON.stringify(sql)}).get();
process.stdout.write(JSON.stringify(row ? Object.values(row)[0] : null));`;
	for (let attempt = 1; ; attempt++) {
		try {
			const stdout = await new Promise((resolve, reject) =>
				execFile(home.n8n.nodeBin, ['--no-warnings', '-e', script], (error, out, err) => (error ? reject(new Error(err || error.message)) : resolve(out))),
			);
			return JSON.parse(/** @type {string} */ (stdout)) ?? undefined;
		} catch (error) {
			if (attempt >= 40 || !/database is locked/.test(String(error))) throw error;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}
}

/**
 * `n8n start` in regular mode on SQLite.
 * @param {DeploymentOptions} options
 */
async function startRegular(options) {
	const home = await runner.createN8nHome({ tarball: options.tarball, log: options.log, env: options.env });
	try {
		await provision(home, options);
		const start = async () => {
			const server = await runner.startN8n(home, { name: 'n8n (regular)' });
			await whenLive(server, options);
			return server;
		};
		let main = await start();
		let api = await ownerSession(main, home);
		return {
			get main() {
				return main;
			},
			home,
			get api() {
				return api;
			},
			webhookUrl: (/** @type {string} */ webhookPath) => `${main.url}/webhook/${webhookPath}`,
			/** @param {string} workflowId @param {string} nodeName */
			triggerUrl: (workflowId, nodeName) =>
				registeredTriggerUrl(main, (id, name) => sqliteValue(home, WEBHOOK_PATH_SQL(id, name)), workflowId, nodeName),
			/** Stops n8n and starts it again on the same home (on another port: read its URLs again). */
			async restart() {
				await main.stop();
				main = await start();
				api = await ownerSession(main, home);
			},
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
 * @param {DeploymentOptions & { redis: { host: string, port: number },
 *   postgres: { env: Record<string, string>, psql: (sql: string) => Promise<string[][]> },
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
	/** @type {runner.N8nServer[]} */
	const webhookProcesses = [];
	const stopAll = async () => {
		await Promise.all([...workers.map((worker) => worker.server), ...webhookProcesses].map((server) => server.stop()));
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

	/**
	 * An `n8n webhook` process (queue mode: takes production webhooks, enqueues their executions) in a user folder
	 * of its own with the package, as behind a load balancer next to the main.
	 */
	const addWebhookProcess = async () => {
		const server = await runner.startN8n(await newHome(), { command: 'webhook', name: `webhook process ${webhookProcesses.length + 1}` });
		webhookProcesses.push(server);
		return server;
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
			addWebhookProcess,
			api,
			webhookUrl: (/** @type {string} */ webhookPath) => `${started.url}/webhook/${webhookPath}`,
			/** @param {string} workflowId @param {string} nodeName @param {runner.N8nServer} [server] the main, or a webhook process */
			triggerUrl: (workflowId, nodeName, server = started) =>
				registeredTriggerUrl(server, async (id, name) => (await options.postgres.psql(WEBHOOK_PATH_SQL(id, name)))[0]?.[0], workflowId, nodeName),
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
