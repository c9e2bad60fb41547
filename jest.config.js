/** Unit and n8n-core engine tests. The real-n8n suite has its own config (test/e2e). */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/soak/', '<rootDir>/test/bench/'],
	setupFiles: ['<rootDir>/test/setup.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/nock.setup.ts', '<rootDir>/test/clock.setup.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 30000,
	// Two files at a time, one per core of a 2-core machine: no test here races the wall clock (waits pass on
	// test clocks), so they run as well side by side. The soak and the real-n8n suites run one file at a time.
	maxWorkers: 2,
	modulePathIgnorePatterns: ['<rootDir>/.packed/'],
};
