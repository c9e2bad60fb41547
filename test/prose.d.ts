export function prose(characters: number): string;
export function lines(count: number, shortest: number, longest: number): string[];
