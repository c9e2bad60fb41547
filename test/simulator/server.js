// @ts-check
'use strict';

/**
 * The HTTP servers: the main origin (`sim.url`) and the foreign one (`sim.foreignUrl`), both handing every
 * request to the router; their base URLs; and closing both with every open connection.
 */

const http = require('http');
const { sendError } = require('./json');
const { handle } = require('./router');

/** @typedef {import('./state').State} State */

/** @param {State} state @param {'main' | 'foreign'} origin */
function createOrigin(state, origin) {
	const created = http.createServer((req, res) => {
		handle(state, req, res, origin).catch((err) => {
			try {
				sendError(res, 500, `Simulator error: ${err && err.message ? err.message : String(err)}`);
			} catch {
				/* ignore */
			}
		});
	});
	created.keepAliveTimeout = 5000;
	created.on('connection', (socket) => {
		state.sockets.add(socket);
		socket.on('close', () => state.sockets.delete(socket));
	});
	created.on('clientError', (_err, socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		else socket.destroy();
	});
	return created;
}

/** @param {http.Server} target @param {number} port @param {string} host */
const listen = (target, port, host) =>
	new Promise((resolve, reject) => {
		target.once('error', reject);
		target.listen(port, host, () => {
			target.off('error', reject);
			resolve(undefined);
		});
	});

/**
 * Starts both origins, the main one on `opts.port`, the foreign one on a free port, and sets their
 * base URLs in `state`.
 * @param {State} state
 * @returns {Promise<{ port: number, close: () => Promise<void> }>}
 */
async function startOrigins(state) {
	const { opts } = state;
	const server = createOrigin(state, 'main');
	const foreignServer = createOrigin(state, 'foreign');
	await listen(server, opts.port, opts.host);
	await listen(foreignServer, 0, opts.host);
	const address = /** @type {import('net').AddressInfo} */ (server.address());
	const foreignAddress = /** @type {import('net').AddressInfo} */ (foreignServer.address());
	const hostForUrl = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
	state.url = (opts.publicUrl || `http://${hostForUrl}:${address.port}`).replace(/\/+$/, '');
	state.foreignUrl = `http://${hostForUrl}:${foreignAddress.port}`;
	return {
		port: address.port,
		close: () =>
			new Promise((resolve) => {
				let open = 2;
				const done = () => --open === 0 && resolve();
				server.close(done);
				foreignServer.close(done);
				server.closeAllConnections();
				foreignServer.closeAllConnections();
				for (const s of state.sockets) s.destroy();
			}),
	};
}

module.exports = { startOrigins };
