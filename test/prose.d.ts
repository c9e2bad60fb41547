export function prose(characters: number): string;
