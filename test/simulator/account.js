// @ts-check
'use strict';

/** GET /v1/account (`account`): the simulated user and the credits left. */

const { respondOk } = require('./fault-answers');

/**
 * @param {import('./state').State} state
 * @param {import('http').ServerResponse} res
 * @param {import('./types').RequestRecord} rec
 */
function handleAccount(state, res, rec) {
	respondOk(state, res, 'account', rec, {
		id: 'user_sim_0001',
		email: 'simulator@example.com',
		name: 'Magic Hour Simulator',
		credits: state.credits,
	});
}

module.exports = { handleAccount };
