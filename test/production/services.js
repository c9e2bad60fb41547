'use strict';
// @ts-check
/**
 * Real Redis and Postgres for n8n's queue mode, from Debian's packages: each started on a free loopback
 * port with its data in a temp folder, stopped (and the folder removed) by `stop()` or when this process exits.
 *
 *   requireDebianPackages({ log });                 // installs redis-server/postgresql when root, else throws the command
 *   const redis = await startRedis({ log });        // { host, port, stop }
 *   const pg = await startPostgres({ log });        // { host, port, user, database, env, psql(sql), stop }
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const { freePort } = require('../n8n/n8n-runner');

const APT_PACKAGES = ['redis-server', 'postgresql'];
const INSTALL_COMMAND = `apt-get install -y ${APT_PACKAGES.join(' ')}`;

/** @param {string} msg */
const defaultLog = (msg) => process.stderr.write(`[services] ${msg}\n`);

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function redisServerBin() {
	for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
		if (fs.existsSync(candidate)) return candidate;
	}
	return undefined;
}

/** Debian installs one folder per major version: /usr/lib/postgresql/<major>/bin. The newest wins. */
function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

/** @param {string[]} args @param {(m: string) => void} log */
function apt(args, log) {
	log(`apt-get ${args.join(' ')}`);
	const r = spawnSync('apt-get', args, {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		encoding: 'utf8',
		timeout: 15 * 60_000,
	});
	return { ok: r.status === 0, output: `${r.stdout || ''}${r.stderr || ''}` };
}

/**
 * Make sure Debian's redis-server and postgresql are installed. As root, installs what is missing with
 * `apt-get install -y redis-server postgresql` (after `apt-get update` if the package lists are stale or
 * empty, as on a fresh machine). Otherwise throws an error naming that command.
 * @param {{ log?: (m: string) => void }} [options]
 */
function requireDebianPackages(options = {}) {
	const log = options.log || defaultLog;
	const missing = [];
	if (!redisServerBin()) missing.push('redis-server');
	if (!postgresBinDir()) missing.push('postgresql');
	if (missing.length === 0) return { installed: [] };
	if (!isRoot()) {
		throw new Error(
			`The production suite needs real Redis and Postgres (missing: ${missing.join(', ')}). ` +
				`Install them as root, then run it again:\n  sudo ${INSTALL_COMMAND}`,
		);
	}
	let r = apt(['install', '-y', ...APT_PACKAGES], log);
	if (!r.ok) {
		const update = apt(['update'], log);
		if (!update.ok) throw new Error(`apt-get update failed:\n${update.output.slice(-3000)}`);
		r = apt(['install', '-y', ...APT_PACKAGES], log);
	}
	if (!r.ok) throw new Error(`${INSTALL_COMMAND} failed:\n${r.output.slice(-3000)}`);
	if (!redisServerBin() || !postgresBinDir()) {
		throw new Error(`${INSTALL_COMMAND} ran, but /usr/bin/redis-server or /usr/lib/postgresql/*/bin/initdb is still missing:\n${r.output.slice(-3000)}`);
	}
	log(`installed ${missing.join(', ')}`);
	return { installed: missing };
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: services die with this process, like the n8n processes of the real-n8n toolkit (test/n8n/).

/** @type {Set<() => void>} */
const emergencyStops = new Set();
let hooked = false;
function hookExit() {
	if (hooked) return;
	hooked = true;
	process.on('exit', () => {
		for (const stop of emergencyStops) stop();
	});
}

/**
 * @param {string} cmd @param {string[]} args @param {{ cwd?: string }} [options]
 * @returns {Promise<{ code: number | null, output: string }>}
 */
function run(cmd, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (b) => (output += b));
		child.stderr.on('data', (b) => (output += b));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, output }));
	});
}

/** @param {() => Promise<boolean>} check @param {number} timeoutMs @param {string} what */
async function waitUntil(check, timeoutMs, what) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
}

// ---------------------------------------------------------------------------------------------
// Redis

/**
 * `redis-server` on 127.0.0.1:<free port>, no persistence, data folder in a temp dir.
 * @param {{ log?: (m: string) => void }} [options]
 */
async function startRedis(options = {}) {
	const log = options.log || defaultLog;
	const bin = redisServerBin();
	if (!bin) throw new Error(`redis-server is not installed: ${INSTALL_COMMAND}`);
	hookExit();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prod-redis-'));
	const port = await freePort();
	const t0 = Date.now();
	const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
		cwd: dir,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (b) => (output += b));
	child.stderr.on('data', (b) => (output += b));
	let alive = true;
	const exited = new Promise((resolve) => child.on('close', () => resolve((alive = false))));
	const emergency = () => {
		try {
			child.kill('SIGKILL');
		} catch {
			/* gone */
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};
	emergencyStops.add(emergency);
	const stop = async () => {
		emergencyStops.delete(emergency);
		if (alive) {
			child.kill('SIGTERM');
			await exited;
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		await waitUntil(async () => alive && /Ready to accept connections/.test(output), 30_000, 'redis-server');
	} catch (error) {
		await stop();
		throw new Error(`${/** @type {Error} */ (error).message}:\n${output.slice(-2000)}`);
	}
	log(`redis-server on 127.0.0.1:${port} (${Date.now() - t0} ms)`);
	return { host: '127.0.0.1', port, stop };
}

// ---------------------------------------------------------------------------------------------
// Postgres

/**
 * A throwaway Postgres cluster on 127.0.0.1:<free port>: `initdb` into a temp folder (trust auth, no fsync),
 * `pg_ctl start` with its socket in that folder. Postgres refuses to run as root, so as root the binaries
 * run as Debian's `postgres` user (`runuser -u postgres`), which owns the folder.
 * `env` holds n8n's `DB_*` settings for this database.
 * @param {{ log?: (m: string) => void, database?: string }} [options]
 */
async function startPostgres(options = {}) {
	const log = options.log || defaultLog;
	const binDir = postgresBinDir();
	if (!binDir) throw new Error(`postgresql is not installed: ${INSTALL_COMMAND}`);
	hookExit();
	const database = options.database || 'n8n';
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prod-postgres-'));
	const dataDir = path.join(dir, 'data');
	const port = await freePort();
	/** @param {string} tool @param {string[]} args */
	const pg = (tool, args) => {
		const bin = path.join(binDir, tool);
		return isRoot() ? run('runuser', ['-u', 'postgres', '--', bin, ...args], { cwd: dir }) : run(bin, args, { cwd: dir });
	};
	if (isRoot()) {
		const chown = await run('chown', ['postgres:postgres', dir]);
		if (chown.code !== 0) throw new Error(`chown postgres ${dir} failed (is Debian's postgres user there?): ${chown.output}`);
	}
	const t0 = Date.now();
	const stopServer = () => pg('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
	const emergency = () => {
		// Synchronous: runs in process.on('exit').
		const bin = path.join(binDir, 'pg_ctl');
		const args = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
		spawnSync(isRoot() ? 'runuser' : bin, isRoot() ? ['-u', 'postgres', '--', bin, ...args] : args, { stdio: 'ignore' });
		fs.rmSync(dir, { recursive: true, force: true });
	};
	emergencyStops.add(emergency);
	const stop = async () => {
		emergencyStops.delete(emergency);
		await stopServer();
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		const init = await pg('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
		if (init.code !== 0) throw new Error(`initdb failed:\n${init.output}`);
		const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
		const start = await pg('pg_ctl', ['-D', dataDir, '-o', settings, '-l', path.join(dir, 'postgres.log'), '-w', '-t', '60', 'start']);
		if (start.code !== 0) {
			const serverLog = fs.existsSync(path.join(dir, 'postgres.log')) ? fs.readFileSync(path.join(dir, 'postgres.log'), 'utf8') : '';
			throw new Error(`pg_ctl start failed:\n${start.output}\n${serverLog.slice(-2000)}`);
		}
		const created = await run(path.join(binDir, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${database}`]);
		if (created.code !== 0) throw new Error(`CREATE DATABASE failed:\n${created.output}`);
	} catch (error) {
		await stop();
		throw error;
	}
	log(`postgres (${path.basename(path.dirname(binDir))}) on 127.0.0.1:${port} (${Date.now() - t0} ms)`);
	return {
		host: '127.0.0.1',
		port,
		user: 'postgres',
		database,
		/** n8n's settings for this database */
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		},
		/**
		 * One SQL query through `psql`; rows as arrays of strings.
		 * @param {string} sql @returns {Promise<string[][]>}
		 */
		async psql(sql) {
			const r = await run(path.join(binDir, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
			if (r.code !== 0) throw new Error(`psql failed: ${r.output}`);
			return r.output.split('\n').filter((line) => line.length > 0).map((line) => line.split('\t'));
		},
		stop,
	};
}

module.exports = { requireDebianPackages, startRedis, startPostgres, INSTALL_COMMAND, APT_PACKAGES };
