/**
 * The gate in front of `npm publish` (publish.yml runs `node .ci/release-identity.js`): npm only
 * signs provenance when package.json names the GitHub repository that publishes, and n8n's scanner wants
 * a homepage and an author email. While the fields are empty, the scanner lints a copy with placeholders.
 */
import { readFileSync } from 'node:fs';

import { githubRepository, manifestFile, releaseProblems, withPlaceholderIdentity } from '../../.ci/release-identity';

const REPO = 'acme/n8n-nodes-magichour-voice-cloner';
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const withoutIdentity = { ...manifest, repository: undefined, homepage: undefined, bugs: undefined, author: { name: 'Maintainers' } };
const complete = {
	...manifest,
	repository: { type: 'git', url: `git+https://github.com/${REPO}.git` },
	homepage: `https://github.com/${REPO}#readme`,
	bugs: { url: `https://github.com/${REPO}/issues` },
	author: { name: 'Maintainers', email: 'maintainers@acme.test' },
};
const release = { repository: REPO, tag: `v${manifest.version}` };

describe('publishing from GitHub Actions', () => {
	it('goes ahead when the identity is complete, names this repository and the tag is v<version>', () => {
		expect(releaseProblems(complete, release)).toEqual([]);
		expect(releaseProblems({ ...complete, repository: `github:${REPO.toUpperCase()}` }, release)).toEqual([]);
	});

	it('stops without repository, homepage, bugs or author email, and says what to set, from the running repository', () => {
		expect(releaseProblems(withoutIdentity, release)).toEqual([
			`package.json "repository": missing. Set it to { "type": "git", "url": "git+https://github.com/${REPO}.git" }.`,
			`package.json "homepage": missing. Set it to "https://github.com/${REPO}#readme".`,
			`package.json "bugs": missing. Set it to { "url": "https://github.com/${REPO}/issues" }.`,
			`package.json "author.email": missing. Set it to an address that reaches the maintainers (n8n's scanner requires it).`,
		]);
	});

	it('stops when repository.url names another repository than the one publishing (npm would refuse provenance)', () => {
		const [problem] = releaseProblems(complete, { ...release, repository: 'someone-else/fork' });
		expect(problem).toMatch(/names acme\/n8n-nodes-magichour-voice-cloner, but this workflow runs in someone-else\/fork/);
		expect(problem).toMatch(/Set it to "git\+https:\/\/github\.com\/someone-else\/fork\.git"/);
	});

	it('stops when the tag is not v<version>', () => {
		expect(releaseProblems(complete, { ...release, tag: 'v9.9.9' })).toEqual([
			`The tag v9.9.9 does not match package.json "version" ${manifest.version}: tag v${manifest.version}, or bump the version.`,
		]);
	});

	it('reads every GitHub repository URL form npm accepts, and nothing else', () => {
		for (const url of ['git+https://github.com/o/r.git', 'https://github.com/o/r', 'git@github.com:o/r.git', 'git+ssh://git@github.com/o/r.git', 'github:o/r']) {
			expect(githubRepository(url)).toBe('o/r');
		}
		expect(githubRepository('https://gitlab.com/o/r')).toBeUndefined();
	});
});

describe('the scanner lint while the identity is empty', () => {
	it('fills only the missing fields, with addresses that cannot exist, and leaves package.json alone', () => {
		const before = JSON.stringify(withoutIdentity);
		const { manifest: copy, filled } = withPlaceholderIdentity(withoutIdentity);
		expect(filled).toEqual(['repository', 'homepage', 'bugs', 'author.email']);
		expect(copy.author).toEqual({ name: 'Maintainers', email: 'placeholder@example.invalid' });
		expect([copy.repository.url, copy.homepage, copy.bugs.url].every((url: string) => new URL(url.replace(/^git\+/, '')).hostname.endsWith('.invalid'))).toBe(true);
		expect(JSON.stringify(withoutIdentity)).toBe(before);
	});

	it('uses the real fields once they are set', () => {
		expect(withPlaceholderIdentity(complete)).toEqual({ manifest: complete, filled: [] });
	});
});
