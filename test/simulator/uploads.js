// @ts-check
'use strict';

/**
 * Uploads: POST /v1/files/upload-urls (`uploadUrls`) hands out signed PUT URLs and file paths for the
 * file types and extensions the API allows; PUT /signed/upload/<file_path> (`upload`) receives the file,
 * streamed (sha256 and size, never buffered), with the `upload-fail` and `slow-drip` faults.
 */

const crypto = require('crypto');
const { Writable, pipeline } = require('stream');
const { isPlainObject, newId, iso, sendError, readJson, unknownField } = require('./json');
const { respondOk } = require('./fault-answers');
const { signedUrl, verifySignature } = require('./signed-urls');
const { sleep } = require('./state');

/** @typedef {import('./state').State} State */
/** @typedef {import('./types').RequestRecord} RequestRecord */
/** @typedef {import('./types').FaultKind} FaultKind */

/** @type {Record<'audio' | 'video' | 'image', readonly string[]>} */
const EXTENSIONS = {
	video: ['mp4', 'm4v', 'mov', 'webm'],
	audio: ['mp3', 'wav', 'aac', 'flac', 'webm', 'weba', 'm4a', 'opus', 'ogg', 'oga', 'aiff', 'amr'],
	image: ['png', 'jpg', 'jpeg', 'jfif', 'heic', 'heif', 'webp', 'avif', 'jp2', 'tiff', 'tif', 'bmp'],
};

const UPLOAD_URL_TTL_MS = 60 * 60 * 1000;

/**
 * @param {State} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {RequestRecord} rec
 */
async function handleUploadUrls(state, req, res, rec) {
	const body = await readJson(req);
	if (state.closed) return;
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
	const expiresMs = state.now() + UPLOAD_URL_TTL_MS;
	const expires = Math.floor(expiresMs / 1000);
	const out = items.map((it, i) => {
		const file_path = `api-assets/${folder}/${i}.${it.extension}`;
		state.issuedUploads.set(file_path, it);
		return {
			upload_url: signedUrl(state, 'PUT', `/signed/upload/${file_path}`, expires),
			expires_at: iso(expires * 1000),
			file_path,
		};
	});
	respondOk(state, res, 'uploadUrls', rec, { items: out });
}

/**
 * @param {State} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {string} pathname
 * @param {URLSearchParams} query
 * @param {FaultKind | undefined} fault
 */
function handleUpload(state, req, res, pathname, query, fault) {
	const { opts } = state;
	const sig = verifySignature(state, 'PUT', pathname, query);
	if (!sig.ok) return sendError(res, 403, sig.message, sig.code);
	const filePath = pathname.slice('/signed/upload/'.length);
	const issued = state.issuedUploads.get(filePath);
	if (!issued) return sendError(res, 404, 'Not Found');
	if (opts.requireUploadContentLength && req.headers['content-length'] === undefined) {
		return sendError(res, 411, 'Length Required', 'missing_content_length');
	}
	const declared = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : undefined;
	if (declared !== undefined && declared > opts.maxUploadBytes) {
		return sendError(res, 413, 'File too large', 'file_too_large', { Connection: 'close' });
	}
	if (fault === 'slow-drip') return dripIn(state, req, res);
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
		if (state.closed || err) return; // aborted upload: nothing is stored
		if (fault === 'upload-fail') return sendError(res, 500, 'Upload failed', 'upload_failed');
		if (tooLarge) return sendError(res, 413, 'File too large', 'file_too_large');
		if (size === 0) return sendError(res, 400, 'Empty body', 'empty_body');
		const sha256 = hash.digest('hex');
		state.uploads.set(filePath, {
			file_path: filePath,
			type: issued.type,
			extension: issued.extension,
			size,
			sha256,
			contentType: req.headers['content-type'],
			uploadedAt: state.now(),
		});
		state.stats.uploadsBytes += size;
		res.writeHead(200, { ETag: `"${sha256.slice(0, 32)}"`, 'Content-Length': '0' });
		res.end();
	});
}

/**
 * Reads the upload `dripBytes` bytes every `dripMs` (slow-drip upload); answers 200 once it has
 * all, storing nothing.
 * @param {State} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 */
async function dripIn(state, req, res) {
	req.pause();
	let ended = false;
	req.once('end', () => (ended = true));
	while (!ended && !state.closed && !req.destroyed) {
		await sleep(state, state.opts.dripMs);
		if (req.read(state.opts.dripBytes) === null) req.read();
	}
	if (!state.closed && ended && !res.headersSent) {
		res.writeHead(200, { 'Content-Length': '0' });
		res.end();
	}
}

module.exports = { EXTENSIONS, handleUploadUrls, handleUpload };
