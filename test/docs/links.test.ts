/**
 * Every relative link and `#anchor` in the repository's Markdown files leads somewhere, with the anchors GitHub
 * makes of headings; and the pages users read (the README, docs/) never send them into test/.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

import { repoDir } from '../pack';
import { headings, links, markdownFiles, readPage, slug } from './markdown';

const files = markdownFiles();
const isUserPage = (file: string) => file === 'README.md' || file.startsWith('docs/');

/** Where each relative link of `file` points: the file it names (or `file` itself) and the anchor. */
function targets(file: string) {
	return links(readPage(file))
		.filter(({ target }) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
		.map(({ target, line }) => {
			const [path, anchor] = target.split('#');
			const resolved = path ? normalize(join(dirname(file), decodeURIComponent(path))) : file;
			return { target, line, resolved, anchor: anchor === undefined ? undefined : decodeURIComponent(anchor) };
		});
}

describe('GitHub anchors', () => {
	it('are made as GitHub makes them', () => {
		expect(slug('Estimate, then decide')).toBe('estimate-then-decide');
		expect(slug("As an AI agent's tool")).toBe('as-an-ai-agents-tool');
		expect(slug('The browser test (`test/ui/`)')).toBe('the-browser-test-testui');
		expect(slug('n8n 1.x')).toBe('n8n-1x');
		expect(slug('6. One voice, many lines')).toBe('6-one-voice-many-lines');
		expect(slug('snake_case and  two spaces')).toBe('snake_case-and--two-spaces');
		expect(headings('# Notes\n## Notes\n```\n## Notes\n```\n## Notes').map((heading) => heading.anchor)).toEqual(['notes', 'notes-1', 'notes-2']);
	});
});

describe.each(files)('%s', (file) => {
	it('links only to files and headings that exist', () => {
		const broken = targets(file).filter(({ resolved, anchor }) => {
			const path = join(repoDir, resolved);
			if (relative(repoDir, path).startsWith('..') || !existsSync(path)) return true;
			if (anchor === undefined || anchor === '') return false;
			if (!resolved.endsWith('.md') || statSync(path).isDirectory()) return true;
			return !headings(readPage(resolved)).some((heading) => heading.anchor === anchor);
		});
		expect(broken.map(({ target, line }) => `line ${line}: ${target}`)).toEqual([]);
	});

	if (isUserPage(file)) {
		it('sends users nowhere into test/', () => {
			const intoTests = targets(file).filter(({ resolved }) => resolved === 'test' || resolved.startsWith(`test/`));
			expect(intoTests.map(({ target, line }) => `line ${line}: ${target}`)).toEqual([]);
		});
	}
});
