/** The browser test: `npm run test:ui`. Same set-up as the real-n8n suite (n8n provisioned first, one at a time). */
const e2e = require('../e2e/jest.config');

module.exports = { ...e2e, testMatch: ['<rootDir>/test/ui/**/*.ui.js'], testTimeout: 5 * 60 * 1000 };
