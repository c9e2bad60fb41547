'use strict';
// @ts-check
/**
 * "Today's" build for the scenarios that compare two builds in the same run (2, 3 and 6): the package built
 * from the git ref `--baseline` (exported with `git archive`, built with this tree's dev dependencies), installed
 * in a second n8n home with the credential and the workflows of this run, against the same simulator.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const runner = require('../../n8n/n8n-runner');
const wf = require('../../n8n/workflows');
const { repoDir } = require('../../pack');
const { MIB } = require('./session');

/** This working tree as a label: its commit, and whether it has uncommitted changes. */
function treeLabel() {
	const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoDir, encoding: 'utf8' }).stdout.trim();
	const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoDir, encoding: 'utf8' }).stdout.trim();
	return `this tree @ ${head || 'unknown'}${dirty ? ' + uncommitted changes' : ''}`;
}

/**
 * Packs the package as it is at git ref `ref`.
 * @param {string} ref @param {(prefix: string) => string} tempDir
 */
async function packBaseline(ref, tempDir) {
	const commit = spawnSync('git', ['rev-parse', '--short', `${ref}^{commit}`], { cwd: repoDir, encoding: 'utf8' });
	if (commit.status !== 0) throw new Error(`--baseline ${ref} is not a commit of this repository: ${commit.stderr.trim()}`);
	const baselineDir = tempDir('n8n-bench-baseline-');
	const archive = spawnSync('git', ['archive', '--format=tar', ref], { cwd: repoDir, maxBuffer: 256 * MIB });
	if (archive.status !== 0) throw new Error(`git archive ${ref} failed: ${archive.stderr}`);
	const untar = spawnSync('tar', ['-x', '-C', baselineDir], { input: archive.stdout });
	if (untar.status !== 0) throw new Error(`unpacking ${ref} failed: ${untar.stderr}`);
	fs.symlinkSync(fs.realpathSync(path.join(repoDir, 'node_modules')), path.join(baselineDir, 'node_modules'));
	const pack = await runner.packPackage({ repoDir: baselineDir, log: () => {} });
	return { pack, label: `${ref} @ ${commit.stdout.trim()}` };
}

/**
 * The baseline home: the package built from `ref`, the credential and `workflows`.
 * @param {import('./session').Bench} bench @param {string} ref @param {unknown[]} workflows
 */
async function prepareBaseline(bench, ref, workflows) {
	const baseline = await packBaseline(ref, bench.tempDir);
	const home = await runner.createN8nHome({ tarball: baseline.pack.tarball, log: () => {} });
	await runner.importCredentials(home, [wf.credential(bench.sim.url, bench.token)]);
	await runner.importWorkflows(home, workflows);
	return {
		home,
		label: baseline.label,
		cleanup: async () => {
			await home.cleanup();
			baseline.pack.cleanup();
		},
	};
}

/** @typedef {Awaited<ReturnType<typeof prepareBaseline>>} Baseline */

module.exports = { treeLabel, prepareBaseline };
