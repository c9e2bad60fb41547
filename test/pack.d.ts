export const repoDir: string;
export function packInto(destination: string): { tarball: string; files: string[]; unpacked: string; size: number };
