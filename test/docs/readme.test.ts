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
	['Quick start', 25],
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

describe('CONTRIBUTING.md', () => {
	it('names the install and test commands CI runs, word for word', () => {
		const setUp = sections(readPage('CONTRIBUTING.md')).find((section) => section.heading === 'Set-up')?.body ?? '';
		const commands = [...(/```bash\n([\s\S]*?)```/.exec(setUp)?.[1] ?? '').matchAll(/^(npm [\w:-]+)/gm)].map(([, command]) => command);
		const steps = [...readPage('.ci/run').matchAll(/^step "[^"]+"\s+(.+)$/gm)].map(([, command]) => command.trim());
		expect(commands).toEqual(['npm ci', 'npm test']);
		expect(steps).toEqual(expect.arrayContaining(commands));
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
