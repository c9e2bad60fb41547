'use strict';
// @ts-check
/**
 * Peak resident memory of a process started elsewhere (here: the `n8n execute` child that
 * test/n8n/n8n-runner.js spawns and does not expose), read from Linux's /proc.
 *
 *   const watch = watchPeakRss((argv, pid) => argv.includes('--id=b4Up200'), { intervalMs: 50 });
 *   await executeWorkflow(...);
 *   const { pid, vmHwmKb, samples } = watch.stop();
 *
 * Every `intervalMs` it looks for the first process whose command line matches (scanning /proc
 * until one is found), then reads `/proc/<pid>/status` and keeps the largest `VmHWM` (the kernel's
 * own peak-RSS counter for the process, monotonic over its life) and `VmRSS` it saw. The last
 * read before the process exits is at most `intervalMs` old; since VmHWM never decreases, only a
 * peak reached in that last interval could be missed.
 */
const fs = require('node:fs');

/** @param {number} pid @returns {string[] | undefined} */
function readArgv(pid) {
	try {
		const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		return raw ? raw.split('\0').filter((part) => part !== '') : undefined;
	} catch {
		return undefined;
	}
}

/** @param {number} pid @returns {Record<string, string> | undefined} */
function readEnviron(pid) {
	try {
		/** @type {Record<string, string>} */
		const env = {};
		for (const entry of fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
			const eq = entry.indexOf('=');
			if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
		}
		return env;
	} catch {
		return undefined;
	}
}

/** @param {number} pid @returns {{ vmHwmKb: number, vmRssKb: number } | undefined} */
function readMemory(pid) {
	let text;
	try {
		text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	} catch {
		return undefined;
	}
	const hwm = /^VmHWM:\s+(\d+) kB/m.exec(text);
	const rss = /^VmRSS:\s+(\d+) kB/m.exec(text);
	if (!hwm || !rss) return undefined; // zombie: memory already released
	return { vmHwmKb: Number(hwm[1]), vmRssKb: Number(rss[1]) };
}

/**
 * @param {(argv: string[], pid: number, environ: () => Record<string, string> | undefined) => boolean} matches
 * @param {{ intervalMs?: number }} [options]
 */
function watchPeakRss(matches, options = {}) {
	const intervalMs = options.intervalMs ?? 50;
	/** @type {number | undefined} */
	let pid;
	let vmHwmKb = 0;
	let vmRssMaxKb = 0;
	let samples = 0;
	let gone = false;

	const find = () => {
		for (const entry of fs.readdirSync('/proc')) {
			if (!/^\d+$/.test(entry)) continue;
			const candidate = Number(entry);
			if (candidate === process.pid) continue;
			const argv = readArgv(candidate);
			if (argv && matches(argv, candidate, () => readEnviron(candidate))) return candidate;
		}
		return undefined;
	};

	const tick = () => {
		if (gone) return;
		if (pid === undefined) pid = find();
		if (pid === undefined) return;
		const memory = readMemory(pid);
		if (!memory) {
			gone = true;
			return;
		}
		samples++;
		vmHwmKb = Math.max(vmHwmKb, memory.vmHwmKb);
		vmRssMaxKb = Math.max(vmRssMaxKb, memory.vmRssKb);
	};

	const timer = setInterval(tick, intervalMs);
	return {
		/** Stops watching; the figures are those of the last successful read. */
		stop() {
			clearInterval(timer);
			return { pid, vmHwmKb, vmRssMaxKb, samples };
		},
	};
}

module.exports = { watchPeakRss, readMemory };
