/**
 * The README is the user's front page: a fixed set of sections in a fixed order, each within its budget of
 * lines and 250 in all, what a user needs and *Install* within the first screen, and headings whose anchors are
 * the same on GitHub and on npm's package page. The pages users and contributors read say nothing of how the
 * project was made.
 */
import { headings, markdownFiles, readPage, sections } from './markdown';

const readme = readPage('README.md');

/** Each section of the README and the most lines it may take, its heading line included; "" is the top. */
const LAYOUT: Array<[string, number]> = [
	['', 10],
	['Contents', 14],
	['Before you start', 24],
	['Install', 24],
	['Credential', 16],
	['Quick start', 30],
	['Operations and trigger events', 32],
	['What it costs', 18],
	['Recipes', 18],
	['Common problems', 17],
	['Resources', 10],
];

describe('README.md', () => {
	const found = sections(readme);

	it('has the sections of the layout, in its order', () => {
		expect(found.map((section) => section.heading)).toEqual(LAYOUT.map(([heading]) => heading));
	});

	it('keeps each section within its budget of lines, and 250 lines in all', () => {
		const over = found.filter((section, index) => section.lines > (LAYOUT[index]?.[1] ?? 0)).map((section) => `${section.heading || '(top)'}: ${section.lines} lines`);
		expect(over).toEqual([]);
		expect(readme.replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(250);
	});

	it('says in its first 60 lines what a user needs, and reaches Install', () => {
		const first = readme.split('\n').slice(0, 60).join('\n');
		expect(first).toMatch(/Magic Hour account/);
		expect(first).toMatch(/API key/);
		expect(first).toMatch(/credits/);
		expect(first).toMatch(/^## Install$/m);
	});

	it('lists its sections in Contents, in order', () => {
		const contents = found.find((section) => section.heading === 'Contents')?.body ?? '';
		const listed = [...contents.matchAll(/^- \[([^\]]+)\]\(#([^)]+)\)$/gm)].map(([, text, anchor]) => [text, anchor]);
		const rest = headings(readme).filter((heading) => heading.level === 2 && heading.text !== 'Contents');
		expect(listed).toEqual(rest.map((heading) => [heading.text, heading.anchor]));
	});

	it('has plain headings, so that their anchors are the same on GitHub and on npm', () => {
		const fancy = headings(readme).filter((heading) => !/^[A-Za-z0-9][A-Za-z0-9 -]*$/.test(heading.text));
		expect(fancy.map((heading) => heading.text)).toEqual([]);
	});
});

describe('the commands a reader is given', () => {
	const ciSteps = [...readPage('.ci/run').matchAll(/^step "[^"]+"\s+(.+)$/gm)].map(([, command]) => command.trim());
	const commandsIn = (page: string, heading: string) => {
		const body = sections(readPage(page)).find((section) => section.heading === heading)?.body ?? '';
		return [...(/```bash\n([\s\S]*?)```/.exec(body)?.[1] ?? '').matchAll(/^(npm (?:run )?[\w:-]+)/gm)].map(([, command]) => command);
	};

	it("README's quick start: install, the demo, the tests; CI runs its install and test commands word for word", () => {
		const commands = commandsIn('README.md', 'Quick start');
		expect(commands).toEqual(['npm ci', 'npm run demo', 'npm test']);
		expect(ciSteps).toEqual(expect.arrayContaining(['npm ci', 'npm test']));
	});

	it("CONTRIBUTING's set-up: the same install and test commands", () => {
		expect(commandsIn('CONTRIBUTING.md', 'Set-up')).toEqual(['npm ci', 'npm test']);
	});
});

describe('the pages users and contributors read', () => {
	const pages = markdownFiles().filter((file) => !file.startsWith('test/') && file !== 'CHANGELOG.md');
	const madeHow = /\b(brief|this round|round's|other agents|agents' |session|this branch|uncommitted|today's)\b|\bissue \d+/i;

	it.each(pages)('%s says nothing of how the project was made', (file) => {
		const lines = readPage(file)
			.split('\n')
			.flatMap((line, index) => (madeHow.test(line) ? [`line ${index + 1}: ${line.trim()}`] : []));
		expect(lines).toEqual([]);
	});
});
