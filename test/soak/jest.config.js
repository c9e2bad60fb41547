/** The fault soak, and the simulator's waits on the wall clock: `npm run test:soak` (500 items a seed) or `npm run test:soak:short` (CI). */
const base = require('../../jest.config');

module.exports = {
	...base,
	rootDir: '../..',
	testMatch: ['<rootDir>/test/soak/**/*.soak.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	// Against the real simulator: no nock (its pass-through breaks streamed downloads).
	setupFilesAfterEnv: [],
	testTimeout: 15 * 60 * 1000,
	// Its files measure time on the wall clock: one at a time, as the real-n8n suites run.
	maxWorkers: 1,
};
