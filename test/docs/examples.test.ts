/**
 * The example workflows in examples/ are what users import into n8n: each must be a workflow n8n takes,
 * use this package's nodes as they are described, carry no credential of ours nor a local address, and
 * say in sticky notes what to set and what each step does. The real-n8n suite imports and runs each one
 * (test/e2e); this checks that none is left out of it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeHelpers } from 'n8n-workflow';
import type { INode, INodeParameters, INodeTypeDescription } from 'n8n-workflow';

import { MagicHourTrigger } from '../../nodes/MagicHour/MagicHourTrigger.node';
import { MagicHourVoiceCloner } from '../../nodes/MagicHour/MagicHourVoiceCloner.node';
import { repoDir } from '../pack';

const { EXAMPLE_FILES } = require('../n8n/workflows') as { EXAMPLE_FILES: Record<string, string> };

const PACKAGE = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')).name as string;
const ours: Record<string, INodeTypeDescription> = Object.fromEntries(
	[new MagicHourVoiceCloner().description, new MagicHourTrigger().description].map((description) => [`${PACKAGE}.${description.name}`, description]),
);
const STICKY_NOTE = 'n8n-nodes-base.stickyNote';

interface ExampleNode extends INode {
	credentials?: INode['credentials'];
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, Record<string, Array<Array<{ node: string; type: string; index: number }> | null>>>;
	settings?: Record<string, unknown>;
}

const files = readdirSync(join(repoDir, 'examples')).filter((file) => file.endsWith('.json')).sort();
const text = (file: string) => readFileSync(join(repoDir, 'examples', file), 'utf8');
const read = (file: string) => JSON.parse(text(file)) as Example;
const notesOf = (workflow: Example) => workflow.nodes.filter((node) => node.type === STICKY_NOTE).map((node) => String(node.parameters.content));
const displayName = (description: INodeTypeDescription, name: string) => description.properties.find((property) => property.name === name)?.displayName ?? name;
const userPages = () =>
	[join(repoDir, 'README.md'), ...readdirSync(join(repoDir, 'docs')).filter((file) => file.endsWith('.md')).map((file) => join(repoDir, 'docs', file))]
		.map((file) => readFileSync(file, 'utf8'))
		.join('\n');

describe('examples/', () => {
	it('holds the example workflows, each run by the real-n8n suite', () => {
		expect(files.length).toBeGreaterThan(0);
		expect(Object.values(EXAMPLE_FILES).sort()).toEqual(files);
		const suites = readdirSync(join(repoDir, 'test', 'e2e'))
			.filter((file) => file.endsWith('.e2e.js'))
			.map((file) => readFileSync(join(repoDir, 'test', 'e2e', file), 'utf8'))
			.join('\n');
		const unrun = Object.keys(EXAMPLE_FILES).filter((loader) => !new RegExp(`workflows\\.${loader}\\(`).test(suites));
		expect(unrun).toEqual([]);
	});

	it('are each linked from the README or a guide in docs/', () => {
		const pages = userPages();
		expect(files.filter((file) => !pages.includes(`examples/${file}`))).toEqual([]);
	});
});

describe.each(files)('examples/%s', (file) => {
	const workflow = read(file);
	const names = workflow.nodes.map((node) => node.name);
	const steps = workflow.nodes.filter((node) => node.type !== STICKY_NOTE);

	it('is a workflow n8n imports: named, nodes with unique names and known shapes, connections between them', () => {
		expect(typeof workflow.name).toBe('string');
		expect(new Set(names).size).toBe(names.length);
		for (const node of workflow.nodes) {
			expect({ node: node.name, shape: [typeof node.id, typeof node.type, typeof node.typeVersion, node.position?.length, typeof node.parameters] }).toEqual({
				node: node.name,
				shape: ['string', 'string', 'number', 2, 'object'],
			});
		}
		for (const [from, outputs] of Object.entries(workflow.connections)) {
			expect(names).toContain(from);
			for (const connections of Object.values(outputs)) {
				for (const connection of (connections ?? []).flatMap((output) => output ?? [])) {
					expect(names).toContain(connection.node);
					expect(connection).toEqual({ node: connection.node, type: 'main', index: 0 });
				}
			}
		}
		expect(workflow.settings).toMatchObject({ executionOrder: 'v1' });
	});

	it('starts with one trigger and reaches every step from it', () => {
		const triggers = steps.filter((node) => /trigger/i.test(node.type));
		expect(triggers).toHaveLength(1);
		const reached = new Set([triggers[0].name]);
		for (let grew = true; grew; ) {
			grew = false;
			for (const [from, outputs] of Object.entries(workflow.connections)) {
				if (!reached.has(from)) continue;
				for (const connection of Object.values(outputs).flat(2)) {
					if (connection && !reached.has(connection.node)) grew = reached.add(connection.node) !== undefined;
				}
			}
		}
		expect(steps.map((node) => node.name).filter((name) => !reached.has(name))).toEqual([]);
	});

	it('sets only parameters this package\'s nodes have, with values they accept', () => {
		const nodes = workflow.nodes.filter((node) => ours[node.type]);
		expect(nodes.length).toBeGreaterThan(0);
		for (const node of nodes) {
			const description = ours[node.type];
			expect([node.name, description.version]).toEqual([node.name, node.typeVersion]);
			// n8n keeps every parameter the example sets: none is unknown, or hidden for the chosen operation.
			const kept = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description) ?? {};
			const given = node.parameters as INodeParameters;
			expect({ node: node.name, parameters: Object.fromEntries(Object.keys(given).map((key) => [key, kept[key]])) }).toEqual({ node: node.name, parameters: given });
			// A field left for the user to pick (a saved voice of their account) may be empty, when the sticky note
			// names it under **Set first:**; n8n then marks it in the panel. Any other issue is the example's fault.
			const setFirst = /\*\*Set first:\*\*[^\n]*/.exec(notesOf(workflow).join('\n'))?.[0] ?? '';
			const issues = Object.entries(NodeHelpers.getNodeParametersIssues(description.properties, node, description)?.parameters ?? {})
				.filter(([name]) => !setFirst.includes(`*${displayName(description, name)}*`));
			expect({ node: node.name, issues }).toEqual({ node: node.name, issues: [] });
		}
	});

	it('carries no credential and no local address: a user picks their own', () => {
		expect(workflow.nodes.filter((node) => node.credentials).map((node) => node.name)).toEqual([]);
		expect(text(file)).not.toMatch(/127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\]|mhSimulatorCred/i);
	});

	it('says in a sticky note what to set and what each step does', () => {
		const notes = notesOf(workflow);
		expect(notes.length).toBeGreaterThan(0);
		expect(notes.join('\n')).toMatch(/\*\*Set first:\*\*.*credential/);
		const unexplained = steps.map((node) => node.name).filter((name) => !notes.some((note) => note.includes(`**${name}**`)));
		expect(unexplained).toEqual([]);
	});
});
