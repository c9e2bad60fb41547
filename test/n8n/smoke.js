// @ts-check
'use strict';

/**
 * Smoke test of the real-n8n toolkit.
 *   node test/n8n/smoke.js                 provisioning + core workflows (+ the packed package when dist/ builds)
 *   node test/n8n/smoke.js --no-package    skip the package check
 *   node test/n8n/smoke.js --editor        also start `n8n start`, wait for readiness, check the node type is served
 * Prints phases with timings; exits non-zero on failure.
 */

const fs = require('fs');
const path = require('path');
const http = require('http');
const r = require('./n8n-runner');

const repoDir = path.resolve(__dirname, '..', '..');
const args = new Set(process.argv.slice(2));
const log = (/** @type {string} */ m) => process.stdout.write(`[smoke] ${m}\n`);
/** @type {Array<[string, number]>} */
const timings = [];

/** @template T @param {string} name @param {() => Promise<T>} fn @returns {Promise<T>} */
async function phase(name, fn) {
	const t0 = Date.now();
	log(`${name} ...`);
	const v = await fn();
	const ms = Date.now() - t0;
	timings.push([name, ms]);
	log(`${name}: ok (${ms} ms)`);
	return v;
}

/** @param {unknown} cond @param {string} msg */
function assert(cond, msg) {
	if (!cond) throw new Error(`assertion failed: ${msg}`);
}

const manualTrigger = {
	id: 'a0000000-0000-4000-8000-000000000001',
	name: 'When clicking ‘Execute workflow’',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/**
 * A workflow of the manual trigger and one node after it, that node's id ending in `number`.
 * @param {string} id @param {string} name @param {number} number @param {{ name: string } & Record<string, unknown>} node
 */
function triggerThen(id, name, number, node) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { [manualTrigger.name]: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
		nodes: [manualTrigger, { id: `a0000000-0000-4000-8000-00000000000${number}`, ...node, position: [200, 0] }],
	};
}

const setWorkflow = triggerThen('smokeSet0000000001', 'smoke: set', 2, {
	name: 'Set',
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	parameters: {
		assignments: {
			assignments: [
				{ id: 'x1', name: 'greeting', value: 'hello', type: 'string' },
				{ id: 'x2', name: 'answer', value: 42, type: 'number' },
			],
		},
		options: {},
	},
});

const codeWorkflow = triggerThen('smokeCode000000001', 'smoke: code', 3, {
	name: 'Code',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	parameters: { jsCode: 'return [1, 2, 3].map((n) => ({ json: { n, square: n * n } }));' },
});

const packageWorkflow = triggerThen('smokePkg0000000001', 'smoke: package loads', 4, {
	name: 'Magic Hour Voice Cloner',
	type: r.NODE_TYPE,
	typeVersion: 1,
	parameters: { operation: 'delete', projectId: 'x' },
	credentials: { magicHourApi: { id: 'smokeCred000000001', name: 'Magic Hour (unreachable)' } },
});

async function main() {
	const tAll = Date.now();
	const n8n = await phase('ensureN8n', () => r.ensureN8n({ log }));
	log(`node ${n8n.nodeBin}\n[smoke] n8n  ${n8n.n8nBin}`);

	const home = await phase('createN8nHome (no package)', () => r.createN8nHome({ log }));
	try {
		await phase('import 2 workflows (one boot)', () => r.importWorkflows(home, [setWorkflow, codeWorkflow]));

		const set = await phase('execute set workflow', () => r.executeWorkflow(home, setWorkflow.id));
		assert(set.exitCode === 0, `set: exit code ${set.exitCode}\n${set.stdout.slice(-3000)}\n${set.stderr.slice(-2000)}`);
		assert(set.run, 'set: no IRun in the log');
		const setItems = r.nodeOutput(set.run, 'Set');
		assert(setItems.length === 1, `set: 1 item, got ${setItems.length}`);
		assert(setItems[0].json.greeting === 'hello' && setItems[0].json.answer === 42, `set: ${JSON.stringify(setItems[0].json)}`);
		assert(r.runError(set.run) === undefined, 'set: no run error');

		const code = await phase('execute code workflow (task runner)', () => r.executeWorkflow(home, codeWorkflow.id));
		assert(code.exitCode === 0, `code: exit code ${code.exitCode}\n${code.stdout.slice(-3000)}\n${code.stderr.slice(-2000)}`);
		const codeItems = r.nodeOutput(code.run, 'Code');
		assert(
			JSON.stringify(codeItems.map((i) => i.json)) === JSON.stringify([1, 2, 3].map((n) => ({ n, square: n * n }))),
			`code: ${JSON.stringify(codeItems)}`,
		);

		const missing = await phase('execute unknown workflow id', () => r.executeWorkflow(home, 'doesNotExist000001'));
		assert(missing.exitCode === 1, `unknown id: exit 1, got ${missing.exitCode}`);
	} finally {
		await home.cleanup();
	}

	const distNode = path.join(repoDir, 'dist', 'nodes', 'MagicHourVoiceCloner', 'MagicHourVoiceCloner.node.js');
	if (args.has('--no-package')) {
		log('package check skipped (--no-package)');
	} else if (!fs.existsSync(path.join(repoDir, 'nodes')) && !fs.existsSync(distNode)) {
		log('package check SKIPPED: the package has no nodes/ yet');
	} else {
		const pack = await phase('npm run build + npm pack', () => r.packPackage({ repoDir, log }));
		const pkgHome = await phase('createN8nHome (with package)', () => r.createN8nHome({ tarball: pack.tarball, log }));
		try {
			await phase('import credentials', () =>
				r.importCredentials(pkgHome, [
					{
						id: 'smokeCred000000001',
						name: 'Magic Hour (unreachable)',
						type: 'magicHourApi',
						data: { apiToken: 'smoke-token', baseUrl: 'http://127.0.0.1:9' },
					},
				]),
			);
			await phase('import package workflow', () => r.importWorkflow(pkgHome, packageWorkflow));
			const res = await phase('execute package workflow', () => r.executeWorkflow(pkgHome, packageWorkflow.id));
			const err = r.runError(res.run);
			log(`package workflow: exit ${res.exitCode}, error ${JSON.stringify(err && { message: err.message, node: err.node && err.node.type, description: err.description })}`);
			assert(res.exitCode === 1, `package workflow should fail (exit 1), got ${res.exitCode}`);
			assert(err, `package workflow: no run error\n${res.stdout.slice(-3000)}`);
			assert(!/Unrecognized node type/i.test(JSON.stringify(err)), `node not loaded: ${err && err.message}`);
			assert(err && err.node && err.node.type === r.NODE_TYPE, `error should come from our node, got ${JSON.stringify(err && err.node)}`);
			const runData = res.run.data.resultData.runData['Magic Hour Voice Cloner'];
			assert(runData && runData[0] && runData[0].error, 'our node ran and recorded an error');
			log(`our node ran ${runData[0].executionTime} ms before failing`);
		} finally {
			await pkgHome.cleanup();
			pack.cleanup();
		}

		if (args.has('--editor')) {
			const edPack = await r.packPackage({ repoDir, log, build: false });
			const edHome = await r.createN8nHome({ tarball: edPack.tarball, log });
			try {
				const editor = await phase('n8n start (editor) until /healthz/readiness', () => r.startEditor(edHome));
				try {
					// Type files need a signed-in user in 2.x: create the owner, then read them with its cookie.
					const headers = { 'browser-id': 'smoke-browser' };
					const setup = await request('POST', `${editor.url}/rest/owner/setup`, headers, {
						email: 'owner@example.com',
						firstName: 'Smoke',
						lastName: 'Test',
						password: 'Smoke-Test-Passw0rd',
					});
					assert(setup.status === 200, `owner setup: status ${setup.status} ${setup.body.slice(0, 300)}`);
					const cookie = (setup.headers['set-cookie'] || []).map((c) => c.split(';')[0]).join('; ');
					const typesRes = await request('GET', `${editor.url}/types/nodes.json`, { ...headers, cookie });
					assert(typesRes.status === 200, `types: status ${typesRes.status}`);
					const types = JSON.parse(typesRes.body);
					assert(
						Array.isArray(types) && types.some((t) => t && t.name === r.NODE_TYPE),
						`editor node types include ${r.NODE_TYPE}`,
					);
					log(`editor serves ${r.NODE_TYPE} in /types/nodes.json`);
				} finally {
					await phase('stop editor', () => editor.stop());
				}
			} finally {
				await edHome.cleanup();
				edPack.cleanup();
			}
		}
	}

	log('timings:');
	for (const [name, ms] of timings) log(`  ${name.padEnd(40)} ${String(ms).padStart(7)} ms`);
	log(`all ok in ${((Date.now() - tAll) / 1000).toFixed(1)} s`);
}

/**
 * @param {string} method @param {string} url @param {Record<string, string>} headers @param {unknown} [body]
 * @returns {Promise<{ status: number, headers: import('http').IncomingHttpHeaders, body: string }>}
 */
function request(method, url, headers, body) {
	return new Promise((resolve, reject) => {
		const data = body === undefined ? undefined : JSON.stringify(body);
		const req = http.request(
			url,
			{ method, headers: { ...headers, ...(data ? { 'content-type': 'application/json' } : {}) } },
			(res) => {
				/** @type {Buffer[]} */ const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					resolve({ status: res.statusCode || 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
				);
			},
		);
		req.on('error', reject);
		if (data) req.write(data);
		req.end();
	});
}

main().then(
	() => process.exit(0),
	(e) => {
		process.stderr.write(`[smoke] FAILED: ${e && e.stack ? e.stack : e}\n`);
		process.exit(1);
	},
);
