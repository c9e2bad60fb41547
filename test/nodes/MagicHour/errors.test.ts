import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	UNCERTAIN_CREATE_ADVICE,
	apiError,
	guidanceFor,
	maskError,
	redact,
	transportError,
} from '../../../nodes/MagicHour/errors';

import { testNode as node } from '../../builders';

const TOKEN = 'mhk_live_secret_123';

describe('apiError: an error answer of the Magic Hour API, as the user sees it', () => {
	it("shows the API's message and code, the status and the project id", () => {
		const error = apiError(node, {
			status: 402,
			message: 'Not enough credits',
			code: 'insufficient_credits',
			itemIndex: 2,
			projectId: 'cm0abc',
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Magic Hour answered 402: Not enough credits [insufficient_credits] (project cm0abc)');
		expect(error.httpCode).toBe('402');
		expect(error.context).toMatchObject({
			itemIndex: 2,
			projectId: 'cm0abc',
			errorCode: 'insufficient_credits',
			httpStatus: 402,
		});
	});

	it('leaves out the code and project when there are none', () => {
		const error = apiError(node, { status: 404, message: 'Not Found', itemIndex: 0 });
		expect(error.message).toBe('Magic Hour answered 404: Not Found');
		expect(error.context.projectId).toBeUndefined();
		expect(error.context.errorCode).toBeUndefined();
	});

	it.each([
		[400, /Check the field the message names/],
		[401, /API token was rejected.*"Magic Hour API" credential/],
		[402, /too few credits.*Add credits or upgrade/],
		[403, /plan does not include this feature/],
		[404, /no such project.*Check the Project ID/],
		[422, /could not use the audio sample.*10 to 30 seconds/],
		[429, /rate limiting.*If "Concurrency" is set in the node options, remove it/],
		[500, /having trouble right now/],
		[502, /having trouble right now/],
		[503, /having trouble right now/],
		[504, /having trouble right now/],
	])('tells what to do after %i', (status, advice) => {
		const error = apiError(node, { status, message: 'failed', itemIndex: 0 });
		expect(error.description).toMatch(advice);
		expect(guidanceFor(status)).toMatch(advice);
	});

	it('falls back to the invalid-request advice for an unlisted 4xx', () => {
		expect(guidanceFor(409)).toBe(guidanceFor(400));
	});

	it('uses the advice it is given instead of the per-status one', () => {
		const error = apiError(node, { status: 500, message: 'boom', itemIndex: 0, advice: UNCERTAIN_CREATE_ADVICE });
		expect(error.description).toBe(UNCERTAIN_CREATE_ADVICE);
	});
});

describe('transportError: a failure without an HTTP answer', () => {
	it('names the project and keeps the code for "Continue On Fail"', () => {
		const error = transportError(node, {
			message: 'Magic Hour did not answer',
			description: 'Run again',
			itemIndex: 1,
			projectId: 'p1',
			code: 'ETIMEDOUT',
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Magic Hour did not answer (project p1)');
		expect(error.description).toBe('Run again');
		expect(error.context).toMatchObject({ itemIndex: 1, projectId: 'p1', errorCode: 'ETIMEDOUT' });
	});
});

describe('redact: the API token never shows in a text', () => {
	it('masks every occurrence of the token', () => {
		expect(redact(`Bearer ${TOKEN} was sent; ${TOKEN}!${TOKEN}`, TOKEN)).toBe('Bearer *** was sent; ***!***');
	});

	it('leaves a text without the token as it is', () => {
		expect(redact('nothing secret here', TOKEN)).toBe('nothing secret here');
	});

	it('does nothing when there is no token to hide', () => {
		expect(redact('text', '')).toBe('text');
		expect(redact('text', undefined)).toBe('text');
	});

	it('treats the token literally, even when it has regular-expression characters', () => {
		expect(redact('key a.b*c and axbbc', 'a.b*c')).toBe('key *** and axbbc');
	});
});

describe('maskError and redact: one masking for everything that leaves the node', () => {
	it('masks the token in every string of an error: message, description, code, context, the wrapped answer, the stack', () => {
		const error = apiError(node, {
			status: 400,
			message: `bad key ${TOKEN}`,
			code: `code_${TOKEN}`,
			itemIndex: 0,
			projectId: `p_${TOKEN}`,
		});
		maskError(error, TOKEN);
		expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(TOKEN);
		expect(error.message).toBe('Magic Hour answered 400: bad key *** [code_***] (project p_***)');
		expect(error.context.errorCode).toBe('code_***');
	});

	it('masks every string inside output JSON, keys and arrays included, and leaves other values alone', () => {
		const json = { name: `clip ${TOKEN}`, error_details: { code: TOKEN }, list: [TOKEN, 3], [TOKEN]: true, n: 2 };
		expect(redact(json, TOKEN)).toEqual({ name: 'clip ***', error_details: { code: '***' }, list: ['***', 3], '***': true, n: 2 });
	});
});
