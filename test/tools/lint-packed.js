'use strict';
// @ts-check
/**
 * Lints what `npm pack` publishes (dist/ and package.json) with the same rules as the source,
 * as n8n's community-package scanner does with the tarball. Run after `npm run build`.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const { packInto, repoDir } = require('./pack');

// Inside the repository, so that eslint.config.mjs applies to the unpacked files.
const destination = path.join(repoDir, '.packed', 'lint');
const { unpacked, files } = packInto(destination);
console.log(`Packed ${files.length} files; linting ${path.relative(repoDir, unpacked)}`);
try {
	execFileSync(
		'npx',
		['eslint', '--no-warn-ignored', path.join(unpacked, 'dist'), path.join(unpacked, 'package.json')],
		{ cwd: repoDir, stdio: 'inherit' },
	);
	console.log('The packed package lints clean.');
} catch {
	process.exitCode = 1;
}
