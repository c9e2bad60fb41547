/**
 * Whether the test file under way runs the node's code (`test/nodes/`, `test/engine/`): only those get
 * nock's guard and the test clock (nock.setup.ts, clock.setup.ts). The simulator's, the package's and CI's
 * tests run none of it, and do not load it.
 */
export function runsNodeCode(): boolean {
	return /[/\\]test[/\\](nodes|engine)[/\\]/.test(expect.getState().testPath ?? '');
}
