'use strict';
// @ts-check
/**
 * n8n's own execution records, read the way the editor's *Executions* list reads them: the REST API of a
 * running main process (`/rest/executions`), signed in as the instance owner.
 *
 *   const api = await ownerSession(main, home);      // sets up the owner on first use, else signs in
 *   const list = await api.executions('prodWebhook'); // [{ id, status, mode, startedAt, stoppedAt, … }]
 *   const one = await api.execution(list[0].id);      // … plus `data` (IRun data, unflattened) and `workflowData`
 *   const list = await api.post('dynamic-node-parameters/resource-locator-results', body); // what the editor asks
 */
const path = require('node:path');

const { until } = require('./n8n-runner');

const OWNER = { email: 'owner@example.com', firstName: 'Production', lastName: 'Suite', password: 'Passw0rd-for-the-suite' };

/**
 * @typedef {{ id: string, workflowId: string, status: string, mode: string, finished?: boolean,
 *   startedAt: string | null, stoppedAt: string | null, createdAt: string, retryOf: string | null,
 *   data?: any, workflowData?: any }} ExecutionRecord
 */

/**
 * @param {{ url: string }} server a running main (`n8n start`)
 * @param {{ n8n: { n8nBin: string } }} home any home of that n8n install (for its copy of `flatted`)
 */
async function ownerSession(server, home) {
	// Execution data is stored and served in n8n's "flatted" JSON; use n8n's own copy to read it.
	const flatted = require(path.join(path.dirname(home.n8n.n8nBin), '..', '..', 'flatted'));
	const post = (/** @type {string} */ route, /** @type {object} */ body) =>
		fetch(`${server.url}/rest/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	// n8n 1.x answers /healthz/readiness a few seconds before it serves its REST API (404 until then).
	let response = await post('owner/setup', OWNER);
	for (const deadline = Date.now() + 60_000; response.status === 404 && Date.now() < deadline; ) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		response = await post('owner/setup', OWNER);
	}
	if (response.status !== 200) {
		response = await post('login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	}
	if (response.status !== 200) throw new Error(`could not sign in to ${server.url}: ${response.status} ${await response.text()}`);
	const cookie = (response.headers.get('set-cookie') || '').split(';')[0];

	/** @param {string} route */
	async function get(route) {
		const r = await fetch(`${server.url}/rest/${route}`, { headers: { cookie } });
		const text = await r.text();
		if (r.status !== 200) throw new Error(`GET /rest/${route}: ${r.status} ${text.slice(0, 500)}`);
		return JSON.parse(text).data;
	}

	/** @param {string} route @param {object} body @returns {Promise<any>} the answer's `data` */
	async function postAsOwner(route, body) {
		const r = await fetch(`${server.url}/rest/${route}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const text = await r.text();
		if (r.status !== 200) throw new Error(`POST /rest/${route}: ${r.status} ${text.slice(0, 500)}`);
		return JSON.parse(text).data;
	}

	return {
		get,
		post: postAsOwner,
		/**
		 * Every execution of a workflow, newest first (all pages).
		 * @param {string} workflowId @returns {Promise<ExecutionRecord[]>}
		 */
		async executions(workflowId) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			/** @type {ExecutionRecord[]} */
			const all = [];
			let cursor;
			do {
				const page = await get(`executions?limit=100&filter=${filter}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
				all.push(...page.results);
				cursor = page.nextCursor;
			} while (cursor);
			return all;
		},
		/**
		 * One execution with its run data, as the editor shows it when the execution is opened.
		 * @param {string} id @returns {Promise<ExecutionRecord>}
		 */
		async execution(id) {
			const record = await get(`executions/${id}`);
			return { ...record, data: typeof record.data === 'string' ? flatted.parse(record.data) : record.data };
		},
		/**
		 * The bytes of a binary in an execution's items, as the editor's *Download* button gets them: from n8n's
		 * binary data store (`/rest/binary-data`), or inline base64 (n8n 1.x's default in-memory mode).
		 * @param {{ id?: string, data?: string }} binary @returns {Promise<Buffer>}
		 */
		async binary(binary) {
			if (!binary.id) return Buffer.from(String(binary.data), 'base64');
			const r = await fetch(`${server.url}/rest/binary-data?id=${encodeURIComponent(binary.id)}&action=download`, { headers: { cookie } });
			const bytes = Buffer.from(await r.arrayBuffer());
			if (r.status !== 200) throw new Error(`GET /rest/binary-data ${binary.id}: ${r.status} ${bytes.toString('utf8').slice(0, 300)}`);
			return bytes;
		},
	};
}

/** @typedef {Awaited<ReturnType<typeof ownerSession>>} N8nApi */

/**
 * What the editor shows for a finished execution: its status and, when it failed, the error and the node.
 * @param {ExecutionRecord} record
 */
function summary(record) {
	const error = record.data && record.data.resultData && record.data.resultData.error;
	return {
		id: record.id,
		status: record.status,
		error: error ? error.message : undefined,
		errorDescription: error ? error.description : undefined,
		errorNode: error && error.node ? error.node.name : undefined,
		lastNodeExecuted: record.data && record.data.resultData ? record.data.resultData.lastNodeExecuted : undefined,
		nodesRun: record.data && record.data.resultData ? Object.keys(record.data.resultData.runData || {}) : [],
	};
}

/**
 * Follows the executions n8n records, round after round: `next(workflowIds, count)` waits until `count`
 * executions not returned before have finished, and returns them (all that are new: more when more started).
 * `api()` gives the current session (a restarted n8n has a new one).
 * @param {() => N8nApi} api
 */
function executionTracker(api) {
	/** @type {Set<string>} */
	const seen = new Set();
	/** @param {string[]} workflowIds executions of these workflows not returned by `next` yet */
	const unseen = async (workflowIds) =>
		(await Promise.all(workflowIds.map((id) => api().executions(id)))).flat().filter((record) => !seen.has(record.id));
	return {
		unseen,
		/** @param {string[]} workflowIds @param {number} count */
		async next(workflowIds, count) {
			/** @type {ExecutionRecord[]} */
			let records = [];
			await until(async () => {
				records = await unseen(workflowIds);
				return records.length >= count && records.every((record) => !['new', 'running', 'waiting'].includes(record.status));
			}, `${count} finished executions of ${workflowIds.join(', ')}`);
			for (const record of records) seen.add(record.id);
			return records;
		},
	};
}

module.exports = { ownerSession, summary, executionTracker, OWNER };
