/**
 * Just enough Markdown for the docs checks: the repository's Markdown files, their headings with the
 * anchors GitHub gives them, their links, and a page's sections.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { repoDir } from '../pack';

/** Folders that hold no Markdown of the project's own. */
const SKIPPED = new Set(['node_modules', '.git', 'dist', '.packed', '.ui-artifacts']);

/** Every Markdown file of the repository, relative to its root, sorted. */
export function markdownFiles(dir = repoDir): string[] {
	const found: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (SKIPPED.has(entry.name)) continue;
		const path = join(dir, entry.name);
		if (entry.isDirectory()) found.push(...markdownFiles(path));
		else if (entry.name.endsWith('.md')) found.push(relative(repoDir, path));
	}
	return found.sort();
}

export const readPage = (file: string): string => readFileSync(join(repoDir, file), 'utf8');

/** The page with fenced code blocks blanked out (line count kept), so that nothing in them counts. */
function withoutCodeBlocks(text: string): string[] {
	let fence: string | undefined;
	return text.split('\n').map((line) => {
		const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
		if (fence) {
			if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
			return '';
		}
		if (marker) {
			fence = marker;
			return '';
		}
		return line;
	});
}

/** A heading's text as GitHub renders it: links become their text, emphasis and code marks go. */
function headingText(markdown: string): string {
	return markdown
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.replace(/[*`]/g, '')
		.trim();
}

/**
 * GitHub's anchor for a heading: lower case, every character that is not a letter, a digit, a mark,
 * `_`, `-` or a space dropped, spaces made `-`.
 */
export function slug(heading: string): string {
	return headingText(heading)
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

export interface Heading {
	level: number;
	text: string;
	/** The anchor GitHub gives it, `-1`, `-2` … added for a heading seen before. */
	anchor: string;
	/** 1-based line number. */
	line: number;
}

export function headings(text: string): Heading[] {
	const seen = new Map<string, number>();
	const found: Heading[] = [];
	withoutCodeBlocks(text).forEach((line, index) => {
		const match = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
		if (!match) return;
		const base = slug(match[2]);
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		found.push({ level: match[1].length, text: headingText(match[2]), anchor: count === 0 ? base : `${base}-${count}`, line: index + 1 });
	});
	return found;
}

export interface Link {
	target: string;
	line: number;
}

/** Links and images of a page (inline and reference definitions, and HTML `href`/`src`), outside code. */
export function links(text: string): Link[] {
	const found: Link[] = [];
	withoutCodeBlocks(text).forEach((line, index) => {
		const prose = line.replace(/`[^`]*`/g, '');
		const patterns = [/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g, /\b(?:href|src)="([^"]+)"/g];
		for (const pattern of patterns) {
			for (const match of prose.matchAll(pattern)) found.push({ target: match[1], line: index + 1 });
		}
	});
	return found;
}

export interface Section {
	heading: string;
	/** 1-based line of the heading. */
	line: number;
	/** Lines from the heading up to the next heading of the same or a higher level. */
	lines: number;
	body: string;
}

/** The sections of a page at `level` (2: `##`), and what comes before the first as heading "". */
export function sections(text: string, level = 2): Section[] {
	const all = text.replace(/\n$/, '').split('\n');
	const starts = headings(text).filter((heading) => heading.level <= level);
	const bounds = [{ text: '', line: 1 }, ...starts.filter((heading) => heading.level === level)];
	return bounds.map((start) => {
		const end = starts.find((heading) => heading.line > start.line)?.line ?? all.length + 1;
		const lines = all.slice(start.line - 1, end - 1);
		return { heading: start.text, line: start.line, lines: lines.length, body: lines.join('\n') };
	});
}
