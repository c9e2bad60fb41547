/** The production suite: `npm run test:production`. n8n server, queue mode with Redis, Postgres and workers. */
module.exports = {
	...require('../e2e/jest.config.js'),
	testMatch: ['<rootDir>/test/production/**/*.production.js'],
	globalSetup: '<rootDir>/test/production/global-setup.js',
};
