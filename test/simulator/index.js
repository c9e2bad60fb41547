// @ts-check
'use strict';

/**
 * A local, strict simulator of the parts of the Magic Hour API that the voice cloner node uses:
 * GET /v1/account, POST /v1/files/upload-urls, PUT <signed upload URL>, POST /v1/ai-voice-cloner,
 * GET and DELETE /v1/audio-projects/{id}, GET <signed download URL>. Seeded fault injection included.
 * Plain Node (http, crypto, stream, url); no dependencies. See README.md beside this file.
 */

const http = require('http');
const crypto = require('crypto');
const { Transform, Writable, pipeline } = require('stream');
const { URL } = require('url');
const wav = require('./wav');
const { isPlainObject, newId, iso, echoToken, sendJson, sendError, readJson, unknownField } = require('./json');

/** @typedef {import('./types').RouteName} RouteName */
/** @typedef {import('./types').FaultKind} FaultKind */
/** @typedef {import('./types').Fault} Fault */
/** @typedef {import('./types').SimulatorOptions} SimulatorOptions */
/** @typedef {import('./types').RequestRecord} RequestRecord */
/** @typedef {import('./types').SimulatorStats} SimulatorStats */
/** @typedef {import('./types').JobSnapshot} JobSnapshot */
/** @typedef {import('./types').UploadSnapshot} UploadSnapshot */
/** @typedef {import('./types').Simulator} Simulator */

// ---------------------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------------------

/** @type {readonly RouteName[]} */
const ROUTES = ['account', 'uploadUrls', 'upload', 'create', 'get', 'delete', 'download'];

/** @type {Record<'audio' | 'video' | 'image', readonly string[]>} */
const EXTENSIONS = {
	video: ['mp4', 'm4v', 'mov', 'webm'],
	audio: ['mp3', 'wav', 'aac', 'flac', 'webm', 'weba', 'm4a', 'opus', 'ogg', 'oga', 'aiff', 'amr'],
	image: ['png', 'jpg', 'jpeg', 'jfif', 'heic', 'heif', 'webp', 'avif', 'jp2', 'tiff', 'tif', 'bmp'],
};

/**
 * Fault kinds: which group they belong to (when they are decided) and the routes they apply to.
 * - pre: decided before the work; the request is answered with the fault instead.
 * - slow: decided first; delays, then handling goes on.
 * - post: decided after successful work, replaces the success answer.
 * - outcome: decided when a job is created; sets how the job ends.
 * - expired: decided when a GET hands out a download URL.
 * - echo: decided when a success answer is sent; puts the token into its text fields.
 * @type {Record<FaultKind, { group: 'pre' | 'slow' | 'post' | 'outcome' | 'expired' | 'echo', routes: readonly RouteName[] }>}
 */
const FAULT_KINDS = {
	'429': { group: 'pre', routes: ROUTES },
	'429-retry-after': { group: 'pre', routes: ROUTES },
	'500': { group: 'pre', routes: ROUTES },
	'502': { group: 'pre', routes: ROUTES },
	'502-html': { group: 'pre', routes: ROUTES },
	'503': { group: 'pre', routes: ROUTES },
	drop: { group: 'pre', routes: ROUTES },
	'upload-fail': { group: 'pre', routes: ['upload'] },
	'slow-drip': { group: 'pre', routes: ['upload', 'download'] },
	'redirect-foreign': { group: 'pre', routes: ROUTES },
	'echo-token': { group: 'pre', routes: ROUTES },
	'echo-token-fields': { group: 'echo', routes: ['account', 'uploadUrls', 'create', 'get'] },
	'job-error-echo': { group: 'outcome', routes: ['create'] },
	'truncated-download': { group: 'pre', routes: ['download'] },
	slow: { group: 'slow', routes: ROUTES },
	'500-after-create': { group: 'post', routes: ['create'] },
	'drop-after-create': { group: 'post', routes: ['create'] },
	'malformed-json': { group: 'post', routes: ['account', 'uploadUrls', 'create', 'get'] },
	'job-error': { group: 'outcome', routes: ['create'] },
	'job-canceled': { group: 'outcome', routes: ['create'] },
	'expired-download': { group: 'expired', routes: ['get'] },
};

const TERMINAL = new Set(['complete', 'error', 'canceled']);
const UPLOAD_URL_TTL_MS = 60 * 60 * 1000;
const DOWNLOAD_URL_TTL_MS = 24 * 60 * 60 * 1000;
const PROMPT_MAX = 1000;
const MAX_LOG = 100000;

/** @type {Required<Omit<SimulatorOptions, 'resultBytes' | 'publicUrl' | 'logger'>> & Pick<SimulatorOptions, 'resultBytes' | 'publicUrl' | 'logger'>} */
const DEFAULTS = {
	port: 0,
	host: '127.0.0.1',
	publicUrl: undefined,
	token: 'mhk_sim_token',
	renderMs: 3000,
	latencyMs: 0,
	credits: 100000,
	creditsPerCharacter: 0.05,
	seed: 1,
	resultBytes: undefined,
	resultFormat: 'wav',
	slowMs: 30000,
	maxUploadBytes: 200 * 1024 * 1024,
	requireUploadContentLength: false,
	dripMs: 1000,
	dripBytes: 1,
	faults: [],
	logger: undefined,
};

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

/**
 * mulberry32: a tiny deterministic PRNG.
 * @param {number} seed
 * @returns {() => number} values in [0, 1)
 */
function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** @param {string} s */
const codePoints = (s) => [...s].length;

/**
 * Charge in credits, rounded up, tolerant of binary floating point (0.07 * 100 is 7.000000000000001).
 * @param {number} n code points
 * @param {number} rate credits per code point
 */
function chargeFor(n, rate) {
	return Math.max(0, Math.ceil(Math.round(n * rate * 1e6) / 1e6));
}

/**
 * @param {Fault[] | undefined} faults
 * @returns {Fault[]}
 */
function validateFaults(faults) {
	if (faults === undefined) return [];
	if (!Array.isArray(faults)) throw new TypeError('faults must be an array');
	return faults.map((f, i) => {
		if (!isPlainObject(f)) throw new TypeError(`faults[${i}] must be an object`);
		const def = FAULT_KINDS[/** @type {FaultKind} */ (String(f.kind))];
		if (!def) throw new TypeError(`faults[${i}].kind: unknown fault kind "${f.kind}" (known: ${Object.keys(FAULT_KINDS).join(', ')})`);
		if (f.route !== undefined && !def.routes.includes(f.route)) {
			throw new TypeError(`faults[${i}]: kind "${f.kind}" does not apply to route "${f.route}" (applies to: ${def.routes.join(', ')})`);
		}
		if (f.rate !== undefined && !(typeof f.rate === 'number' && f.rate >= 0 && f.rate <= 1)) {
			throw new TypeError(`faults[${i}].rate must be a number from 0 to 1`);
		}
		if (f.times !== undefined && !(Number.isInteger(f.times) && f.times >= 0)) {
			throw new TypeError(`faults[${i}].times must be a non-negative integer`);
		}
		return { ...f };
	});
}

/**
 * @param {Partial<SimulatorOptions>} o
 */
function validateOptions(o) {
	/** @param {string} k @param {boolean} ok */
	const check = (k, ok) => {
		if (!ok) throw new TypeError(`invalid simulator option ${k}: ${JSON.stringify(/** @type {any} */ (o)[k])}`);
	};
	/** @param {unknown} v */
	const nonNeg = (v) => v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
	check('port', o.port === undefined || (Number.isInteger(o.port) && /** @type {number} */ (o.port) >= 0 && /** @type {number} */ (o.port) < 65536));
	check('token', o.token === undefined || (typeof o.token === 'string' && o.token.length > 0));
	check('renderMs', nonNeg(o.renderMs));
	check('latencyMs', nonNeg(o.latencyMs));
	check('credits', nonNeg(o.credits));
	check('creditsPerCharacter', nonNeg(o.creditsPerCharacter));
	check('slowMs', nonNeg(o.slowMs));
	check('dripMs', nonNeg(o.dripMs));
	check('dripBytes', o.dripBytes === undefined || (Number.isInteger(o.dripBytes) && /** @type {number} */ (o.dripBytes) >= 1));
	check('maxUploadBytes', o.maxUploadBytes === undefined || (typeof o.maxUploadBytes === 'number' && o.maxUploadBytes >= 0));
	check('seed', o.seed === undefined || (typeof o.seed === 'number' && Number.isFinite(o.seed)));
	check('resultBytes', o.resultBytes === undefined || o.resultBytes === null || (typeof o.resultBytes === 'number' && Number.isFinite(o.resultBytes) && o.resultBytes >= 1));
	check('resultFormat', o.resultFormat === undefined || o.resultFormat === 'wav' || o.resultFormat === 'mp3');
}
// ---------------------------------------------------------------------------------------------------------
// Simulator
// ---------------------------------------------------------------------------------------------------------

/**
 * @typedef {object} Job
 * @property {string} id
 * @property {string} name
 * @property {string} prompt
 * @property {number} codePoints
 * @property {string} audio_file_path
 * @property {number} createdAt
 * @property {number} renderMs
 * @property {'queued' | 'rendering' | 'complete' | 'error' | 'canceled'} status
 * @property {'complete' | 'error' | 'canceled'} outcome
 * @property {number} credits_charged
 * @property {boolean} enabled
 * @property {{ message: string, code: string } | null} error
 * @property {'wav' | 'mp3'} format
 * @property {number} resultBytes
 * @property {number} requestCount
 * @property {number} downloadCount
 * @property {boolean} echoToken the job's error (job-error-echo) holds the token
 * @property {NodeJS.Timeout | undefined} timer
 */

/**
 * Starts a simulator. Resolves once it listens.
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
async function startSimulator(options = {}) {
	validateOptions(options);
	/** @type {typeof DEFAULTS} */
	const opts = { ...DEFAULTS };
	for (const [k, v] of Object.entries(options)) if (v !== undefined) /** @type {any} */ (opts)[k] = v;
	opts.faults = validateFaults(options.faults);

	const secret = crypto.randomBytes(32);
	/** @type {Map<string, Job>} */
	const jobs = new Map();
	/** @type {Map<string, { type: 'audio' | 'video' | 'image', extension: string }>} */
	const issuedUploads = new Map();
	/** @type {Map<string, UploadSnapshot>} */
	const uploads = new Map();
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	/** @type {Set<import('net').Socket>} */
	const sockets = new Set();
	/** @type {RequestRecord[]} */
	let log = [];
	let credits = opts.credits;
	let rng = mulberry32(opts.seed);
	/** @type {number[]} injections per fault (same index as opts.faults) */
	let faultUses = opts.faults.map(() => 0);
	let closed = false;

	const freshStats = () => ({
		/** @type {Record<string, number>} */ requests: {},
		jobsCreated: 0,
		/** @type {Record<string, number>} */ faultsInjected: {},
		maxJobsInFlight: 0,
		uploadsBytes: 0,
		downloadsBytes: 0,
		authOnSignedUrls: 0,
		tokenAtForeignOrigin: 0,
	});
	let stats = freshStats();

	/** @param {number} ms @returns {Promise<void>} */
	function sleep(ms) {
		if (!(ms > 0)) return Promise.resolve();
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				timers.delete(t);
				resolve();
			}, ms);
			t.unref();
			timers.add(t);
		});
	}

	/**
	 * Decides whether a fault of `group` hits this request. The first configured fault that fires wins.
	 * The PRNG is drawn only for rates strictly between 0 and 1, so a seed reproduces a run.
	 * @param {'pre' | 'slow' | 'post' | 'outcome' | 'expired' | 'echo'} group
	 * @param {RouteName} route
	 * @param {RequestRecord | undefined} rec
	 * @returns {FaultKind | undefined}
	 */
	function pickFault(group, route, rec) {
		if (rec && rec.origin === 'foreign') return undefined;
		for (let i = 0; i < opts.faults.length; i++) {
			const f = opts.faults[i];
			const def = FAULT_KINDS[f.kind];
			if (def.group !== group || !def.routes.includes(route)) continue;
			if (f.route !== undefined && f.route !== route) continue;
			if (f.times !== undefined && faultUses[i] >= f.times) continue;
			const rate = f.rate ?? 1;
			if (rate <= 0) continue;
			if (rate < 1 && rng() >= rate) continue;
			faultUses[i]++;
			stats.faultsInjected[f.kind] = (stats.faultsInjected[f.kind] || 0) + 1;
			if (rec) rec.fault = rec.fault ? `${rec.fault},${f.kind}` : f.kind;
			return f.kind;
		}
		return undefined;
	}

	// ----- jobs -----

	/** @param {Job} job */
	function finish(job) {
		if (TERMINAL.has(job.status)) return;
		if (job.timer) {
			clearTimeout(job.timer);
			timers.delete(job.timer);
			job.timer = undefined;
		}
		job.status = job.outcome;
		if (job.outcome === 'error') {
			job.error = job.echoToken
				? { message: `Unable to clone voice for key ${opts.token}`, code: `invalid_voice_${opts.token}` }
				: { message: 'Unable to clone voice from this sample', code: 'invalid_voice' };
			credits += job.credits_charged;
			job.credits_charged = 0;
		}
	}

	/** @param {Job} job @param {number} now */
	function advance(job, now) {
		if (TERMINAL.has(job.status)) return;
		const elapsed = now - job.createdAt;
		if (elapsed >= job.renderMs) finish(job);
		else if (elapsed >= job.renderMs * 0.1) job.status = 'rendering';
	}

	function advanceAll() {
		const now = Date.now();
		for (const job of jobs.values()) advance(job, now);
	}

	function inFlight() {
		advanceAll();
		let n = 0;
		for (const job of jobs.values()) if (!TERMINAL.has(job.status)) n++;
		return n;
	}

	/** @param {string} method @param {string} path @param {number} expires */
	const sign = (method, path, expires) =>
		crypto.createHmac('sha256', secret).update(`${method}\n${path}\n${expires}`).digest('hex');

	/** @param {string} method @param {string} path @param {number} expires */
	const signedUrl = (method, path, expires) =>
		`${sim.url}${path}?sig=${sign(method, path, expires)}&expires=${expires}`;

	/**
	 * @param {string} method
	 * @param {string} path
	 * @param {URLSearchParams} query
	 * @returns {{ ok: true } | { ok: false, message: string, code: string }}
	 */
	function verifySignature(method, path, query) {
		const sig = query.get('sig') || '';
		const expiresRaw = query.get('expires') || '';
		if (!/^[0-9a-f]{64}$/.test(sig) || !/^\d{1,12}$/.test(expiresRaw)) {
			return { ok: false, message: 'Invalid signature', code: 'invalid_signature' };
		}
		const expires = Number(expiresRaw);
		const good = Buffer.from(sign(method, path, expires), 'hex');
		if (!crypto.timingSafeEqual(good, Buffer.from(sig, 'hex'))) {
			return { ok: false, message: 'Invalid signature', code: 'invalid_signature' };
		}
		if (expires * 1000 <= Date.now()) return { ok: false, message: 'Request has expired', code: 'expired' };
		return { ok: true };
	}

	/** @param {Job} job @param {boolean} expired */
	function projectJson(job, expired) {
		/** @type {{ url: string, expires_at: string }[]} */
		const downloads = [];
		if (job.status === 'complete' && job.enabled) {
			const expiresMs = expired ? Date.now() - 60 * 1000 : Date.now() + DOWNLOAD_URL_TTL_MS;
			const expires = Math.floor(expiresMs / 1000);
			const path = `/signed/download/${encodeURIComponent(job.id)}/output.${job.format}`;
			downloads.push({ url: signedUrl('GET', path, expires), expires_at: iso(expires * 1000) });
		}
		return {
			id: job.id,
			name: job.name,
			status: job.status,
			type: 'VOICE_CLONER',
			created_at: iso(job.createdAt),
			enabled: job.enabled,
			credits_charged: job.credits_charged,
			downloads,
			error: job.status === 'error' ? job.error : null,
		};
	}

	/** @param {Job} job @returns {JobSnapshot} */
	function snapshot(job) {
		return {
			id: job.id,
			name: job.name,
			prompt: job.prompt,
			audio_file_path: job.audio_file_path,
			status: job.status,
			credits_charged: job.credits_charged,
			createdAt: job.createdAt,
			requestCount: job.requestCount,
			enabled: job.enabled,
			error: job.status === 'error' ? job.error : null,
			outcome: job.outcome,
			format: job.format,
			resultBytes: job.resultBytes,
			downloadCount: job.downloadCount,
		};
	}

	// ----- routing -----

	/**
	 * @param {string} method
	 * @param {string} pathname
	 * @returns {{ route: RouteName, key: string, param?: string } | undefined}
	 */
	function matchRoute(method, pathname) {
		if (pathname === '/v1/account' && method === 'GET') return { route: 'account', key: 'GET /v1/account' };
		if (pathname === '/v1/files/upload-urls' && method === 'POST') {
			return { route: 'uploadUrls', key: 'POST /v1/files/upload-urls' };
		}
		if (pathname === '/v1/ai-voice-cloner' && method === 'POST') return { route: 'create', key: 'POST /v1/ai-voice-cloner' };
		const m = /^\/v1\/audio-projects\/([^/]+)$/.exec(pathname);
		if (m && (method === 'GET' || method === 'DELETE')) {
			let id;
			try {
				id = decodeURIComponent(m[1]);
			} catch {
				return undefined;
			}
			return method === 'GET'
				? { route: 'get', key: 'GET /v1/audio-projects/:id', param: id }
				: { route: 'delete', key: 'DELETE /v1/audio-projects/:id', param: id };
		}
		if (pathname.startsWith('/signed/upload/') && method === 'PUT') {
			return { route: 'upload', key: 'PUT /signed/upload', param: pathname.slice('/signed/upload/'.length) };
		}
		if (pathname.startsWith('/signed/download/') && method === 'GET') {
			return { route: 'download', key: 'GET /signed/download', param: pathname.slice('/signed/download/'.length) };
		}
		return undefined;
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {'main' | 'foreign'} origin
	 */
	async function handle(req, res, origin) {
		const method = req.method || 'GET';
		let parsed;
		try {
			parsed = new URL(req.url || '/', 'http://localhost');
		} catch {
			parsed = new URL('http://localhost/');
		}
		const pathname = parsed.pathname;
		const match = matchRoute(method, pathname);
		const key = match ? match.key : `${method} ${pathname}`;
		const hasAuth = req.headers.authorization !== undefined;
		const signed = pathname.startsWith('/signed/');
		/** @type {RequestRecord} */
		const rec = {
			method,
			path: pathname,
			key,
			route: match ? match.route : null,
			authorization: hasAuth,
			signed,
			at: Date.now(),
			status: null,
			fault: null,
			origin,
			tokenSeen: Object.values(req.headers).some((value) => String(value).includes(opts.token)),
			jobId: null,
		};
		if (origin === 'foreign' && rec.tokenSeen) stats.tokenAtForeignOrigin++;
		log.push(rec);
		if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG); // long CLI runs: keep the newest
		stats.requests[key] = (stats.requests[key] || 0) + 1;
		if (signed && hasAuth) stats.authOnSignedUrls++;
		const started = Date.now();
		res.on('finish', () => {
			rec.status = res.statusCode;
		});
		res.on('close', () => {
			if (opts.logger) {
				const status = rec.status === null ? 'DROPPED' : String(rec.status);
				opts.logger(`${method} ${pathname} ${status} ${Date.now() - started}ms${rec.fault ? ` fault=${rec.fault}` : ''}${hasAuth ? '' : ' (no auth)'}`);
			}
		});

		await sleep(opts.latencyMs);
		if (closed) return;

		// Bearer auth on every /v1/* path (known or not).
		if (pathname.startsWith('/v1/')) {
			const auth = String(req.headers.authorization || '');
			const mm = /^Bearer (.+)$/i.exec(auth);
			if (!mm || mm[1] !== opts.token) return sendError(res, 401, 'Unauthorized');
		}
		if (!match) return sendError(res, 404, 'Not Found');
		const route = match.route;

		// Signed URLs never carry credentials.
		if (signed && hasAuth) {
			return sendError(res, 403, 'Signed URLs must not carry credentials', 'credentials_on_signed_url');
		}

		if (route === 'get' && match.param !== undefined) {
			const job = jobs.get(match.param);
			if (job) job.requestCount++;
		}

		if (pickFault('slow', route, rec)) {
			await sleep(opts.slowMs);
			if (closed) return;
		}

		const pre = pickFault('pre', route, rec);
		switch (pre) {
			case '429':
				return sendError(res, 429, 'Too Many Requests', 'rate_limited');
			case '429-retry-after':
				return sendError(res, 429, 'Too Many Requests', 'rate_limited', { 'Retry-After': '1' });
			case '500':
				return sendError(res, 500, 'Internal Server Error');
			case '502':
				return sendError(res, 502, 'Bad Gateway');
			case '503':
				return sendError(res, 503, 'Service Unavailable');
			case '502-html': {
				const html = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n';
				res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': String(Buffer.byteLength(html)) });
				res.end(html);
				return;
			}
			case 'drop':
				req.socket.destroy();
				return;
			case 'redirect-foreign': {
				// 307 keeps the method and body, as a misconfigured proxy or a hostile CDN would ask.
				res.writeHead(signed ? 302 : 307, { Location: `${sim.foreignUrl}${req.url || '/'}`, 'Content-Length': '0' });
				res.end();
				return;
			}
			case 'echo-token':
				echoToken(res, opts.token);
				return route === 'download'
					? sendError(res, 403, 'Signature does not match', 'expired')
					: sendError(res, route === 'create' ? 422 : 400, 'Request refused');
			default:
				break;
		}

		switch (route) {
			case 'account':
				return respondOk(res, route, rec, { id: 'user_sim_0001', email: 'simulator@example.com', name: 'Magic Hour Simulator', credits });
			case 'uploadUrls':
				return handleUploadUrls(req, res, rec);
			case 'create':
				return handleCreate(req, res, rec);
			case 'get':
				return handleGet(res, /** @type {string} */ (match.param), rec);
			case 'delete':
				return handleDelete(res, /** @type {string} */ (match.param));
			case 'upload':
				return handleUpload(req, res, pathname, parsed.searchParams, pre);
			case 'download':
				return handleDownload(res, pathname, parsed.searchParams, pre);
			default:
				return sendError(res, 404, 'Not Found');
		}
	}

	/**
	 * Sends a 200 JSON answer, unless a post fault (malformed-json) replaces it.
	 * @param {http.ServerResponse} res
	 * @param {RouteName} route
	 * @param {RequestRecord} rec
	 * @param {unknown} body
	 */
	function respondOk(res, route, rec, body) {
		if (pickFault('echo', route, rec)) echoToken(res, opts.token);
		const post = pickFault('post', route, rec);
		if (post === 'malformed-json') {
			const s = JSON.stringify(body);
			const broken = s.slice(0, Math.max(1, Math.floor(s.length / 2)));
			res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(broken)) });
			res.end(broken);
			return;
		}
		if (post === '500-after-create') return sendError(res, 500, 'Internal Server Error');
		if (post === 'drop-after-create') {
			res.socket?.destroy();
			return;
		}
		sendJson(res, 200, body);
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {RequestRecord} rec */
	async function handleUploadUrls(req, res, rec) {
		const body = await readJson(req);
		if (closed) return;
		if (!body.ok) return sendError(res, body.status, body.message);
		const v = body.value;
		if (!isPlainObject(v)) return sendError(res, 400, 'Request body must be a JSON object');
		const unk = unknownField(v, ['items'], '');
		if (unk) return sendError(res, 400, `Unknown field: ${unk}`);
		if (v.items === undefined) return sendError(res, 400, 'items is required');
		if (!Array.isArray(v.items)) return sendError(res, 400, 'items must be an array');
		if (v.items.length < 1) return sendError(res, 400, 'items must contain at least 1 item');
		/** @type {{ type: 'audio' | 'video' | 'image', extension: string }[]} */
		const items = [];
		for (let i = 0; i < v.items.length; i++) {
			const it = v.items[i];
			const p = `items[${i}]`;
			if (!isPlainObject(it)) return sendError(res, 400, `${p} must be an object`);
			const u = unknownField(it, ['type', 'extension'], `${p}.`);
			if (u) return sendError(res, 400, `Unknown field: ${u}`);
			if (it.type === undefined) return sendError(res, 400, `${p}.type is required`);
			if (typeof it.type !== 'string' || !['video', 'audio', 'image'].includes(it.type)) {
				return sendError(res, 400, `${p}.type must be one of: video, audio, image`);
			}
			if (it.extension === undefined) return sendError(res, 400, `${p}.extension is required`);
			if (typeof it.extension !== 'string') return sendError(res, 400, `${p}.extension must be a string`);
			const type = /** @type {'audio' | 'video' | 'image'} */ (it.type);
			if (!/^[a-z0-9]+$/.test(it.extension) || !EXTENSIONS[type].includes(it.extension)) {
				return sendError(
					res,
					422,
					`'${it.extension}' is an invalid ${type} extension. Possible extensions are '${EXTENSIONS[type].join(', ')}'`,
					'invalid_extension',
				);
			}
			items.push({ type, extension: it.extension });
		}
		const folder = newId();
		const expiresMs = Date.now() + UPLOAD_URL_TTL_MS;
		const expires = Math.floor(expiresMs / 1000);
		const out = items.map((it, i) => {
			const file_path = `api-assets/${folder}/${i}.${it.extension}`;
			issuedUploads.set(file_path, it);
			return {
				upload_url: signedUrl('PUT', `/signed/upload/${file_path}`, expires),
				expires_at: iso(expires * 1000),
				file_path,
			};
		});
		respondOk(res, 'uploadUrls', rec, { items: out });
	}

	/**
	 * Validates a create body. Returns an error tuple or the parsed values.
	 * @param {unknown} v
	 * @returns {{ ok: false, status: number, message: string, code?: string } | { ok: true, name: string | undefined, path: string, prompt: string }}
	 */
	function validateCreate(v) {
		/** @param {string} message */
		const bad = (message) => ({ ok: /** @type {const} */ (false), status: 400, message });
		if (!isPlainObject(v)) return bad('Request body must be a JSON object');
		let u = unknownField(v, ['name', 'assets', 'style'], '');
		if (u) return bad(`Unknown field: ${u}`);
		if (v.name !== undefined && typeof v.name !== 'string') return bad('name must be a string');
		if (v.assets === undefined) return bad('assets is required');
		if (!isPlainObject(v.assets)) return bad('assets must be an object');
		u = unknownField(v.assets, ['audio_file_path'], 'assets.');
		if (u) return bad(`Unknown field: ${u}`);
		if (v.style === undefined) return bad('style is required');
		if (!isPlainObject(v.style)) return bad('style must be an object');
		u = unknownField(v.style, ['prompt'], 'style.');
		if (u) return bad(`Unknown field: ${u}`);
		const path = v.assets.audio_file_path;
		if (path === undefined) return bad('assets.audio_file_path is required');
		if (typeof path !== 'string') return bad('assets.audio_file_path must be a string');
		if (path.length < 1) return bad('assets.audio_file_path must be at least 1 character long');
		const prompt = v.style.prompt;
		if (prompt === undefined) return bad('style.prompt is required');
		if (typeof prompt !== 'string') return bad('style.prompt must be a string');
		const n = codePoints(prompt);
		if (n < 1) return bad('style.prompt must be at least 1 character long');
		if (n > PROMPT_MAX) return bad(`style.prompt must be at most ${PROMPT_MAX} characters long (got ${n})`);

		if (/^https?:\/\//i.test(path)) {
			let url;
			try {
				url = new URL(path);
			} catch {
				return bad('assets.audio_file_path is not a valid URL');
			}
			const ext = (/\.([A-Za-z0-9]+)$/.exec(url.pathname) || [])[1];
			if (!ext || !EXTENSIONS.audio.includes(ext.toLowerCase())) {
				return { ok: false, status: 422, message: 'Unable to clone voice', code: 'unsupported_audio_file' };
			}
		} else if (path.startsWith('api-assets/')) {
			const up = uploads.get(path);
			if (!up) return { ok: false, status: 422, message: 'Unable to clone voice', code: 'file_not_found' };
			if (up.type !== 'audio') return { ok: false, status: 422, message: 'Unable to clone voice', code: 'unsupported_audio_file' };
		} else {
			return bad('assets.audio_file_path must be an http(s) URL or a file_path returned by POST /v1/files/upload-urls');
		}
		return { ok: true, name: /** @type {string | undefined} */ (v.name), path, prompt };
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {RequestRecord} rec */
	async function handleCreate(req, res, rec) {
		const body = await readJson(req);
		if (closed) return;
		if (!body.ok) return sendError(res, body.status, body.message);
		const r = validateCreate(body.value);
		if (!r.ok) return sendError(res, r.status, r.message, r.code);
		const n = codePoints(r.prompt);
		const charge = chargeFor(n, opts.creditsPerCharacter);
		if (credits < charge) return sendError(res, 402, 'Not enough credits', 'insufficient_credits');

		const outcomeFault = pickFault('outcome', 'create', rec);
		const now = Date.now();
		const format = opts.resultFormat;
		const duration = wav.durationForText(n);
		const resultBytes =
			format === 'mp3'
				? opts.resultBytes != null
					? Math.floor(opts.resultBytes)
					: wav.mp3BytesForDuration(duration)
				: opts.resultBytes != null
					? wav.normalizeWavBytes(opts.resultBytes)
					: wav.wavBytesForDuration(duration);
		/** @type {Job} */
		const job = {
			id: newId(),
			name: r.name !== undefined ? r.name : `Voice Cloner - ${iso(now).replace('T', ' ').slice(0, 19)}`,
			prompt: r.prompt,
			codePoints: n,
			audio_file_path: r.path,
			createdAt: now,
			renderMs: opts.renderMs,
			status: 'queued',
			outcome:
				outcomeFault === 'job-error' || outcomeFault === 'job-error-echo'
					? 'error'
					: outcomeFault === 'job-canceled'
						? 'canceled'
						: 'complete',
			echoToken: outcomeFault === 'job-error-echo',
			credits_charged: charge,
			enabled: true,
			error: null,
			format,
			resultBytes,
			requestCount: 0,
			downloadCount: 0,
			timer: undefined,
		};
		credits -= charge;
		jobs.set(job.id, job);
		stats.jobsCreated++;
		// this job counts as in flight at its creation even if renderMs is 0 and it is already terminal
		const others = inFlight() - (TERMINAL.has(job.status) ? 0 : 1);
		stats.maxJobsInFlight = Math.max(stats.maxJobsInFlight, others + 1);
		if (!TERMINAL.has(job.status)) {
			const t = setTimeout(() => {
				timers.delete(t);
				job.timer = undefined;
				finish(job);
			}, job.renderMs);
			t.unref();
			timers.add(t);
			job.timer = t;
		}
		rec.jobId = job.id;
		respondOk(res, 'create', rec, { id: job.id, credits_charged: charge });
	}

	/** @param {http.ServerResponse} res @param {string} id @param {RequestRecord} rec */
	function handleGet(res, id, rec) {
		const job = jobs.get(id);
		if (!job) return sendError(res, 404, 'Not Found');
		advance(job, Date.now());
		const expired = job.status === 'complete' && job.enabled && pickFault('expired', 'get', rec) === 'expired-download';
		respondOk(res, 'get', rec, projectJson(job, expired));
	}

	/** @param {http.ServerResponse} res @param {string} id */
	function handleDelete(res, id) {
		const job = jobs.get(id);
		if (!job) return sendError(res, 404, 'Not Found');
		job.enabled = false;
		res.writeHead(204);
		res.end();
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {string} pathname
	 * @param {URLSearchParams} query
	 * @param {FaultKind | undefined} fault
	 */
	function handleUpload(req, res, pathname, query, fault) {
		const sig = verifySignature('PUT', pathname, query);
		if (!sig.ok) return sendError(res, 403, sig.message, sig.code);
		const filePath = pathname.slice('/signed/upload/'.length);
		const issued = issuedUploads.get(filePath);
		if (!issued) return sendError(res, 404, 'Not Found');
		if (opts.requireUploadContentLength && req.headers['content-length'] === undefined) {
			return sendError(res, 411, 'Length Required', 'missing_content_length');
		}
		const declared = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : undefined;
		if (declared !== undefined && declared > opts.maxUploadBytes) {
			return sendError(res, 413, 'File too large', 'file_too_large', { Connection: 'close' });
		}
		if (fault === 'slow-drip') return dripIn(req, res);
		const hash = crypto.createHash('sha256');
		let size = 0;
		let tooLarge = false;
		const sink = new Writable({
			write(chunk, _enc, cb) {
				size += chunk.length;
				if (size > opts.maxUploadBytes) tooLarge = true;
				else if (fault !== 'upload-fail') hash.update(chunk);
				cb();
			},
		});
		pipeline(req, sink, (err) => {
			if (closed || err) return; // aborted upload: nothing is stored
			if (fault === 'upload-fail') return sendError(res, 500, 'Upload failed', 'upload_failed');
			if (tooLarge) return sendError(res, 413, 'File too large', 'file_too_large');
			if (size === 0) return sendError(res, 400, 'Empty body', 'empty_body');
			const sha256 = hash.digest('hex');
			uploads.set(filePath, {
				file_path: filePath,
				type: issued.type,
				extension: issued.extension,
				size,
				sha256,
				contentType: req.headers['content-type'],
				uploadedAt: Date.now(),
			});
			stats.uploadsBytes += size;
			res.writeHead(200, { ETag: `"${sha256.slice(0, 32)}"`, 'Content-Length': '0' });
			res.end();
		});
	}

	/**
	 * @param {http.ServerResponse} res
	 * @param {string} pathname
	 * @param {URLSearchParams} query
	 * @param {FaultKind | undefined} fault
	 */
	function handleDownload(res, pathname, query, fault) {
		const sig = verifySignature('GET', pathname, query);
		if (!sig.ok) return sendError(res, 403, sig.message, sig.code);
		const m = /^\/signed\/download\/([^/]+)\/output\.(wav|mp3)$/.exec(pathname);
		let id = '';
		try {
			id = m ? decodeURIComponent(m[1]) : '';
		} catch {
			/* not found below */
		}
		const job = jobs.get(id);
		if (job) advance(job, Date.now());
		if (!m || !job || !job.enabled || job.status !== 'complete' || job.format !== m[2]) {
			return sendError(res, 404, 'Not Found');
		}
		job.downloadCount++;
		const total = job.resultBytes;
		const source =
			job.format === 'mp3'
				? wav.createMp3Stream({ totalBytes: total })
				: wav.createWavStream({ totalBytes: total, frequency: 220 + (job.codePoints % 200) * 2 });
		res.writeHead(200, {
			'Content-Type': job.format === 'mp3' ? 'audio/mpeg' : 'audio/wav',
			'Content-Length': String(total),
			'Cache-Control': 'private, max-age=0',
		});
		if (fault === 'slow-drip') {
			dripOut(res, source);
			return;
		}
		if (fault === 'truncated-download') {
			// Content-Length announces the whole file; half of it is sent, then the connection is cut.
			const limit = Math.floor(total / 2);
			let sent = 0;
			res.on('close', () => source.destroy());
			source.on('data', (/** @type {Buffer} */ chunk) => {
				const part = sent + chunk.length >= limit ? chunk.subarray(0, limit - sent) : chunk;
				sent += part.length;
				stats.downloadsBytes += part.length;
				if (sent >= limit) {
					source.destroy();
					res.write(part, () => res.socket?.destroy());
				} else if (!res.write(part)) {
					source.pause();
					res.once('drain', () => source.resume());
				}
			});
			return;
		}
		const counter = new Transform({
			transform(chunk, _enc, cb) {
				stats.downloadsBytes += chunk.length;
				cb(null, chunk);
			},
		});
		pipeline(source, counter, res, () => {
			/* a client that goes away ends up here; nothing to do */
		});
	}

	/**
	 * Sends the body `dripBytes` bytes every `dripMs` (slow-drip download), until done or the
	 * client goes away.
	 * @param {http.ServerResponse} res
	 * @param {import('stream').Readable} source
	 */
	function dripOut(res, source) {
		res.flushHeaders();
		/** @type {Buffer[]} */
		const chunks = [];
		source.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
		source.on('end', async () => {
			let pending = Buffer.concat(chunks);
			while (pending.length > 0 && !closed && !res.destroyed) {
				await sleep(opts.dripMs);
				if (closed || res.destroyed) return;
				const part = pending.subarray(0, opts.dripBytes);
				pending = pending.subarray(part.length);
				stats.downloadsBytes += part.length;
				res.write(part);
			}
			if (!closed && !res.destroyed) res.end();
		});
	}

	/**
	 * Reads the upload `dripBytes` bytes every `dripMs` (slow-drip upload); answers 200 once it has
	 * all, storing nothing.
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async function dripIn(req, res) {
		req.pause();
		let ended = false;
		req.once('end', () => (ended = true));
		while (!ended && !closed && !req.destroyed) {
			await sleep(opts.dripMs);
			if (req.read(opts.dripBytes) === null) req.read();
		}
		if (!closed && ended && !res.headersSent) {
			res.writeHead(200, { 'Content-Length': '0' });
			res.end();
		}
	}

	// ----- server -----

	/** @param {'main' | 'foreign'} origin */
	const createServer = (origin) => {
		const created = http.createServer((req, res) => {
			handle(req, res, origin).catch((err) => {
				try {
					sendError(res, 500, `Simulator error: ${err && err.message ? err.message : String(err)}`);
				} catch {
					/* ignore */
				}
			});
		});
		created.keepAliveTimeout = 5000;
		created.on('connection', (socket) => {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
		});
		created.on('clientError', (_err, socket) => {
			if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
			else socket.destroy();
		});
		return created;
	};
	/** @param {http.Server} target @param {number} port */
	const listen = (target, port) =>
		new Promise((resolve, reject) => {
			target.once('error', reject);
			target.listen(port, opts.host, () => {
				target.off('error', reject);
				resolve(undefined);
			});
		});
	const server = createServer('main');
	const foreignServer = createServer('foreign');
	await listen(server, opts.port);
	await listen(foreignServer, 0);
	const address = /** @type {import('net').AddressInfo} */ (server.address());
	const foreignAddress = /** @type {import('net').AddressInfo} */ (foreignServer.address());
	const hostForUrl = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;

	/** @type {Simulator} */
	const sim = {
		url: (opts.publicUrl || `http://${hostForUrl}:${address.port}`).replace(/\/+$/, ''),
		port: address.port,
		foreignUrl: `http://${hostForUrl}:${foreignAddress.port}`,
		token: opts.token,
		stats() {
			return {
				requests: { ...stats.requests },
				jobsCreated: stats.jobsCreated,
				faultsInjected: { ...stats.faultsInjected },
				maxJobsInFlight: stats.maxJobsInFlight,
				jobsInFlight: inFlight(),
				uploadsBytes: stats.uploadsBytes,
				downloadsBytes: stats.downloadsBytes,
				authOnSignedUrls: stats.authOnSignedUrls,
				tokenAtForeignOrigin: stats.tokenAtForeignOrigin,
				credits,
			};
		},
		jobs() {
			advanceAll();
			return [...jobs.values()].map(snapshot);
		},
		jobsInFlight: inFlight,
		uploads() {
			return [...uploads.values()].map((u) => ({ ...u }));
		},
		requests() {
			return log.map((r) => ({ ...r }));
		},
		setOptions(o) {
			validateOptions(o);
			if (o.port !== undefined || o.host !== undefined || o.publicUrl !== undefined) {
				throw new TypeError('port, host and publicUrl cannot be changed on a running simulator');
			}
			for (const [k, v] of Object.entries(o)) {
				if (k === 'faults' || k === 'resultBytes') continue;
				if (v !== undefined) /** @type {any} */ (opts)[k] = v;
			}
			if ('resultBytes' in o) opts.resultBytes = o.resultBytes === null ? undefined : o.resultBytes;
			if (o.faults !== undefined) {
				opts.faults = validateFaults(o.faults);
				faultUses = opts.faults.map(() => 0);
			}
			if (o.credits !== undefined) credits = o.credits;
			if (o.seed !== undefined) rng = mulberry32(o.seed);
			if (o.token !== undefined) sim.token = o.token;
		},
		reset() {
			for (const job of jobs.values()) if (job.timer) {
				clearTimeout(job.timer);
				timers.delete(job.timer);
			}
			jobs.clear();
			issuedUploads.clear();
			uploads.clear();
			log = [];
			stats = freshStats();
			faultUses = opts.faults.map(() => 0);
			rng = mulberry32(opts.seed);
			credits = opts.credits;
		},
		close() {
			if (closed) return Promise.resolve();
			closed = true;
			for (const t of timers) clearTimeout(t);
			timers.clear();
			return new Promise((resolve) => {
				let open = 2;
				const done = () => --open === 0 && resolve();
				server.close(done);
				foreignServer.close(done);
				server.closeAllConnections();
				foreignServer.closeAllConnections();
				for (const s of sockets) s.destroy();
			});
		},
	};
	return sim;
}

module.exports = { startSimulator, mulberry32, chargeFor, FAULT_KINDS, ROUTES, EXTENSIONS, DEFAULTS };
