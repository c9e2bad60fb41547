#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * CLI for the Magic Hour API simulator.
 *   node test/simulator/cli.js --port 4010 --render-ms 5000 --fault 429:create:0.3 --fault job-error::0.1
 * Prints the base URL and the token, then serves until SIGINT/SIGTERM.
 */

const { startSimulator, FAULT_KINDS, ROUTES, DEFAULTS } = require('./index');

const HELP = `Usage: node test/simulator/cli.js [options]

  --port <n>                   port on 127.0.0.1 (default 4010; 0 = random)
  --host <addr>                interface to listen on (default 127.0.0.1)
  --token <key>                API key accepted as "Bearer <key>" (default mhk_sim_token)
  --render-ms <ms>             creation -> terminal status (default 3000); the fixed part with the next two
  --render-ms-per-character <ms>  added per code point of the prompt (default 0)
  --render-variation <x>       render times vary by a seeded factor within +-x, 0 to <1 (e.g. 0.3)
  --queue-ms <ms>              a seeded queue delay between 0 and this before each render (default 0)
  --render-slots <n>           jobs rendering at once; later ones stay queued until a slot frees (default: no limit)
  --rate-limit <n>             the account's request rate: /v1/* requests over n a second get 429 (default: none)
  --rate-burst <n>             requests the rate lets through at once (default: one second's worth)
  --rate-retry-after           those 429s carry Retry-After (default: without)
  --latency-ms <ms>            delay before every response (default 0)
  --credits <n>                account balance (default 100000)
  --credits-per-character <x>  charge per code point, rounded up (default 0.05)
  --seed <n>                   seed of the fault PRNG and of the render and queue draws (default 1)
  --fault <kind[:route][:rate][:times]>  repeatable; e.g. 429:create:0.5, 500-after-create, job-error::0.2
  --result-bytes <n>           exact size of every result file
  --result-format <wav|mp3>    default wav
  --slow-ms <ms>               delay of the "slow" fault (default 30000)
  --max-upload-bytes <n>       default 209715200
  --require-upload-content-length   signed PUT without Content-Length gets 411
  --webhook-url <url>          send signed webhook events there (default: none are sent)
  --webhook-secret <s>         the endpoint's webhook secret (default whsec_sim_webhook_secret)
  --webhook-events <list>      comma separated (default audio.started,audio.completed,audio.errored)
  --webhook-timeout-ms <ms>    answer deadline of a delivery (default 10000)
  --webhook-retry-ms <ms>      wait before the first retry (default 1000)
  --webhook-retry-factor <x>   each further wait is x times longer (default 2)
  --webhook-max-attempts <n>   attempts of one delivery in all (default 8)
  --quiet                      do not log requests
  --help

Fault kinds: ${Object.keys(FAULT_KINDS).join(', ')}
Routes: ${ROUTES.join(', ')}
`;

/**
 * Parses "kind[:route][:rate][:times]" (route may be empty or "*" for any route).
 * @param {string} spec
 * @returns {import('./index').Fault}
 */
function parseFault(spec) {
	const parts = spec.split(':');
	const kind = /** @type {import('./index').FaultKind} */ (parts[0]);
	if (!(kind in FAULT_KINDS)) throw new Error(`--fault ${spec}: unknown kind "${kind}"`);
	/** @type {import('./index').Fault} */
	const fault = { kind };
	const rest = parts.slice(1);
	if (rest.length && (rest[0] === '' || rest[0] === '*' || ROUTES.includes(/** @type {any} */ (rest[0])))) {
		const r = rest.shift();
		if (r && r !== '*') fault.route = /** @type {import('./index').RouteName} */ (r);
	}
	if (rest.length) {
		const rate = Number(rest.shift());
		if (!Number.isFinite(rate)) throw new Error(`--fault ${spec}: rate must be a number from 0 to 1`);
		fault.rate = rate;
	}
	if (rest.length) {
		const times = Number(rest.shift());
		if (!Number.isInteger(times)) throw new Error(`--fault ${spec}: times must be an integer`);
		fault.times = times;
	}
	if (rest.length) throw new Error(`--fault ${spec}: expected kind[:route][:rate][:times]`);
	return fault;
}

/**
 * @param {string[]} argv
 * @returns {{ options: import('./index').SimulatorOptions, quiet: boolean, help: boolean }}
 */
function parseArgs(argv) {
	/** @type {import('./index').SimulatorOptions} */
	const options = { port: 4010, faults: [] };
	let quiet = false;
	let help = false;
	/** @type {Record<string, keyof import('./index').SimulatorOptions>} */
	const numeric = {
		'--port': 'port',
		'--render-ms': 'renderMs',
		'--render-ms-per-character': 'renderMsPerCharacter',
		'--render-variation': 'renderVariation',
		'--queue-ms': 'queueMs',
		'--latency-ms': 'latencyMs',
		'--credits': 'credits',
		'--credits-per-character': 'creditsPerCharacter',
		'--seed': 'seed',
		'--result-bytes': 'resultBytes',
		'--slow-ms': 'slowMs',
		'--max-upload-bytes': 'maxUploadBytes',
		'--webhook-timeout-ms': 'webhookTimeoutMs',
		'--webhook-retry-ms': 'webhookRetryMs',
		'--webhook-retry-factor': 'webhookRetryFactor',
		'--webhook-max-attempts': 'webhookMaxAttempts',
		'--render-slots': 'renderSlots',
	};
	/** --rate-limit, --rate-burst and --rate-retry-after as given; they make one `rateLimit` option. */
	/** @type {Record<string, number | boolean>} */
	const rateLimit = {};
	for (let i = 0; i < argv.length; i++) {
		let arg = argv[i];
		/** @type {string | undefined} */
		let inline;
		const eq = arg.indexOf('=');
		if (arg.startsWith('--') && eq > 0) {
			inline = arg.slice(eq + 1);
			arg = arg.slice(0, eq);
		}
		const value = () => {
			const v = inline !== undefined ? inline : argv[++i];
			if (v === undefined) throw new Error(`${arg} needs a value`);
			return v;
		};
		const number = (/** @type {string} */ raw) => {
			const n = Number(raw);
			if (raw.trim() === '' || !Number.isFinite(n)) throw new Error(`${arg}: "${raw}" is not a number`);
			return n;
		};
		if (arg === '--help' || arg === '-h') help = true;
		else if (arg === '--quiet') quiet = true;
		else if (arg === '--require-upload-content-length') options.requireUploadContentLength = true;
		else if (arg === '--rate-limit' || arg === '--rate-burst' || arg === '--rate-retry-after') rateLimit[arg] = arg === '--rate-retry-after' || number(value());
		else if (arg === '--token') options.token = value();
		else if (arg === '--host') options.host = value();
		else if (arg === '--result-format') options.resultFormat = /** @type {'wav' | 'mp3'} */ (value());
		else if (arg === '--webhook-url') options.webhookUrl = value();
		else if (arg === '--webhook-secret') options.webhookSecret = value();
		else if (arg === '--webhook-events') {
			options.webhookEvents = /** @type {import('./index').AudioEvent[]} */ (value().split(',').map((e) => e.trim()).filter(Boolean));
		} else if (arg === '--fault') /** @type {import('./index').Fault[]} */ (options.faults).push(parseFault(value()));
		else if (arg in numeric) /** @type {any} */ (options)[numeric[arg]] = number(value());
		else throw new Error(`unknown argument: ${arg} (see --help)`);
	}
	if (Object.keys(rateLimit).length) {
		if (rateLimit['--rate-limit'] === undefined) throw new Error('--rate-burst and --rate-retry-after need --rate-limit');
		options.rateLimit = {
			perSecond: /** @type {number} */ (rateLimit['--rate-limit']),
			...(rateLimit['--rate-burst'] !== undefined ? { burst: /** @type {number} */ (rateLimit['--rate-burst']) } : {}),
			...(rateLimit['--rate-retry-after'] ? { retryAfter: true } : {}),
		};
	}
	return { options, quiet, help };
}

async function main() {
	let parsed;
	try {
		parsed = parseArgs(process.argv.slice(2));
	} catch (err) {
		process.stderr.write(`${/** @type {Error} */ (err).message}\n`);
		process.exit(2);
	}
	if (parsed.help) {
		process.stdout.write(HELP);
		return;
	}
	const { options, quiet } = parsed;
	if (!quiet) options.logger = (line) => process.stderr.write(`[magic-hour-sim] ${line}\n`);
	let sim;
	try {
		sim = await startSimulator(options);
	} catch (err) {
		process.stderr.write(`could not start the simulator: ${/** @type {Error} */ (err).message}\n`);
		process.exit(1);
	}
	process.stdout.write(
		`Magic Hour simulator listening on ${sim.url}\n` +
			`MAGICHOUR_BASE_URL=${sim.url}\n` +
			`MAGICHOUR_API_KEY=${sim.token}\n` +
			(options.faults && options.faults.length ? `faults: ${JSON.stringify(options.faults)}\n` : '') +
			(options.rateLimit ? `request rate: ${JSON.stringify(options.rateLimit)}\n` : '') +
			(options.renderSlots ? `render slots: ${options.renderSlots}\n` : '') +
			(options.webhookUrl ? `webhooks to ${options.webhookUrl}\nMAGICHOUR_WEBHOOK_SECRET=${options.webhookSecret ?? DEFAULTS.webhookSecret}\n` : ''),
	);
	let stopping = false;
	/** @param {NodeJS.Signals} signal */
	const stop = (signal) => {
		if (stopping) return;
		stopping = true;
		const s = /** @type {import('./index').Simulator} */ (sim);
		if (!quiet) process.stderr.write(`[magic-hour-sim] ${signal}: stats ${JSON.stringify(s.stats())}\n`);
		s.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) main();

module.exports = { parseArgs, parseFault };
