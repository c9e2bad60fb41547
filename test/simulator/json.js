// @ts-check
'use strict';

/**
 * JSON in and out: reading a request body, checking its fields, sending answers and errors, ids and
 * dates as the API writes them, and the token echo (`echo-token`, `echo-token-fields`) that puts the
 * API token into an answer's text fields.
 */

const crypto = require('crypto');

const MAX_JSON_BYTES = 1024 * 1024;

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Compact, cuid-like id. */
function newId() {
	return 'c' + crypto.randomBytes(12).toString('hex');
}

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString();

/** Answers that must echo the API token (`echo-token`, `echo-token-fields`): response → token. */
const ECHO = new WeakMap();

/** Fields a client must be able to use as they are: ids, links, storage paths and numbers stay. */
const KEEP_AS_IS = new Set(['id', 'url', 'upload_url', 'file_path', 'expires_at', 'created_at', 'status']);

/**
 * Marks an answer not sent yet: its JSON body will hold the token (see echoInto).
 * @param {import('http').ServerResponse} res
 * @param {string} token
 */
function echoToken(res, token) {
	ECHO.set(res, token);
}

/**
 * Puts the token into every text field of an answer: an error's message and code (and a code
 * where there was none), a project's name, type and error, the account's fields.
 * @param {unknown} body
 * @param {string} token
 * @param {boolean} isError
 * @returns {unknown}
 */
function echoInto(body, token, isError) {
	if (Array.isArray(body)) return body.map((entry) => echoInto(entry, token, false));
	if (!isPlainObject(body)) return body;
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const [key, value] of Object.entries(body)) {
		if (typeof value === 'string' && !KEEP_AS_IS.has(key)) out[key] = `${value} [key ${token}]`;
		else if (typeof value === 'object' && value !== null) out[key] = echoInto(value, token, false);
		else out[key] = value;
	}
	if (isError && out.code === undefined) out.code = `denied_${token}`;
	return out;
}

/**
 * @param {import('http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendJson(res, status, body, headers = {}) {
	if (res.headersSent || res.destroyed) return;
	const echo = ECHO.get(res);
	const s = JSON.stringify(echo === undefined ? body : echoInto(body, echo, status >= 400));
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': String(Buffer.byteLength(s)),
		...headers,
	});
	res.end(s);
}

/**
 * @param {import('http').ServerResponse} res
 * @param {number} status
 * @param {string} message
 * @param {string} [code]
 * @param {Record<string, string>} [headers]
 */
function sendError(res, status, message, code, headers) {
	sendJson(res, status, code ? { message, code } : { message }, headers);
}

/**
 * Reads a JSON request body (at most MAX_JSON_BYTES).
 * @param {import('http').IncomingMessage} req
 * @returns {Promise<{ ok: true, value: unknown } | { ok: false, status: number, message: string }>}
 */
function readJson(req) {
	return new Promise((resolve) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (/** @type {Buffer} */ c) => {
			size += c.length;
			if (size > MAX_JSON_BYTES) tooLarge = true;
			else chunks.push(c);
		});
		req.on('error', () => resolve({ ok: false, status: 400, message: 'Request aborted' }));
		req.on('end', () => {
			if (tooLarge) return resolve({ ok: false, status: 413, message: 'Request body too large' });
			if (size === 0) return resolve({ ok: false, status: 400, message: 'Missing request body' });
			const ct = String(req.headers['content-type'] || '');
			if (!/^application\/([a-z0-9.+-]*\+)?json\b/i.test(ct)) {
				return resolve({ ok: false, status: 400, message: `Content-Type must be application/json (got "${ct}")` });
			}
			try {
				resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
			} catch {
				resolve({ ok: false, status: 400, message: 'Invalid JSON in request body' });
			}
		});
	});
}

/**
 * Checks that `obj` has only `allowed` keys; returns the dotted path of the first unknown one.
 * @param {Record<string, unknown>} obj
 * @param {readonly string[]} allowed
 * @param {string} prefix
 */
function unknownField(obj, allowed, prefix) {
	for (const k of Object.keys(obj)) if (!allowed.includes(k)) return prefix + k;
	return undefined;
}

module.exports = { isPlainObject, newId, iso, echoToken, sendJson, sendError, readJson, unknownField };
