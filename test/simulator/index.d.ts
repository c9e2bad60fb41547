/** Types of the simulator's programmatic API (index.js is plain CommonJS; the JSDoc in types.js is the reference). */
export type FaultKind =
	| '429'
	| '429-retry-after'
	| '500'
	| '502'
	| '503'
	| '502-html'
	| 'drop'
	| 'slow'
	| '500-after-create'
	| 'drop-after-create'
	| 'malformed-json'
	| 'job-error'
	| 'job-canceled'
	| 'expired-download'
	| 'upload-fail'
	| 'truncated-download'
	| 'slow-drip'
	| 'redirect-foreign'
	| 'echo-token'
	| 'echo-token-fields'
	| 'job-error-echo'
	| 'bad-signature'
	| 'stale-timestamp'
	| 'slow-download'
	| 'duplicate'
	| 'unknown-event';

export type Route = 'account' | 'uploadUrls' | 'upload' | 'create' | 'get' | 'delete' | 'download' | 'savedItems' | 'webhook';

export type AudioEvent = 'audio.started' | 'audio.completed' | 'audio.errored';

export interface Fault {
	kind: FaultKind;
	route?: Route;
	rate?: number;
	times?: number;
}

export interface SimulatorOptions {
	port?: number;
	host?: string;
	token?: string;
	renderMs?: number;
	renderMsPerCharacter?: number;
	renderVariation?: number;
	queueMs?: number;
	/** The time every date, duration and wait follows (default the real clock); set at start only. A clock of only `now()` keeps real timers. */
	clock?: Pick<SimulatorClock, 'now'> | SimulatorClock;
	latencyMs?: number;
	credits?: number;
	creditsPerCharacter?: number;
	seed?: number;
	resultBytes?: number | null;
	resultFormat?: 'wav' | 'mp3';
	slowMs?: number;
	dripMs?: number;
	dripBytes?: number;
	maxUploadBytes?: number;
	requireUploadContentLength?: boolean;
	faults?: Fault[];
	logger?: (line: string) => void;
	webhookUrl?: string | null;
	webhookSecret?: string;
	webhookEvents?: AudioEvent[];
	webhookTimeoutMs?: number;
	webhookRetryMs?: number;
	webhookRetryFactor?: number;
	webhookMaxAttempts?: number;
	/** The most saved items one page of GET /v1/saved-items holds, whatever its `limit` (1 to 100, default 3). */
	savedItemsPageSize?: number;
	/** That many more saved voices, older than the others, "Voice 001" … (default 0). */
	extraSavedVoices?: number;
	rateLimit?: RateLimit | null;
	renderSlots?: number | null;
}

/** The account's request rate: a token bucket of `perSecond` tokens a second, holding at most `burst`. */
export interface RateLimit {
	perSecond: number;
	burst?: number;
	retryAfter?: boolean;
}

export interface WebhookStats {
	events: number;
	attempts: number;
	delivered: number;
	failed: number;
	timedOut: number;
	gaveUp: number;
	pending: number;
}

/** One attempt of a webhook delivery. */
export interface WebhookDelivery {
	delivery: number;
	type: string;
	jobId: string;
	attempt: number;
	fault: string | null;
	timestamp: number;
	sentAt: number;
	endedAt: number | null;
	status: number | null;
	answerMs: number | null;
	result: 'pending' | 'ok' | 'non-2xx' | 'timeout' | 'no-answer';
	error: string | null;
	retryInMs: number | null;
}

/** What an endpoint answered to `postWebhook`. */
export interface WebhookAnswer {
	status: number | null;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	answerMs: number | null;
	result: 'ok' | 'non-2xx' | 'timeout' | 'no-answer';
	error: string | null;
}

export interface SimulatorStats {
	requests: Record<string, number>;
	jobsCreated: number;
	faultsInjected: Record<string, number>;
	rateLimited: number;
	maxJobsInFlight: number;
	jobsInFlight: number;
	uploadsBytes: number;
	downloadsBytes: number;
	authOnSignedUrls: number;
	tokenAtForeignOrigin: number;
	credits: number;
	webhooks: WebhookStats;
}

/** The project object GET /v1/audio-projects/{id} answers, and the payload of a webhook event. */
export interface AudioProject {
	id: string;
	name: string | null;
	status: string;
	type: string;
	created_at: string;
	enabled: boolean;
	credits_charged: number;
	downloads: { url: string; expires_at: string }[];
	error: { message: string; code: string } | null;
}

export interface SimulatedJob {
	id: string;
	name: string;
	prompt: string;
	audio_file_path: string;
	/** The create's `style` as sent: `prompt`, and `language` / `speed` when given. */
	style: { prompt: string; language?: string; speed?: number };
	status: string;
	credits_charged: number;
	createdAt: number;
	queueMs: number;
	renderMs: number;
	doneAt: number;
	requestCount: number;
	enabled: boolean;
	outcome: string;
	format: 'wav' | 'mp3';
	resultBytes: number;
	downloadCount: number;
}

export interface SimulatedRequest {
	method: string;
	path: string;
	key: string;
	route: Route | null;
	authorization: boolean;
	signed: boolean;
	at: number;
	status: number | null;
	fault: FaultKind | null;
	origin: 'main' | 'foreign';
	tokenSeen: boolean;
	jobId: string | null;
	/** The simulator's clock when the answer was sent or the connection closed; null while the request is open. */
	endedAt: number | null;
	/** The status a `get` of a known project answered (null otherwise). */
	projectStatus: string | null;
	/** Answered 429 by the account's request rate (`rateLimit`), not by a fault. */
	rateLimited: boolean;
}

/** An item of GET /v1/saved-items. */
export interface SavedItem {
	id: string;
	name: string | null;
	type: string;
	assets: Array<{ file_path: string; is_primary: boolean; media_kind: 'AUDIO' | 'IMAGE' | 'VIDEO'; url: string; url_expires_at: string }>;
}

export interface Simulator {
	url: string;
	foreignUrl: string;
	port: number;
	token: string;
	stats(): SimulatorStats;
	jobs(): SimulatedJob[];
	jobsInFlight(): number;
	uploads(): Array<{ file_path: string; size: number; sha256: string; extension: string }>;
	requests(): SimulatedRequest[];
	/** The account's saved items, newest first, as GET /v1/saved-items lists them. */
	savedItems(): SavedItem[];
	webhookDeliveries(): WebhookDelivery[];
	/** A job created through the API's own create route with the simulator's token, as any client creates one (logged, charged). */
	createJob(job: { prompt: string; name?: string; audioFilePath?: string }): Promise<{ id: string; credits_charged: number }>;
	/** The body Magic Hour would send now for this job's event: `{ type, payload: <the project> }`, payload fields changed by `changes`. */
	eventBody(type: string, jobId: string, changes?: Record<string, unknown>): string;
	/** The bytes a download of the job sends (its rendered audio); not logged. */
	renderedAudio(jobId: string): Promise<Buffer>;
	postWebhook(delivery: { body: string | Buffer; headers?: Record<string, string>; url?: string }): Promise<WebhookAnswer>;
	signWebhook(body: string | Buffer, options?: { timestamp?: number; secret?: string }): Record<string, string>;
	setOptions(options: SimulatorOptions): void;
	reset(): void;
	close(): Promise<void>;
}

/** The time the simulator follows (clock.js): `now()` and the timers of its waits. */
export interface SimulatorClock {
	now(): number;
	/** A timer: runs `run` once `ms` have passed (a render that ends, an answer deadline). */
	setTimeout(run: () => void, ms: number): unknown;
	/** Clears a timer or a wait. */
	clearTimeout(timer: unknown): void;
	/** A wait the simulator's own work is held by (latency, slow faults, a retry pause); a clock that skips waits skips it. Default: setTimeout. */
	setWait?(run: () => void, ms: number): unknown;
}

/** The wall clock, the default; its timers do not keep the process alive. */
export const realClock: SimulatorClock;

/**
 * A clock that moves only when the test moves it. A timer runs when the clock reaches its due time, in due
 * order, each followed by a turn of the event loop; requests and answers take no time on it.
 */
export class ManualClock implements SimulatorClock {
	/** `start`: the time it shows at first (default: the wall clock's now). */
	constructor(start?: number);
	now(): number;
	setTimeout(run: () => void, ms: number): unknown;
	clearTimeout(timer: unknown): void;
	/** A wait on this clock (a test's own receiver that answers late, say). */
	sleep(ms: number): Promise<void>;
	/** How long until each pending timer is due, soonest first. */
	pending(): number[];
	/** Moves the clock `ms` forward, running every timer due on the way at its own time, those set meanwhile included. */
	advance(ms: number): Promise<void>;
	/** Moves the clock to the next timer due and runs it (and every other due then); resolves how far it moved, undefined when none is pending. */
	next(): Promise<number | undefined>;
}

export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;

/** The simulator's seeded PRNG (mulberry32): the same draws in [0, 1) for the same seed. */
export function mulberry32(seed: number): () => number;
