'use strict';
// @ts-check
/**
 * `npm run demo`: runs the example workflow in real n8n (2.41.1, Node 24, this package installed
 * from its packed tarball) and writes each cloned audio to a file in the working folder.
 *
 * Against the local Magic Hour simulator by default: no account, no credits. With
 * MAGIC_HOUR_API_TOKEN set it uses the real API instead (this costs credits) and needs
 * MAGIC_HOUR_SAMPLE_URL, a public link to 10-30 s of the voice to clone.
 */
const fs = require('node:fs');
const path = require('node:path');

const { ensureN8n } = require('./n8n-env');
const runner = require('./n8n-runner');
const workflows = require('./workflows');
const { startSimulator } = require('../simulator');

const log = (line) => process.stdout.write(`${line}\n`);

async function main() {
	const realToken = process.env.MAGIC_HOUR_API_TOKEN;
	const sampleUrl = process.env.MAGIC_HOUR_SAMPLE_URL;
	if (realToken && !sampleUrl) {
		throw new Error('With MAGIC_HOUR_API_TOKEN set, also set MAGIC_HOUR_SAMPLE_URL to a public link to your voice sample (mp3, wav, …).');
	}
	log(realToken
		? '▶ Using the REAL Magic Hour API: this spends credits (about 0.05 per character, 3 short lines).'
		: '▶ Using the local Magic Hour simulator (set MAGIC_HOUR_API_TOKEN to use the real API).');

	await ensureN8n({ log: (line) => log(`  n8n: ${line}`) });
	const simulator = realToken ? undefined : await startSimulator({ token: 'mhk_demo_token', renderMs: 3000 });
	const packed = await runner.packPackage({ log: () => {} });
	const home = await runner.createN8nHome({ tarball: packed.tarball, log: () => {} });
	try {
		const workflow = workflows.exampleWithAudioCheck();
		workflow.id = 'demoCloneVoice';
		if (sampleUrl) {
			const texts = workflow.nodes.find((node) => node.name === 'Texts');
			texts.parameters.jsCode = texts.parameters.jsCode.replace('https://cdn.example.com/my-voice-sample.mp3', sampleUrl);
		}
		await runner.importCredentials(home, [
			workflows.credential(simulator ? simulator.url : 'https://api.magichour.ai', simulator ? simulator.token : realToken),
		]);
		await runner.importWorkflows(home, [workflow]);
		log(`▶ Running "${workflow.name}" in n8n…`);
		const { exitCode, run, durationMs } = await runner.executeWorkflow(home, workflow.id, { timeoutMs: 15 * 60_000 });
		const error = runner.runError(run);
		if (exitCode !== 0 || error) {
			throw new Error(`The workflow failed: ${error ? `${error.message}\n  ${error.description ?? ''}` : `n8n exited with ${exitCode}`}`);
		}
		const cloned = runner.nodeOutput(run, workflows.NODE_NAME);
		const audio = runner.nodeOutput(run, 'Audio as Base64');
		log(`✔ Done in ${(durationMs / 1000).toFixed(1)} s (including n8n's start-up):`);
		cloned.forEach((item, index) => {
			const extension = path.extname(item.binary.data.fileName) || '.wav';
			const file = path.resolve(`cloned-voice-${index + 1}${extension}`);
			fs.writeFileSync(file, Buffer.from(audio[index].json.audio_base64, 'base64'));
			log(`  job ${item.json.id}: ${item.json.credits_charged} credits charged (estimated ${item.json.estimated_credits}) → ${file}`);
		});
	} finally {
		await home.cleanup();
		packed.cleanup();
		await simulator?.close();
	}
}

main().catch((error) => {
	process.stderr.write(`✖ ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
