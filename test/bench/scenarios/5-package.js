'use strict';
// @ts-check
/**
 * Scenario 5, the package: tarball size; install = `createN8nHome` (unpacking the tarball into
 * `.n8n/nodes/node_modules`); load = require + constructor of the node and credential classes in a fresh
 * Node 24 process; `n8n execute` of a trivial workflow with and without the package.
 */
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const runner = require('../../n8n/n8n-runner');
const wf = require('../../n8n/workflows');
const { alternate } = require('../shared/session');
const { summary, spread, sec, msf } = require('../shared/stats');
const { table } = require('../shared/report');

const trivialWorkflow = () =>
	wf.chain('b5Trivial', 'Bench 5 trivial', [
		wf.manualTrigger(),
		{ id: 'noop', name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 300], parameters: {} },
	]);

function workflows() {
	return [trivialWorkflow()];
}

/** How many times the package is installed and the trivial workflow run (at least 5). @param {number} reps */
const runs = (reps) => Math.max(reps, 5);

/**
 * Times `createN8nHome` with the tarball: `firstMs` (the bench home's own install) and further installs
 * into throwaway homes, `runs(reps)` in all.
 * @param {string} tarball @param {number} firstMs @param {number} reps
 */
async function timeInstalls(tarball, firstMs, reps) {
	const installMs = [firstMs];
	for (let rep = 1; rep < runs(reps); rep++) {
		const t0 = Date.now();
		const extra = await runner.createN8nHome({ tarball, log: () => {} });
		installMs.push(Date.now() - t0);
		await extra.cleanup();
	}
	return installMs;
}

/**
 * Time to load the package's node and credential classes in a fresh Node 24 process, the way
 * n8n's package loader does (require + constructor), with n8n-workflow (which n8n loads anyway)
 * required first, from where the package resolves it, and not counted.
 * @param {string} nodeBin @param {string} packageDir @param {string} n8nModules
 */
function directLoadMs(nodeBin, packageDir, n8nModules) {
	const script = `
const path = require('path');
const pkgFile = path.join(${JSON.stringify(packageDir)}, 'package.json');
require('module').createRequire(pkgFile)('n8n-workflow');
const pkg = require(pkgFile);
const t0 = process.hrtime.bigint();
for (const file of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
	const mod = require(path.join(${JSON.stringify(packageDir)}, file));
	for (const Cls of Object.values(mod)) if (typeof Cls === 'function') new Cls();
}
process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));`;
	const r = spawnSync(nodeBin, ['-e', script], {
		cwd: os.tmpdir(),
		env: { ...process.env, NODE_PATH: n8nModules, NODE_OPTIONS: '' },
		encoding: 'utf8',
	});
	if (r.status !== 0) throw new Error(`direct load failed: ${r.stderr}`);
	return Number(r.stdout);
}

/**
 * @param {import('../shared/session').Bench} bench
 * @param {{ pack: { size: number, unpackedSize: number, files: number, tarball: string }, installMs: number[] }} inputs
 * @returns {Promise<import('../shared/session').ScenarioResult>}
 */
async function run(bench, { pack, installMs }) {
	const { home } = bench;
	const bare = await runner.createN8nHome({ log: () => {} });
	try {
		await runner.importWorkflows(bare, [trivialWorkflow()]);
		/** @type {{ withPackage: number[], without: number[], directMs: number[] }} */
		const raw = { withPackage: [], without: [], directMs: [] };
		await alternate(runs(bench.reps), /** @type {const} */ (['withPackage', 'without']), async (variant) => {
			const r = await bench.execute('b5Trivial', { inHome: variant === 'withPackage' ? home : bare });
			raw[variant].push(r.wallMs);
		});
		const n8nModules = path.join(bench.n8nInstallDir, 'n8n', 'node_modules');
		for (let rep = 0; rep < 10; rep++) raw.directMs.push(directLoadMs(home.n8n.nodeBin, home.packageDir, n8nModules));
		const withPkg = summary(raw.withPackage);
		const without = summary(raw.without);
		const direct = summary(raw.directMs);
		const install = summary(installMs);
		const md = [
			'### 5. Package',
			'',
			...table(
				['measure', 'value'],
				[
					['tarball (`npm pack`)', `${(pack.size / 1024).toFixed(1)} KiB, ${pack.files} files, ${(pack.unpackedSize / 1024).toFixed(1)} KiB unpacked`],
					[`install into n8n (\`createN8nHome\`: unpack into \`.n8n/nodes/node_modules\`, ${install.n} runs)`, spread(install, msf)],
					['load: require + construct node and credential classes, fresh Node 24 process (10 runs)', spread(direct, msf)],
					[`\`n8n execute\` of a trivial workflow, package installed (${withPkg.n} runs)`, spread(withPkg, sec)],
					[`same, no package (${without.n} runs)`, spread(without, sec)],
					['difference of medians (boot noise is ± several 100 ms)', sec(withPkg.median - without.median)],
				],
			),
			'',
		];
		return {
			raw: { tarballBytes: pack.size, unpackedBytes: pack.unpackedSize, files: pack.files, installMs, ...raw },
			markdown: md.join('\n'),
			targets: [],
		};
	} finally {
		await bare.cleanup();
	}
}

module.exports = { workflows, run, timeInstalls };
