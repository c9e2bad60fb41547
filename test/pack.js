'use strict';
// @ts-check
/** Packs the package as `npm publish` would and unpacks it, for the checks that read the tarball. */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const repoDir = path.resolve(__dirname, '..');

/**
 * @param {string} destination folder for the tarball and its unpacked `package/`
 * @returns {{ tarball: string, files: string[], unpacked: string, size: number }}
 */
function packInto(destination) {
	fs.rmSync(destination, { recursive: true, force: true });
	fs.mkdirSync(destination, { recursive: true });
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: repoDir,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [info] = JSON.parse(output);
	const tarball = path.join(destination, info.filename);
	execFileSync('tar', ['-xzf', tarball, '-C', destination]);
	return {
		tarball,
		files: info.files.map((/** @type {{ path: string }} */ file) => file.path).sort(),
		unpacked: path.join(destination, 'package'),
		size: info.size,
	};
}

module.exports = { packInto, repoDir };
