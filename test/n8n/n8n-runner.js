// @ts-check
'use strict';

/**
 * Run workflows in real n8n (the CLI, as users run it) with this package installed from its packed tarball.
 *
 *   const r = require('./n8n-runner');
 *   const { tarball } = await r.packPackage({ repoDir });
 *   const home = await r.createN8nHome({ tarball });
 *   await r.importCredentials(home, [{ id, name, type: 'magicHourApi', data: { apiToken, baseUrl } }]);
 *   await r.importWorkflows(home, [wf1, wf2]);          // one n8n boot for many workflows
 *   const { exitCode, run } = await r.executeWorkflow(home, wf1.id, { timeoutMs: 120000 });
 *   r.nodeOutput(run, 'Magic Hour Voice Cloner');         // items of the node's first output
 *   await home.cleanup();
 *
 * Every n8n call is its own process group (n8n plus its task runner), killed on timeout and when this
 * process exits. Ports (N8N_PORT, N8N_RUNNERS_BROKER_PORT) are picked free per call.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const http = require('http');
const { spawn, execFile } = require('child_process');
const { ensureN8n } = require('./n8n-env');
const { killGroup, liveGroups, atExit, EXIT_SIGNALS } = require('./process-group');

const PACKAGE_NAME = 'n8n-nodes-magichour-voice-cloner';
const ENCRYPTION_KEY = 'magichour-e2e-encryption-key-not-secret';

/** @param {string} msg */
function defaultLog(msg) {
	process.stderr.write(`[n8n-e2e] ${msg}\n`);
}

/** @param {number} t0 */
const since = (t0) => Date.now() - t0;

// ---------------------------------------------------------------------------------------------
// Child process bookkeeping: every child runs in its own process group; all groups die with us.

/** Process groups of running n8n calls (and builds, packs). */
const liveChildren = liveGroups();
let exitHooksInstalled = false;

/** Temp folders (homes, packs) to remove if this process exits or is interrupted before their cleanup(). */
/** @type {Set<string>} */
const liveTempDirs = new Set();

function killAllChildren() {
	liveChildren.killAll();
	if (process.env.KEEP_N8N_HOME !== '1') {
		for (const dir of liveTempDirs) {
			try {
				rmrf(dir);
			} catch {
				/* best effort */
			}
		}
	}
	liveTempDirs.clear();
}

function installExitHooks() {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	atExit(killAllChildren);
}

/**
 * Spawn a command in a new process group; collect output; kill the group on timeout.
 * `stdoutFile`: the command writes its stdout to this file instead of a pipe (read, then removed, when it
 * ends). n8n's CLI prints a run as one log line and then calls `process.exit()`; Node writes to a pipe
 * asynchronously, so a line of several MB (n8n 1.x keeps binary data in the run, as base64) was cut off at
 * exit, now and then; writes to a file are synchronous and complete.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd?: string, env: NodeJS.ProcessEnv, timeoutMs?: number, onStdout?: (chunk: string) => void, stdoutFile?: string }} opts
 * @returns {Promise<{ exitCode: number | null, signal: string | null, stdout: string, stderr: string, durationMs: number, timedOut: boolean }>}
 */
function spawnGroup(cmd, args, opts) {
	installExitHooks();
	const t0 = Date.now();
	return new Promise((resolve, reject) => {
		const stdoutFd = opts.stdoutFile ? fs.openSync(opts.stdoutFile, 'w') : undefined;
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env,
			stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
			detached: true, // own process group, so the whole tree (task runner included) can be killed
		});
		if (stdoutFd !== undefined) fs.closeSync(stdoutFd);
		liveChildren.add(child);
		/** @type {Buffer[]} */ const out = [];
		/** @type {Buffer[]} */ const err = [];
		child.stdout?.on('data', (b) => {
			out.push(b);
			if (opts.onStdout) opts.onStdout(b.toString('utf8'));
		});
		child.stderr?.on('data', (b) => err.push(b));
		let timedOut = false;
		/** @type {NodeJS.Timeout | undefined} */
		let timer;
		if (opts.timeoutMs) {
			timer = setTimeout(() => {
				timedOut = true;
				killGroup(child, 'SIGTERM');
				setTimeout(() => killGroup(child, 'SIGKILL'), 3000).unref();
			}, opts.timeoutMs);
		}
		child.on('error', (e) => {
			if (timer) clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			// The leader is gone; make sure nothing it started (task runner) outlives it.
			killGroup(child, 'SIGKILL');
			let stdout = Buffer.concat(out).toString('utf8');
			if (opts.stdoutFile) {
				stdout = fs.readFileSync(opts.stdoutFile, 'utf8');
				fs.rmSync(opts.stdoutFile, { force: true });
			}
			resolve({
				exitCode: code,
				signal,
				stdout,
				stderr: Buffer.concat(err).toString('utf8'),
				durationMs: since(t0),
				timedOut,
			});
		});
	});
}

/** A TCP port free on 127.0.0.1 right now. */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/** @param {string} dir */
function rmrf(dir) {
	fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

// ---------------------------------------------------------------------------------------------
// Packing

/**
 * `npm run build`, then `npm pack --json` into a temp folder.
 * @param {{ repoDir?: string, log?: (m: string) => void, build?: boolean }} [options]
 * @returns {Promise<{ tarball: string, size: number, unpackedSize: number, files: number, dir: string, cleanup: () => void }>}
 */
async function packPackage(options = {}) {
	const repoDir = options.repoDir || path.resolve(__dirname, '..', '..');
	const log = options.log || defaultLog;
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const env = { ...process.env };
	if (options.build !== false) {
		const t0 = Date.now();
		const r = await spawnGroup(npm, ['run', 'build'], { cwd: repoDir, env, timeoutMs: 5 * 60_000 });
		if (r.exitCode !== 0) {
			throw new Error(`npm run build failed (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
		}
		log(`build: ${since(t0)} ms`);
	}
	const t1 = Date.now();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-pack-'));
	liveTempDirs.add(dir);
	const r = await spawnGroup(npm, ['pack', '--json', '--pack-destination', dir], {
		cwd: repoDir,
		env,
		timeoutMs: 2 * 60_000,
	});
	if (r.exitCode !== 0) {
		liveTempDirs.delete(dir);
		rmrf(dir);
		throw new Error(`npm pack failed (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
	}
	const start = r.stdout.indexOf('[');
	const info = JSON.parse(r.stdout.slice(start))[0];
	const tarball = path.join(dir, info.filename);
	const size = fs.statSync(tarball).size;
	log(`pack: ${info.filename} ${size} bytes, ${info.entryCount} files (${since(t1)} ms)`);
	return {
		tarball,
		size,
		unpackedSize: info.unpackedSize,
		files: info.entryCount,
		dir,
		cleanup: () => {
			liveTempDirs.delete(dir);
			if (process.env.KEEP_N8N_HOME !== '1') rmrf(dir);
		},
	};
}

// ---------------------------------------------------------------------------------------------
// n8n home

/**
 * @typedef {object} N8nHome
 * @property {string} dir            N8N_USER_FOLDER (n8n keeps its state in `<dir>/.n8n`)
 * @property {string} packageDir     where the package was unpacked
 * @property {{ nodeBin: string, n8nBin: string, nodeDir: string, n8nVersion: string }} n8n
 * @property {(m: string) => void} log
 * @property {Record<string, string | undefined>} env  n8n settings for every n8n process of this home (e.g. `DB_*`)
 * @property {() => Promise<void>} cleanup
 */

/**
 * A private N8N_USER_FOLDER with the packed package installed as a community package.
 * n8n 2.41.1 loads every folder `<N8N_USER_FOLDER>/.n8n/nodes/node_modules/n8n-nodes-*` (and scoped `@<scope>/n8n-nodes-<name>`)
 * at boot (community-packages module → scanDirectoryForPackages); it needs no `package.json` in `.n8n/nodes`, no
 * database row and no network. The peer dependency n8n-workflow resolves to n8n's own copy (n8n puts its
 * module paths on NODE_PATH).
 * `dir`: use this folder instead of a new temp one (kept by `cleanup()`; the package in it is replaced),
 * e.g. for an editor whose workflows should survive restarts.
 * `env`: n8n settings for every n8n process started on this home (database, queue mode…); per-call `env` wins.
 * @param {{ tarball?: string, dir?: string, log?: (m: string) => void, env?: Record<string, string | undefined> }} [options]
 * @returns {Promise<N8nHome>}
 */
async function createN8nHome(options = {}) {
	const log = options.log || defaultLog;
	const n8n = await ensureN8n({ log });
	const ownDir = !options.dir;
	const dir = options.dir ? path.resolve(options.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-home-'));
	if (ownDir) {
		installExitHooks();
		liveTempDirs.add(dir);
	}
	const nodesDir = path.join(dir, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(nodesDir, { recursive: true });
	if (options.tarball) {
		const t0 = Date.now();
		rmrf(packageDir);
		fs.mkdirSync(packageDir, { recursive: true });
		await new Promise((resolve, reject) => {
			execFile('tar', ['-xzf', /** @type {string} */ (options.tarball), '-C', packageDir, '--strip-components=1'], (e, _o, se) =>
				e ? reject(new Error(`tar failed: ${se || e.message}`)) : resolve(undefined),
			);
		});
		const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
		log(`home ${dir}: unpacked ${pkg.name}@${pkg.version} (${since(t0)} ms)`);
	} else {
		log(`home ${dir}: no package`);
	}
	let cleaned = false;
	return {
		dir,
		packageDir,
		n8n,
		log,
		env: { ...options.env },
		cleanup: async () => {
			if (cleaned) return;
			cleaned = true;
			if (!ownDir) return;
			liveTempDirs.delete(dir);
			if (process.env.KEEP_N8N_HOME === '1') {
				log(`KEEP_N8N_HOME=1: keeping ${dir}`);
				return;
			}
			rmrf(dir);
		},
	};
}

/**
 * Environment for an n8n process: the caller's environment minus anything n8n- or test-runner-specific,
 * plus a private user folder, fixed key, telemetry off, JSON logs at info, free ports, then the home's `env`
 * and `extra`.
 * @param {N8nHome} home @param {Record<string, string | undefined>} [extra]
 */
async function n8nEnv(home, extra = {}) {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|npm_|JEST_|NODE_OPTIONS$|NODE_ENV$|NODE_PATH$|GENERIC_TIMEZONE$)/i.test(k)) continue;
		env[k] = v;
	}
	Object.assign(env, {
		PATH: `${path.dirname(home.n8n.nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
		N8N_USER_FOLDER: home.dir,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_LOG_FORMAT: 'json',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		GENERIC_TIMEZONE: 'UTC',
	});
	for (const [k, v] of Object.entries({ ...home.env, ...extra })) {
		if (v === undefined) delete env[k];
		else env[k] = v;
	}
	return env;
}

/** CLI calls made by this process, for their stdout files' names. */
let cliCalls = 0;

/**
 * Run one n8n CLI command (its own process). Its standard output goes through a file in the home (see spawnGroup).
 * @param {N8nHome} home @param {string[]} args
 * @param {{ env?: Record<string, string | undefined>, timeoutMs?: number }} [options]
 */
async function runN8n(home, args, options = {}) {
	const env = await n8nEnv(home, options.env);
	return spawnGroup(home.n8n.nodeBin, [home.n8n.n8nBin, ...args], {
		cwd: home.dir,
		env,
		timeoutMs: options.timeoutMs || 120_000,
		stdoutFile: path.join(home.dir, `stdout-${process.pid}-${++cliCalls}.log`),
	});
}

/**
 * n8n 2.41.1 on Node 24 sometimes dies with SIGSEGV inside `process.exit()` after it has finished its work:
 * a thread of its default expression engine (`vm`, isolated-vm) still runs while the process exits. Seen in
 * about 1 `execute` in 5, also with Node 24.21 and outside this toolkit; none in 20 with
 * N8N_EXPRESSION_ENGINE=legacy. The crash comes after the last log line is written, so a command whose
 * success message (or finished run) is in its output counts as successful.
 * @param {Awaited<ReturnType<typeof spawnGroup>>} r
 */
const crashedAtExit = (r) => r.exitCode === null && r.signal === 'SIGSEGV' && !r.timedOut;

/** @param {string} what @param {Awaited<ReturnType<typeof runN8n>>} r @param {RegExp} [successLine] */
function assertOk(what, r, successLine) {
	if (successLine && crashedAtExit(r) && successLine.test(r.stdout)) return;
	if (r.exitCode !== 0 || r.timedOut) {
		throw new Error(
			`${what} failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''}):\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`,
		);
	}
}

/**
 * @param {N8nHome} home
 * @param {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>} creds
 *   plain `data`; n8n encrypts it on import.
 */
async function importCredentials(home, creds) {
	const file = path.join(home.dir, `credentials-${Date.now()}.json`);
	fs.writeFileSync(file, JSON.stringify(Array.isArray(creds) ? creds : [creds], null, 2));
	const r = await runN8n(home, ['import:credentials', `--input=${file}`]);
	fs.rmSync(file, { force: true });
	assertOk('n8n import:credentials', r, /Successfully imported \d+ credential/);
	home.log(`import:credentials (${Array.isArray(creds) ? creds.length : 1}): ${r.durationMs} ms`);
	return { durationMs: r.durationMs };
}

/**
 * Import one workflow or several in one n8n boot. Each needs a fixed `id` (≤ 21 chars) to execute it later.
 * @param {N8nHome} home @param {object | object[]} workflows
 */
async function importWorkflows(home, workflows) {
	const list = Array.isArray(workflows) ? workflows : [workflows];
	for (const wf of list) {
		const w = /** @type {{ id?: unknown }} */ (wf);
		if (typeof w.id !== 'string' || w.id.length === 0 || w.id.length > 21) {
			throw new Error(`workflow needs a string id of 1–21 characters, got ${JSON.stringify(w.id)}`);
		}
	}
	// One array file, one n8n boot. (`--separate --input=<dir>` also works in 2.41.1 but silently skips
	// files it cannot parse; an array file fails as a whole.)
	const file = path.join(home.dir, `workflows-${process.pid}-${Date.now()}.json`);
	fs.writeFileSync(file, JSON.stringify(list, null, 2));
	const r = await runN8n(home, ['import:workflow', `--input=${file}`]);
	fs.rmSync(file, { force: true });
	assertOk('n8n import:workflow', r, /Successfully imported \d+ workflow/);
	// n8n exits 0 even when it skips workflows (content-import policy): check what it reports.
	const m = /Successfully imported (\d+) workflow/.exec(r.stdout);
	if (!m || Number(m[1]) !== list.length) {
		throw new Error(
			`n8n import:workflow imported ${m ? m[1] : '?'} of ${list.length} workflows:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`,
		);
	}
	home.log(`import:workflow (${list.length}): ${r.durationMs} ms`);
	return { durationMs: r.durationMs };
}

/** @param {N8nHome} home @param {object} workflow */
const importWorkflow = (home, workflow) => importWorkflows(home, [workflow]);

/**
 * Publish (activate) imported workflows, as the editor's *Publish* (1.x: *Active*) switch does: one
 * `n8n publish:workflow --id=<id>` each (n8n 2.x publishes one workflow per call; n8n 1.x has no such
 * command: `n8n update:workflow --id=<id> --active=true`). Their triggers and production webhooks go
 * live at the next `n8n start`.
 * @param {N8nHome} home @param {string[]} ids
 */
async function publishWorkflows(home, ids) {
	const v1 = home.n8n.n8nVersion.startsWith('1.');
	const done = v1 ? /Activation or deactivation will not take effect/ : /Changes will not take effect/;
	for (const id of ids) {
		const args = v1 ? ['update:workflow', `--id=${id}`, '--active=true'] : ['publish:workflow', `--id=${id}`];
		const r = await runN8n(home, args);
		assertOk(`n8n ${args.join(' ')}`, r, done);
		if (!done.test(r.stdout)) throw new Error(`n8n ${args.join(' ')} did not publish:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`);
		home.log(`${args[0]} ${id}: ${r.durationMs} ms`);
	}
}

/**
 * Find the IRun in n8n's JSON log output: the last line whose message (or the line itself) parses to an
 * object with `data.resultData`.
 * @param {string} stdout
 */
function parseRun(stdout) {
	/** @type {any} */
	let found;
	/** @param {unknown} v */
	const isRun = (v) =>
		!!v && typeof v === 'object' && !!(/** @type {any} */ (v).data) && !!(/** @type {any} */ (v).data.resultData);
	for (const line of stdout.split('\n')) {
		const t = line.trim();
		if (!t.startsWith('{')) continue;
		let obj;
		try {
			obj = JSON.parse(t);
		} catch {
			continue;
		}
		if (isRun(obj)) {
			found = obj;
			continue;
		}
		if (obj && typeof obj.message === 'string' && obj.message.trim().startsWith('{')) {
			try {
				const inner = JSON.parse(obj.message);
				if (isRun(inner)) found = inner;
			} catch {
				/* not the run */
			}
		} else if (obj && isRun(obj.message)) {
			found = obj.message;
		}
	}
	return found;
}

/**
 * `n8n execute --id=<id> --rawOutput`.
 * `exitCode` is n8n's: 0 for a successful execution, 1 for a failed one (or a missing workflow). When n8n
 * crashed in `process.exit()` after printing a finished run (see `crashedAtExit`), `exitCode` is derived from
 * the run (error → 1, else 0) and `crashedAtExit` is true; `rawExitCode`/`signal` keep what the OS reported.
 * @param {N8nHome} home @param {string} workflowId
 * @param {{ env?: Record<string, string | undefined>, timeoutMs?: number }} [options]
 * @returns {Promise<{ exitCode: number | null, run: any, stdout: string, stderr: string, durationMs: number, timedOut: boolean, crashedAtExit: boolean, rawExitCode: number | null, signal: string | null }>}
 */
async function executeWorkflow(home, workflowId, options = {}) {
	const r = await runN8n(home, ['execute', `--id=${workflowId}`, '--rawOutput'], options);
	const run = parseRun(r.stdout);
	let exitCode = r.exitCode;
	const crashed = crashedAtExit(r) && !!run && typeof run.status === 'string' && run.stoppedAt !== undefined;
	if (crashed) exitCode = runError(run) || run.status !== 'success' ? 1 : 0;
	home.log(
		`execute ${workflowId}: exit ${exitCode}${crashed ? ' (n8n crashed in process.exit after the run)' : ''}` +
			`${r.signal && !crashed ? ` signal ${r.signal}` : ''}${r.timedOut ? ' (timed out)' : ''}, ${r.durationMs} ms`,
	);
	return {
		exitCode,
		run,
		stdout: r.stdout,
		stderr: r.stderr,
		durationMs: r.durationMs,
		timedOut: r.timedOut,
		crashedAtExit: crashed,
		rawExitCode: r.exitCode,
		signal: r.signal,
	};
}

/**
 * Items of the first main output of a node's first run.
 * @param {any} run @param {string} nodeName @returns {any[]}
 */
function nodeOutput(run, nodeName) {
	const runs = run && run.data && run.data.resultData && run.data.resultData.runData;
	if (!runs || !runs[nodeName]) {
		throw new Error(`node "${nodeName}" did not run; ran: ${runs ? Object.keys(runs).join(', ') : '(no run data)'}`);
	}
	const first = runs[nodeName][0];
	if (!first.data) {
		throw new Error(`node "${nodeName}" has no output data${first.error ? `: ${first.error.message}` : ''}`);
	}
	return first.data.main[0];
}

/**
 * The execution's error (`run.data.resultData.error`), or undefined.
 * @param {any} run
 * @returns {{ message: string, description?: string, node?: { name: string, type: string }, name?: string, [k: string]: any } | undefined}
 */
function runError(run) {
	return (run && run.data && run.data.resultData && run.data.resultData.error) || undefined;
}

// ---------------------------------------------------------------------------------------------
// Editor

/** @param {string} url */
function httpOk(url) {
	return new Promise((resolve) => {
		const req = http.get(url, (res) => {
			res.resume();
			resolve(res.statusCode === 200);
		});
		req.setTimeout(2000, () => req.destroy());
		req.on('error', () => resolve(false));
	});
}

/**
 * @typedef {object} N8nServer
 * @property {string} url           base URL of the process's HTTP server (editor and webhooks; a worker's health server)
 * @property {number} port
 * @property {number} pid           process group id (n8n and its task runner)
 * @property {() => Promise<void>} stop     SIGTERM (graceful), SIGKILL after 10 s
 * @property {(signal?: NodeJS.Signals) => Promise<void>} kill   signal the whole group now (default SIGKILL) and wait for its exit
 * @property {() => string} output  the last ~100 KB of its output
 * @property {() => boolean} alive
 */

/**
 * A long-running n8n process on 127.0.0.1 with the home's package loaded: `n8n start` (main), `n8n worker`, or
 * `n8n webhook` (queue mode's webhook process). Resolves once `/healthz/readiness` answers 200 (plain `/healthz`
 * already answers while n8n is still starting): for a main or a webhook process on N8N_PORT, for a worker on its
 * health server (QUEUE_HEALTH_CHECK_PORT, switched on here).
 * `onLine` sees every line of output (stdout and stderr), e.g. to follow a worker's log.
 * @param {N8nHome} home
 * @param {{ command?: 'start' | 'worker' | 'webhook', args?: string[], port?: number, env?: Record<string, string | undefined>,
 *   timeoutMs?: number, inheritOutput?: boolean, onLine?: (line: string) => void, name?: string }} [options]
 * @returns {Promise<N8nServer>}
 */
async function startN8n(home, options = {}) {
	installExitHooks();
	const command = options.command || 'start';
	const name = options.name || (command === 'start' ? 'n8n' : command);
	const port = options.port || (await freePort());
	const env = await n8nEnv(home, {
		N8N_LOG_FORMAT: 'text',
		...(command === 'worker'
			? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' }
			: { N8N_PORT: String(port), N8N_SECURE_COOKIE: 'false', N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/` }),
		...options.env,
	});
	const t0 = Date.now();
	const child = spawn(home.n8n.nodeBin, [home.n8n.n8nBin, command, ...(options.args || [])], {
		cwd: home.dir,
		env,
		stdio: ['ignore', options.inheritOutput ? 'inherit' : 'pipe', options.inheritOutput ? 'inherit' : 'pipe'],
		detached: true,
	});
	liveChildren.add(child);
	let output = '';
	/** @type {Record<string, string>} */
	const partial = { out: '', err: '' };
	const append = (/** @type {'out' | 'err'} */ stream) => (/** @type {Buffer} */ b) => {
		const text = b.toString('utf8');
		output += text;
		if (output.length > 200_000) output = output.slice(-100_000);
		if (!options.onLine) return;
		const lines = (partial[stream] + text).split('\n');
		partial[stream] = lines.pop() || '';
		for (const line of lines) options.onLine(line);
	};
	if (child.stdout) child.stdout.on('data', append('out'));
	if (child.stderr) child.stderr.on('data', append('err'));
	/** @type {Promise<void>} */
	const exited = new Promise((resolve) =>
		child.on('close', () => {
			killGroup(child, 'SIGKILL');
			resolve();
		}),
	);
	let alive = true;
	exited.then(() => (alive = false));

	const stop = async () => {
		if (!alive) return;
		killGroup(child, 'SIGTERM');
		const t = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
		await exited;
		clearTimeout(t);
	};
	const kill = async (/** @type {NodeJS.Signals} */ signal = 'SIGKILL') => {
		if (!alive) return;
		killGroup(child, signal);
		await exited;
	};

	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + (options.timeoutMs || 120_000);
	while (alive && Date.now() < deadline) {
		if (await httpOk(`${url}/healthz/readiness`)) {
			home.log(`${name} up at ${url} (${since(t0)} ms)`);
			return { url, port, pid: /** @type {number} */ (child.pid), stop, kill, output: () => output, alive: () => alive };
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	await stop();
	throw new Error(`n8n ${command} did not answer ${url}/healthz/readiness${alive ? ' in time' : ' (exited)'}:\n${output.slice(-4000)}`);
}

/**
 * Waits until `condition` holds, looking every 250 ms (no assertion depends on how long it takes).
 * @param {() => boolean | Promise<boolean>} condition @param {string} what @param {number} [timeoutMs]
 */
async function until(condition, what, timeoutMs = 90_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await condition()) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`gave up waiting: ${what}`);
}

/**
 * Wait until a published workflow's production webhook `<method> /webhook/<path>` is live. n8n answers
 * `/healthz/readiness` before it has processed its publication queue, so a call right after start can get
 * 404 "not registered". Probes with another method (no execution starts): n8n then answers "not registered
 * for GET requests. Did you mean to make a POST request?" once the path is registered.
 * @param {{ url: string }} server @param {string} webhookPath @param {{ method?: string, timeoutMs?: number }} [options]
 */
async function waitForWebhook(server, webhookPath, options = {}) {
	const method = options.method || 'POST';
	const probe = method === 'GET' ? 'DELETE' : 'GET';
	const deadline = Date.now() + (options.timeoutMs || 60_000);
	let last = '';
	while (Date.now() < deadline) {
		const response = await fetch(`${server.url}/webhook/${webhookPath}`, { method: probe }).catch(() => undefined);
		last = response ? await response.text() : 'no answer';
		if (last.includes(`Did you mean to make a ${method} request`) || last.includes(`or ${method} request`)) return;
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`webhook ${method} /webhook/${webhookPath} was not registered in time; n8n's last answer: ${last.slice(0, 300)}`);
}

/**
 * `n8n start` (the editor, webhooks, triggers) on 127.0.0.1 with the home's package loaded.
 * @param {N8nHome} home
 * @param {{ port?: number, env?: Record<string, string | undefined>, timeoutMs?: number, inheritOutput?: boolean, onLine?: (line: string) => void }} [options]
 */
const startEditor = (home, options = {}) => startN8n(home, { ...options, command: 'start', name: 'editor' });

module.exports = {
	PACKAGE_NAME,
	NODE_TYPE: `${PACKAGE_NAME}.magicHourVoiceCloner`,
	ensureN8n,
	packPackage,
	createN8nHome,
	importCredentials,
	importWorkflow,
	importWorkflows,
	executeWorkflow,
	runN8n,
	parseRun,
	nodeOutput,
	runError,
	startEditor,
	startN8n,
	publishWorkflows,
	waitForWebhook,
	until,
	freePort,
	killAllChildren,
};

// ---------------------------------------------------------------------------------------------
// CLI: `node test/n8n/n8n-runner.js editor [--port=5678] [--dir=<folder>] [--no-build]`
// builds and packs the package, installs it into a persistent n8n home (default: `dev-home` in the n8n
// cache folder, so workflows and the owner account survive restarts) and runs the n8n editor until Ctrl-C.

if (require.main === module) {
	const [command, ...rest] = process.argv.slice(2);
	/** @param {string} name */
	const flag = (name) => {
		const hit = rest.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
		return hit === undefined ? undefined : hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : 'true';
	};
	if (command !== 'editor') {
		process.stderr.write('usage: node test/n8n/n8n-runner.js editor [--port=5678] [--dir=<folder>] [--no-build]\n');
		process.exit(2);
	}
	(async () => {
		const { cacheRoot } = require('./n8n-env');
		const pack = await packPackage({ build: flag('no-build') === undefined });
		const home = await createN8nHome({
			tarball: pack.tarball,
			dir: flag('dir') || path.join(cacheRoot(), 'dev-home'),
		});
		pack.cleanup();
		const editor = await startEditor(home, { port: Number(flag('port') || 5678), inheritOutput: true });
		process.stdout.write(`\nn8n ${editor.url} (home ${home.dir}); Ctrl-C stops it\n`);
		// Stop gracefully (SIGTERM, SIGKILL after 10 s) instead of the default hard kill of the test helpers.
		const stop = () => {
			editor.stop().then(() => process.exit(0));
		};
		for (const sig of EXIT_SIGNALS) {
			process.removeAllListeners(sig);
			process.on(sig, stop);
		}
	})().catch((e) => {
		process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
		process.exit(1);
	});
}
