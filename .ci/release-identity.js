'use strict';
// @ts-check
/**
 * The publisher's identity in package.json: what npm needs for a provenance statement (`repository.url`
 * naming the GitHub repository that runs the publish workflow) and what n8n's package scanner asks for
 * (`homepage`, an author email). The fields stay empty until a maintainer sets them (RELEASING.md).
 *
 * CLI, run by the publish workflow before anything else:
 *   node .ci/release-identity.js
 * fails with what to set when a field is missing, when `repository.url` is not `GITHUB_REPOSITORY`, or when
 * the tag (`GITHUB_REF_NAME`) is not `v<version>`.
 */
const fs = require('node:fs');
const path = require('node:path');

const manifestFile = path.resolve(__dirname, '..', 'package.json');

/** Stand-ins for the lint of a copy while the real fields are empty: `.invalid` can never resolve. */
const PLACEHOLDERS = {
	repository: { type: 'git', url: 'git+https://github.invalid/placeholder/n8n-nodes-magichour-voice-cloner.git' },
	homepage: 'https://github.invalid/placeholder/n8n-nodes-magichour-voice-cloner#readme',
	bugs: { url: 'https://github.invalid/placeholder/n8n-nodes-magichour-voice-cloner/issues' },
	authorEmail: 'placeholder@example.invalid',
};

/** @param {unknown} value */
const text = (value) => (typeof value === 'string' ? value.trim() : '');

/** @param {any} field a string or `{ url }` */
const urlOf = (field) => text(typeof field === 'string' ? field : field?.url);

/** @param {string} value */
function isHttpUrl(value) {
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
}

/** The author's email from `{ name, email }` or `"Name <email> (url)"`. @param {any} author */
function authorEmail(author) {
	if (typeof author === 'string') return text(/<([^>]*)>/.exec(author)?.[1]);
	return text(author?.email);
}

/**
 * `owner/repo` of a GitHub repository URL as npm accepts it (`git+https://github.com/o/r.git`,
 * `https://github.com/o/r`, `git@github.com:o/r.git`, `github:o/r`, `o/r`), lower-cased; else undefined.
 * @param {string} url
 */
function githubRepository(url) {
	const match =
		/^(?:git\+)?(?:https?|ssh|git):\/\/(?:[^@/]+@)?github\.com[/:]([^/]+)\/([^/#?]+?)(?:\.git)?\/?$/i.exec(url) ||
		/^git@github\.com:([^/]+)\/([^/#?]+?)(?:\.git)?$/i.exec(url) ||
		/^(?:github:)?([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?$/.exec(url);
	return match ? `${match[1]}/${match[2]}`.toLowerCase() : undefined;
}

/**
 * The identity fields that are missing or unusable, each with what to put there.
 * @param {any} manifest parsed package.json
 * @param {string} [repository] `owner/repo` the values should point at, when known (GITHUB_REPOSITORY)
 * @returns {Array<{ field: string, problem: string, fix: string }>}
 */
function identityProblems(manifest, repository) {
	const base = repository ? `https://github.com/${repository}` : 'https://github.com/<owner>/<repo>';
	/** @type {Array<{ field: string, problem: string, fix: string }>} */
	const problems = [];
	const repositoryUrl = urlOf(manifest.repository);
	if (!repositoryUrl) {
		problems.push({ field: 'repository', problem: 'missing', fix: `{ "type": "git", "url": "git+${base}.git" }` });
	} else if (!githubRepository(repositoryUrl)) {
		problems.push({ field: 'repository.url', problem: `"${repositoryUrl}" is not a GitHub repository`, fix: `"git+${base}.git"` });
	}
	const homepage = text(manifest.homepage);
	if (!isHttpUrl(homepage)) {
		problems.push({ field: 'homepage', problem: homepage ? `"${homepage}" is not an http(s) URL` : 'missing', fix: `"${base}#readme"` });
	}
	const bugs = urlOf(manifest.bugs);
	if (!isHttpUrl(bugs)) {
		problems.push({ field: 'bugs', problem: bugs ? `"${bugs}" is not an http(s) URL` : 'missing', fix: `{ "url": "${base}/issues" }` });
	}
	if (!text(typeof manifest.author === 'string' ? manifest.author.replace(/<.*$/, '') : manifest.author?.name)) {
		problems.push({ field: 'author.name', problem: 'missing', fix: 'the name users should see as the publisher' });
	}
	if (!authorEmail(manifest.author)) {
		problems.push({ field: 'author.email', problem: 'missing', fix: 'an address that reaches the maintainers (n8n\'s scanner requires it)' });
	}
	return problems;
}

/**
 * A copy of the manifest with placeholders in the identity fields that are missing, for the scanner's lint.
 * @param {any} manifest
 * @returns {{ manifest: any, filled: string[] }}
 */
function withPlaceholderIdentity(manifest) {
	const copy = structuredClone(manifest);
	const filled = [];
	if (!urlOf(copy.repository)) {
		copy.repository = PLACEHOLDERS.repository;
		filled.push('repository');
	}
	if (!isHttpUrl(text(copy.homepage))) {
		copy.homepage = PLACEHOLDERS.homepage;
		filled.push('homepage');
	}
	if (!isHttpUrl(urlOf(copy.bugs))) {
		copy.bugs = PLACEHOLDERS.bugs;
		filled.push('bugs');
	}
	if (!authorEmail(copy.author)) {
		const name = typeof copy.author === 'string' ? copy.author.trim() : text(copy.author?.name);
		copy.author = { ...(typeof copy.author === 'object' ? copy.author : {}), name, email: PLACEHOLDERS.authorEmail };
		filled.push('author.email');
	}
	return { manifest: copy, filled };
}

/**
 * Everything that stops a release from this manifest in this GitHub run.
 * @param {any} manifest
 * @param {{ repository?: string, tag?: string }} run GITHUB_REPOSITORY and GITHUB_REF_NAME
 * @returns {string[]} human-readable problems, empty when the release may go ahead
 */
function releaseProblems(manifest, run) {
	const problems = identityProblems(manifest, run.repository).map(
		({ field, problem, fix }) => `package.json "${field}": ${problem}. Set it to ${fix}.`,
	);
	const declared = githubRepository(urlOf(manifest.repository));
	if (declared && run.repository && declared !== run.repository.toLowerCase()) {
		problems.push(
			`package.json "repository.url" names ${declared}, but this workflow runs in ${run.repository}: npm refuses a ` +
				`provenance statement unless they match. Set it to "git+https://github.com/${run.repository}.git".`,
		);
	}
	if (run.tag && run.tag !== `v${manifest.version}`) {
		problems.push(`The tag ${run.tag} does not match package.json "version" ${manifest.version}: tag v${manifest.version}, or bump the version.`);
	}
	return problems;
}

module.exports = { identityProblems, withPlaceholderIdentity, releaseProblems, githubRepository, manifestFile };

if (require.main === module) {
	const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
	const run = { repository: process.env.GITHUB_REPOSITORY, tag: process.env.GITHUB_REF_TYPE === 'tag' ? process.env.GITHUB_REF_NAME : undefined };
	const problems = releaseProblems(manifest, run);
	if (problems.length > 0) {
		console.error(`Cannot publish ${manifest.name}@${manifest.version}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		console.error('Commit the fix and tag again; RELEASING.md, "One-time setup", lists every field.');
		process.exitCode = 1;
	} else {
		console.log(
			`Publisher identity is complete: ${urlOf(manifest.repository)}` +
				(run.repository ? ` (matches ${run.repository})` : ' (GITHUB_REPOSITORY not set: not compared)') +
				(run.tag ? `, tag ${run.tag} = version ${manifest.version}.` : '.'),
		);
	}
}
