// @ts-check
'use strict';

/**
 * Child processes that run in their own process group, so that a child and everything it starts (n8n's task
 * runner, npm's build scripts) can be signalled at once, and that die with this process.
 *
 *   const groups = liveGroups();
 *   const child = spawn(cmd, args, { detached: true });   // detached: a new process group, led by the child
 *   groups.add(child);                                    // forgotten again when it closes
 *   atExit(() => groups.killAll());                       // SIGKILL to every group still running
 *   killGroup(child, 'SIGTERM');
 */

/** @type {NodeJS.Signals[]} */
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Sends `signal` to the child's process group (the child and all it started); to the child alone when the
 * group cannot be signalled (no group of its own); nothing when it is gone.
 * @param {import('child_process').ChildProcess} child @param {NodeJS.Signals} signal
 */
function killGroup(child, signal) {
	if (!child.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

/** A set of running children whose process groups `killAll()` ends with SIGKILL. */
function liveGroups() {
	/** @type {Set<import('child_process').ChildProcess>} */
	const live = new Set();
	return {
		/** Keeps `child` until it closes (or fails to start). @param {import('child_process').ChildProcess} child */
		add(child) {
			live.add(child);
			const forget = () => live.delete(child);
			child.on('error', forget);
			child.on('close', forget);
		},
		killAll() {
			for (const child of live) killGroup(child, 'SIGKILL');
			live.clear();
		},
	};
}

/**
 * Runs `cleanup` when this process exits, and on SIGINT, SIGTERM and SIGHUP, after which the signal is
 * raised again (its default action ends the process) unless another listener handles it.
 * `onSignal`: more to do on a signal only, after `cleanup`.
 * @param {() => void} cleanup @param {() => void} [onSignal]
 */
function atExit(cleanup, onSignal) {
	process.on('exit', cleanup);
	for (const sig of EXIT_SIGNALS) {
		process.once(sig, () => {
			cleanup();
			if (onSignal) onSignal();
			if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
		});
	}
}

module.exports = { killGroup, liveGroups, atExit, EXIT_SIGNALS };
