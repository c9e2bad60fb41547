'use strict';
// @ts-check
/**
 * Scenario 1, create only: `cfg.createItems` items, simulator latency 0, our node (URL sample, Wait off,
 * defaults) against n8n's HTTP Request 4.5 sending the same create request.
 */
const runner = require('../../n8n/n8n-runner');
const wf = require('../../n8n/workflows');
const { itemsCode, cloneItemsWorkflow, httpRequestNode } = require('../shared/workflows');
const { check, alternate } = require('../shared/session');
const { summary, spread, sec, msf, x } = require('../shared/stats');
const { table } = require('../shared/report');

const HTTP_NODE_NAME = 'HTTP Request';

/** n8n's HTTP Request node sending our node's create request, token in a plain header. @param {string} simUrl @param {string} token */
function httpCreateNode(simUrl, token) {
	return httpRequestNode('httpRequest', HTTP_NODE_NAME, {
		method: 'POST',
		url: `${simUrl}/v1/ai-voice-cloner`,
		sendHeaders: true,
		specifyHeaders: 'keypair',
		headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${token}` }] },
		sendBody: true,
		contentType: 'json',
		specifyBody: 'json',
		jsonBody: '={{ JSON.stringify({ name: $json.name, assets: { audio_file_path: $json.audio }, style: { prompt: $json.text } }) }}',
		options: {},
	});
}

/** @param {import('../shared/session').Bench} bench */
function workflows(bench) {
	return [
		cloneItemsWorkflow('b1Ours', 'Bench 1 ours', bench.cfg.createItems, { waitForCompletion: false }),
		wf.chain('b1Http', 'Bench 1 HTTP Request', [wf.manualTrigger(), itemsCode(bench.cfg.createItems), httpCreateNode(bench.sim.url, bench.token)]),
	];
}

/** @param {import('../shared/session').Bench} bench @returns {Promise<import('../shared/session').ScenarioResult>} */
async function run(bench) {
	const { sim, log } = bench;
	const n = bench.cfg.createItems;
	/** @type {Record<'ours' | 'http', { nodeMs: number[], wallMs: number[] }>} */
	const raw = { ours: { nodeMs: [], wallMs: [] }, http: { nodeMs: [], wallMs: [] } };
	await alternate(bench.reps, /** @type {const} */ (['ours', 'http']), async (variant, rep) => {
		bench.simulate({ latencyMs: 0 });
		const id = variant === 'ours' ? 'b1Ours' : 'b1Http';
		const nodeName = variant === 'ours' ? wf.NODE_NAME : HTTP_NODE_NAME;
		const r = await bench.execute(id);
		const out = runner.nodeOutput(r.run, nodeName);
		const jobs = sim.jobs();
		check(out.length === n, `${id}: ${out.length} output items, expected ${n}`);
		check(out.every((item) => typeof item.json.id === 'string'), `${id}: every item has a job id`);
		check(sim.stats().jobsCreated === n, `${id}: simulator created ${sim.stats().jobsCreated} jobs, expected ${n}`);
		check(new Set(jobs.map((j) => j.prompt)).size === n, `${id}: ${n} distinct prompts`);
		raw[variant].nodeMs.push(r.nodeMs(nodeName));
		raw[variant].wallMs.push(r.wallMs);
		log(`1 ${variant} rep ${rep + 1}: node ${r.nodeMs(nodeName)} ms, wall ${r.wallMs} ms, ${n} jobs created`);
	});
	const ours = { node: summary(raw.ours.nodeMs), wall: summary(raw.ours.wallMs) };
	const http = { node: summary(raw.http.nodeMs), wall: summary(raw.http.wallMs) };
	const ratio = ours.node.median / http.node.median;
	const perItem = (/** @type {import('../shared/stats').Summary} */ s) => summary(s.values.map((v) => v / n));
	const md = [
		`### 1. Create only: ${n} items, simulator latency 0 ms`,
		'',
		...table(
			['variant', 'node time', 'per item', 'wall time (`n8n execute`)', 'jobs created'],
			[
				['ours, wait off, Concurrency not set (automatic)', spread(ours.node, sec), spread(perItem(ours.node), msf), spread(ours.wall, sec), `${n} ✓`],
				['HTTP Request 4.5', spread(http.node, sec), spread(perItem(http.node), msf), spread(http.wall, sec), `${n} ✓`],
			],
		),
		'',
		`Node-time ratio ours / HTTP Request (medians): **${x(ratio)}**; wall-time ratio ${x(ours.wall.median / http.wall.median)}. ` +
			'HTTP Request sends all items at once (no batching set); ours keeps 5 in flight.',
		'',
	];
	return {
		raw: { items: n, ...raw, ratioNode: ratio },
		markdown: md.join('\n'),
		targets: [{ target: `1. create ${n}: ours / HTTP Request node time ≤ 1.0`, measured: x(ratio), ok: ratio <= 1.0 }],
	};
}

module.exports = { workflows, run };
