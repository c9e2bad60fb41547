'use strict';
// @ts-check
/**
 * Lints what `npm pack` publishes, as n8n's verification does. Run after `npm run build`.
 *
 * 1. This repository's ESLint rules over the unpacked tarball (dist/ and package.json).
 * 2. n8n's package scanner (`@n8n/scan-community-package`, its module: the CLI only fetches from the
 *    registry and exits 0 whatever it finds) on the unpacked tarball and on the source, the two legs its
 *    `analyzePackageByName` runs after download. Offline: `analyzePackage` only runs ESLint.
 *    Any error or warning fails. While package.json has no publisher identity yet (RELEASING.md), both
 *    legs lint copies with placeholders in those fields, so that every other rule still gates.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { packInto, repoDir } = require('../test/pack');
const { withPlaceholderIdentity } = require('./release-identity');

const scannerDir = path.dirname(require.resolve('@n8n/scan-community-package/package.json'));
const fromScanner = (/** @type {string} */ id) => require(require.resolve(id, { paths: [scannerDir] }));
/** @type {any} */
const glob = fromScanner('fast-glob');
const { ESLint } = fromScanner('eslint');

/** The tarball leg of `analyzePackageByName`: compiled JavaScript and the published package.json. */
const PUBLISHED_FILE_PATTERNS = ['**/*.js', 'package.json'];

/**
 * n8n's verdict (`analyzePackage` fails on errors only), then the warnings it passes silently: the same
 * files linted with the scanner's own config and settings.
 * @param {any} scanner @param {string} dir @param {string[]} patterns
 */
async function scan(scanner, dir, patterns) {
	const verdict = await scanner.analyzePackage(dir, patterns);
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanner.buildScanConfig(),
	});
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = await eslint.lintFiles(files);
	const count = (/** @type {'errorCount' | 'warningCount'} */ key) => results.reduce((sum, r) => sum + r[key], 0);
	const report = await (await eslint.loadFormatter('stylish')).format(results);
	return { passed: verdict.passed, errors: count('errorCount'), warnings: count('warningCount'), files: files.length, report, verdict };
}

/**
 * The folder to scan: `dir` itself when package.json has the identity fields, else a copy (of `entries`)
 * whose package.json has placeholders in them.
 * @param {string} dir @param {string[]} entries @param {string} label
 */
function scannable(dir, entries, label) {
	const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const { manifest: filledIn, filled } = withPlaceholderIdentity(manifest);
	if (filled.length === 0) return { dir, filled };
	const copy = fs.mkdtempSync(path.join(os.tmpdir(), `scan-${label}-`));
	for (const entry of entries) {
		if (fs.existsSync(path.join(dir, entry))) fs.cpSync(path.join(dir, entry), path.join(copy, entry), { recursive: true });
	}
	fs.writeFileSync(path.join(copy, 'package.json'), `${JSON.stringify(filledIn, null, 2)}\n`);
	return { dir: copy, filled, cleanup: () => fs.rmSync(copy, { recursive: true, force: true }) };
}

async function main() {
	// Inside the repository, so that eslint.config.mjs applies to the unpacked files.
	const destination = path.join(repoDir, '.packed', 'lint');
	const { unpacked, files } = packInto(destination);
	console.log(`Packed ${files.length} files into ${path.relative(repoDir, unpacked)}`);

	let failed = false;
	try {
		execFileSync('npx', ['eslint', '--no-warn-ignored', path.join(unpacked, 'dist'), path.join(unpacked, 'package.json')], {
			cwd: repoDir,
			stdio: 'inherit',
		});
		console.log('ESLint (this repository\'s rules): the packed package lints clean.');
	} catch {
		failed = true;
	}

	// The scanner makes a temp folder for downloads when loaded; have it removed when we exit.
	fromScanner('tmp').setGracefulCleanup();
	const scanner = await import(path.join(scannerDir, 'scanner', 'scanner.mjs'));
	const { version } = JSON.parse(fs.readFileSync(path.join(scannerDir, 'package.json'), 'utf8'));
	const legs = [
		{ name: 'tarball', ...scannable(unpacked, ['package.json', 'dist'], 'tarball'), patterns: PUBLISHED_FILE_PATTERNS },
		{ name: 'source', ...scannable(repoDir, ['package.json', 'nodes', 'credentials'], 'source'), patterns: scanner.SOURCE_FILE_PATTERNS },
	];
	if (legs[0].filled.length > 0) {
		console.log(
			`Note: package.json has no ${legs[0].filled.join(', ')} yet (RELEASING.md, "One-time setup"). The scanner ` +
				`lints copies with placeholders (*.invalid) in ${legs[0].filled.length === 1 ? 'that field' : 'those fields'}, ` +
				'so its valid-author and require-homepage rules pass here on placeholders only; publishing checks the real ones.',
		);
	}
	for (const leg of legs) {
		const result = await scan(scanner, leg.dir, leg.patterns);
		leg.cleanup?.();
		const clean = result.passed && result.errors === 0 && result.warnings === 0;
		console.log(
			`n8n scanner ${version}, ${leg.name} (${leg.patterns.join(', ')}): ${result.files} files, ` +
				`${result.errors} errors, ${result.warnings} warnings${clean ? '' : ' (FAILED)'}`,
		);
		if (!clean) {
			failed = true;
			console.log(result.report || result.verdict.message);
		}
	}
	if (failed) process.exitCode = 1;
	else console.log('The packed package and its source pass n8n\'s scanner with no errors and no warnings.');
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
