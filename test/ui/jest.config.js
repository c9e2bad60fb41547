/** The browser test: `npm run test:ui`. Same set-up as the real-n8n suite (n8n provisioned first, one at a time). */
module.exports = { ...require('../n8n/jest.base'), testMatch: ['<rootDir>/test/ui/**/*.ui.js'], testTimeout: 5 * 60 * 1000 };
