/** The production suite: `npm run test:production`. n8n server, queue mode with Redis, Postgres and workers. */
module.exports = {
	...require('../n8n/jest.base'),
	testMatch: ['<rootDir>/test/production/**/*.production.js'],
	globalSetup: '<rootDir>/test/production/global-setup.js',
};
