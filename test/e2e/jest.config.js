/** The real-n8n end-to-end suite: `npm run test:e2e`. Provisions n8n 2.41.1 on Node 24, or MAGIC_HOUR_N8N_VERSION (cached). */
module.exports = {
	...require('../n8n/jest.base'),
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.js'],
};
