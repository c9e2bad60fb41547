/** A client of the simulator for its tests: one request with the simulator's token, its answer read whole. */
import type { Simulator as Sim } from './index';

export interface Answer {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

export async function call(sim: Sim, method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
	const h: Record<string, string> = { Authorization: `Bearer ${sim.token}`, Accept: 'application/json', ...headers };
	let payload: string | undefined;
	if (body !== undefined) {
		payload = typeof body === 'string' ? body : JSON.stringify(body);
		if (!('Content-Type' in h)) h['Content-Type'] = 'application/json';
	}
	const res = await fetch(sim.url + p, { method, headers: h, body: payload });
	const text = await res.text();
	let json: any;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

