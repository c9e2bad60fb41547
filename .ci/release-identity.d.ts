export const manifestFile: string;
export function githubRepository(url: string): string | undefined;
export function identityProblems(manifest: unknown, repository?: string): Array<{ field: string; problem: string; fix: string }>;
export function withPlaceholderIdentity(manifest: unknown): { manifest: any; filled: string[] };
export function releaseProblems(manifest: unknown, run: { repository?: string; tag?: string }): string[];
