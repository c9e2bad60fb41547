/** The browser test: `npm run test:ui`. Provisions n8n 2.41.1 on Node 24 (cached) before it starts. */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/ui/**/*.ui.js'],
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	testTimeout: 5 * 60 * 1000,
	maxWorkers: 1,
	modulePathIgnorePatterns: ['<rootDir>/.packed/'],
};
