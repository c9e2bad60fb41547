'use strict';
// @ts-check
/**
 * Scenario 4, memory: peak RSS (VmHWM) of the `n8n execute` process moving one file. Upload: a WAV of each size
 * in `cfg.memMiB` read from disk → our node (binary sample, Wait off). Download: our node (URL sample, wait +
 * download), the simulator's result that size. Controls at the largest size: n8n's Read/Write Files node alone,
 * and n8n's HTTP Request node downloading the same result as a file.
 */
const fs = require('node:fs');

const runner = require('../../n8n/n8n-runner');
const wf = require('../../n8n/workflows');
const { readFileNode, httpRequestNode } = require('../shared/workflows');
const { MIB, check, ordered } = require('../shared/session');
const { summary, spread, sec, mib } = require('../shared/stats');
const { table } = require('../shared/report');

const HTTP_DOWNLOAD_NODE_NAME = 'HTTP Download';

/** @param {number} miB */
const upId = (miB) => `b4Up${miB}`;

/** n8n's HTTP Request node fetching the result link our node returned, as a file (streamed). */
function httpDownloadNode() {
	return httpRequestNode('httpDownload', HTTP_DOWNLOAD_NODE_NAME, {
		method: 'GET',
		url: '={{ $json.downloads[0].url }}',
		options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
	});
}

/** Our node cloning from a fixed URL sample, waiting for the result. @param {Record<string, unknown>} options */
const urlSampleClone = (options) =>
	wf.voiceCloner({
		operation: 'clone',
		audioSource: 'url',
		audioUrl: 'https://cdn.example.com/voice.mp3',
		prompt: 'Memory benchmark.',
		waitForCompletion: true,
		options,
	});

/**
 * @param {import('../shared/session').Bench} bench
 * @param {Record<number | 'shared', string>} files sample files by size in MiB (0 = tiny)
 */
function workflows(bench, files) {
	const list = [];
	for (const [miB, file] of Object.entries(files)) {
		list.push(
			wf.chain(upId(Number(miB)), `Bench 4 upload ${miB} MiB`, [
				wf.manualTrigger(),
				readFileNode(file),
				wf.voiceCloner({
					operation: 'clone',
					audioSource: 'binary',
					binaryPropertyName: 'data',
					prompt: 'Memory benchmark.',
					waitForCompletion: false,
				}),
			]),
		);
	}
	const largest = bench.cfg.memMiB[bench.cfg.memMiB.length - 1];
	list.push(
		// Controls: n8n's own nodes moving the same bytes, to tell our share from n8n's.
		wf.chain('b4ReadOnly', `Bench 4 control: read ${largest} MiB`, [wf.manualTrigger(), readFileNode(files[largest])]),
		wf.chain('b4HttpDown', 'Bench 4 control: HTTP Request download', [wf.manualTrigger(), urlSampleClone({ downloadAudio: false }), httpDownloadNode()]),
	);
	list.push(wf.chain('b4Down', 'Bench 4 download', [wf.manualTrigger(), urlSampleClone({ maxDownloadSize: 1000 })]));
	return list;
}

/**
 * @param {import('../shared/session').Bench} bench @param {{ files: Record<number | 'shared', string> }} inputs
 * @returns {Promise<import('../shared/session').ScenarioResult>}
 */
async function run(bench, { files }) {
	const { sim, log, cfg } = bench;
	const sizes = [0, ...cfg.memMiB];
	/** @type {Record<'upload' | 'download', Record<number, { hwmKb: number[], nodeMs: number[], wallMs: number[] }>>} */
	const raw = { upload: {}, download: {} };
	for (const dir of /** @type {const} */ (['upload', 'download'])) {
		for (const size of sizes) raw[dir][size] = { hwmKb: [], nodeMs: [], wallMs: [] };
	}
	const largest = cfg.memMiB[cfg.memMiB.length - 1];
	/** @type {Record<'readOnly' | 'httpDownload', { hwmKb: number[], nodeMs: number[] }>} */
	const controls = { readOnly: { hwmKb: [], nodeMs: [] }, httpDownload: { hwmKb: [], nodeMs: [] } };
	/** `n8n execute` with its peak RSS, which must have been read. @param {string} id */
	const measured = async (id) => {
		const r = await bench.execute(id, { peak: true, timeoutMs: 300_000 });
		const peak = /** @type {NonNullable<typeof r.peak>} */ (r.peak);
		check(peak.samples > 0, `${id}: found the n8n process and read its memory`);
		return { ...r, peak };
	};
	for (let rep = 0; rep < bench.reps; rep++) {
		for (const size of ordered(sizes, rep)) {
			for (const dir of /** @type {const} */ (['upload', 'download'])) {
				const bytes = size * MIB;
				if (dir === 'upload') {
					bench.simulate({ latencyMs: 0, maxUploadBytes: 1024 * MIB });
				} else {
					bench.simulate({ latencyMs: 0, renderMs: 500, resultBytes: size ? bytes : null });
				}
				const id = dir === 'upload' ? upId(size) : 'b4Down';
				const r = await measured(id);
				if (dir === 'upload') {
					const [upload] = sim.uploads();
					check(upload && upload.size === fs.statSync(files[size]).size, `${id}: simulator received the whole file`);
				} else {
					const [item] = runner.nodeOutput(r.run, wf.NODE_NAME);
					check(item.binary && item.binary.data, `${id}: audio in the output`);
					if (size) check(sim.stats().downloadsBytes === bytes, `${id}: simulator sent ${sim.stats().downloadsBytes} bytes`);
				}
				raw[dir][size].hwmKb.push(r.peak.vmHwmKb);
				raw[dir][size].nodeMs.push(r.nodeMs(wf.NODE_NAME));
				raw[dir][size].wallMs.push(r.wallMs);
				log(`4 ${dir} ${size || 'tiny'} MiB rep ${rep + 1}: VmHWM ${mib(r.peak.vmHwmKb)} (pid ${r.peak.pid}, ${r.peak.samples} samples), node ${r.nodeMs(wf.NODE_NAME)} ms`);
				bench.dropStoredBinaries();
			}
		}
		for (const control of /** @type {const} */ (['readOnly', 'httpDownload'])) {
			const bytes = largest * MIB;
			if (control === 'readOnly') bench.simulate({ latencyMs: 0 });
			else bench.simulate({ latencyMs: 0, renderMs: 500, resultBytes: bytes });
			const id = control === 'readOnly' ? 'b4ReadOnly' : 'b4HttpDown';
			const nodeName = control === 'readOnly' ? 'Read Sample' : HTTP_DOWNLOAD_NODE_NAME;
			const r = await measured(id);
			const [item] = runner.nodeOutput(r.run, nodeName);
			check(item.binary && item.binary.data, `${id}: file in the output`);
			if (control === 'httpDownload') check(sim.stats().downloadsBytes === bytes, `${id}: whole result downloaded`);
			controls[control].hwmKb.push(r.peak.vmHwmKb);
			controls[control].nodeMs.push(r.nodeMs(nodeName));
			log(`4 control ${control} ${largest} MiB rep ${rep + 1}: VmHWM ${mib(r.peak.vmHwmKb)}, node ${r.nodeMs(nodeName)} ms`);
			bench.dropStoredBinaries();
		}
	}
	/** @type {string[][]} */
	const rows = [];
	/** @type {import('../shared/session').Target[]} */
	const targets = [];
	/** @type {Record<string, Record<number, number>>} */
	const growthKb = { upload: {}, download: {} };
	/** @type {Record<string, number>} */
	const controlGrowthKb = {};
	for (const dir of /** @type {const} */ (['upload', 'download'])) {
		const base = summary(raw[dir][0].hwmKb);
		rows.push([dir, 'tiny (baseline)', spread(base, mib), '–', spread(summary(raw[dir][0].nodeMs), sec)]);
		for (const size of cfg.memMiB) {
			const s = summary(raw[dir][size].hwmKb);
			const growth = s.median - base.median;
			growthKb[dir][size] = growth;
			rows.push([dir, `${size} MiB`, spread(s, mib), mib(growth), spread(summary(raw[dir][size].nodeMs), sec)]);
		}
		const control = dir === 'upload' ? controls.readOnly : controls.httpDownload;
		const c = summary(control.hwmKb);
		controlGrowthKb[dir] = c.median - base.median;
		rows.push([
			dir,
			`control: ${dir === 'upload' ? "n8n's Read/Write Files from Disk alone" : "our node (download off) → n8n's HTTP Request downloading the link as a file"}, ${largest} MiB`,
			spread(c, mib),
			mib(controlGrowthKb[dir]),
			spread(summary(control.nodeMs), sec),
		]);
		const growth = growthKb[dir][largest];
		targets.push({
			target: `4. ${dir} ${largest} MiB: peak RSS growth < 64 MiB`,
			measured: `${mib(growth)} (n8n's own nodes, same bytes: ${mib(controlGrowthKb[dir])})`,
			ok: growth < 64 * 1024,
		});
	}
	/** RSS growth per MiB of file between the two largest sizes: about 0 = flat, about 1 = the file is held in memory. */
	const flatness = (/** @type {'upload' | 'download'} */ dir) => {
		const [a, b] = cfg.memMiB.slice(-2);
		const slope = (growthKb[dir][b] - growthKb[dir][a]) / 1024 / (b - a);
		return `${dir}: ${slope.toFixed(2)} MiB of RSS per MiB of file from ${a} to ${b} MiB (${Math.abs(slope) < 0.15 ? 'flat' : 'grows with the file'})`;
	};
	const md = [
		'### 4. Memory: peak RSS (VmHWM) of the `n8n execute` process, one file',
		'',
		...table(['direction', 'file', 'peak RSS', 'growth over baseline (medians)', 'node time'], rows),
		'',
		`Upload: Read/Write Files from Disk → ours (binary sample, wait off). Download: ours (URL sample, wait + download; simulator \`resultBytes\` = size). ` +
			`n8n binary data mode: filesystem (n8n 2.x default). ${flatness('upload')}; ${flatness('download')}.`,
		'',
	];
	return { raw: { ...raw, controls, growthKb, controlGrowthKb }, markdown: md.join('\n'), targets };
}

module.exports = { workflows, run };
