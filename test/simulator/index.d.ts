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
	| 'job-error-echo';

export type Route = 'account' | 'uploadUrls' | 'upload' | 'create' | 'get' | 'delete' | 'download';

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
	now?: () => number;
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
}

export interface SimulatorStats {
	requests: Record<string, number>;
	jobsCreated: number;
	faultsInjected: Record<string, number>;
	maxJobsInFlight: number;
	jobsInFlight: number;
	uploadsBytes: number;
	downloadsBytes: number;
	authOnSignedUrls: number;
	tokenAtForeignOrigin: number;
	credits: number;
}

export interface SimulatedJob {
	id: string;
	name: string;
	prompt: string;
	audio_file_path: string;
	status: string;
	credits_charged: number;
	createdAt: number;
	queueMs: number;
	renderMs: number;
	doneAt: number;
	requestCount: number;
	enabled: boolean;
	outcome: string;
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
	projectStatus: string | null;
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
	setOptions(options: SimulatorOptions): void;
	reset(): void;
	close(): Promise<void>;
}

export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
