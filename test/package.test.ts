/**
 * What users install: the tarball `npm pack` makes from a built tree. It must hold only the
 * compiled package, README, LICENSE and package.json, and follow n8n's community-package rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { packInto, repoDir } from './pack';

// Unpacked inside the repository so that `n8n-workflow`, the peer dependency, resolves.
const packed = packInto(join(repoDir, '.packed', 'test'));
const manifest = JSON.parse(readFileSync(join(packed.unpacked, 'package.json'), 'utf8'));

describe('the published tarball', () => {
	it('holds only dist/, README, LICENSE and package.json', () => {
		const outside = packed.files.filter(
			(file) => !file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file),
		);
		expect(outside).toEqual([]);
		expect(packed.files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
	});

	it('has no source maps, TypeScript sources, tests or build info', () => {
		const unwanted = packed.files.filter((file) => /\.(map|ts|tsbuildinfo)$|test|spec|simulator|bench/i.test(file));
		expect(unwanted).toEqual([]);
	});

	it('contains every file the "n8n" block points at, with the codex and both icons beside the node', () => {
		const declared = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		expect(declared.length).toBe(2);
		for (const file of declared) expect(packed.files).toContain(file);
		for (const file of ['MagicHourVoiceCloner.node.json', 'magichour.svg', 'magichour.dark.svg']) {
			expect(packed.files).toContain(`dist/nodes/MagicHour/${file}`);
		}
	});

	it('ships the icons byte for byte', () => {
		for (const folder of ['nodes/MagicHour', 'credentials']) {
			for (const icon of ['magichour.svg', 'magichour.dark.svg']) {
				const source = readFileSync(join(repoDir, folder, icon));
				expect(readFileSync(join(packed.unpacked, 'dist', folder, icon)).equals(source)).toBe(true);
			}
		}
	});

	it('loads as n8n loads it: X.node.js exports class X, and the credential class likewise', () => {
		const node = require(join(packed.unpacked, manifest.n8n.nodes[0]));
		const credential = require(join(packed.unpacked, manifest.n8n.credentials[0]));
		expect(new node.MagicHourVoiceCloner().description.name).toBe('magicHourVoiceCloner');
		expect(new credential.MagicHourApi().name).toBe('magicHourApi');
	});
});

describe('package.json', () => {
	it('is a community node package with no runtime dependencies', () => {
		expect(manifest.name).toBe('n8n-nodes-magichour-voice-cloner');
		expect(manifest.license).toBe('MIT');
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.dependencies).toBeUndefined();
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.files).toEqual(['dist']);
		expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
	});

	it('has no install-time scripts and no overrides', () => {
		const forbidden = ['prepare', 'preinstall', 'install', 'postinstall', 'prepublish'];
		expect(Object.keys(manifest.scripts ?? {}).filter((name) => forbidden.includes(name))).toEqual([]);
		expect(manifest.overrides).toBeUndefined();
	});
});
