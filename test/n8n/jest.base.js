/**
 * Jest settings of every suite that runs real n8n (test/e2e, test/ui, test/production): n8n 2.41.1 on Node 24, or
 * MAGIC_HOUR_N8N_VERSION, provided before any test (cached), one test file at a time. Each suite's
 * jest.config.js adds its own testMatch.
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	globalSetup: '<rootDir>/test/n8n/global-setup.js',
	testTimeout: 10 * 60 * 1000,
	maxWorkers: 1,
	modulePathIgnorePatterns: ['<rootDir>/.packed/'],
};
