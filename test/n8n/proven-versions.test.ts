/**
 * What the package claims to run on is what the real-n8n suite runs it on: the n8n versions and their Node
 * versions pinned in the real-n8n toolkit (test/n8n/n8n-env.js), package.json "engines" and the README's
 * "Tested with" table, wherever in the README it is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { sections } from '../docs/markdown';
import { repoDir } from '../pack';

const { PROVEN_NODE, DEFAULT_N8N_VERSION } = require('./n8n-env') as { PROVEN_NODE: Record<string, string>; DEFAULT_N8N_VERSION: string };

const manifest = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8'));
const readme = readFileSync(join(repoDir, 'README.md'), 'utf8');
/** The README section that says what the package is tested with, and holds the table. */
const tested = sections(readme).filter((section) => /Tested with/.test(section.body));
const byVersion = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

describe('the versions this package claims', () => {
	it('run the default real-n8n suite on a proven pair', () => {
		expect(PROVEN_NODE[DEFAULT_N8N_VERSION]).toBeDefined();
	});

	it('start "engines" at the oldest Node the real-n8n suite runs on', () => {
		const oldest = Object.values(PROVEN_NODE).sort(byVersion)[0];
		expect(manifest.engines).toEqual({ node: `>=${oldest}` });
	});

	it('are, in the README, exactly the proven n8n versions with their Node versions', () => {
		expect(tested.map((section) => section.heading)).toHaveLength(1);
		const [{ body }] = tested;
		const table = body.slice(body.indexOf('Tested with'));
		const rows = [...table.matchAll(/^\| (\d+\.\d+\.\d+) \| (\d+\.\d+\.\d+) \|$/gm)].map(([, n8n, node]) => [n8n, node]);
		expect(rows.sort(([a], [b]) => byVersion(a, b))).toEqual(Object.entries(PROVEN_NODE).sort(([a], [b]) => byVersion(a, b)));
		expect(readme).not.toMatch(/\b[12]\.x or\b|\bany n8n\b/i);
	});
});
