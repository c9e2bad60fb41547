import {
	MAX_ATTEMPTS_OTHER,
	MAX_ATTEMPTS_RATE_LIMITED,
	isRetryable,
	parseRetryAfter,
	nextStep,
	retryDelay,
} from '../../../../nodes/MagicHour/transport/retry';

const lowest = () => 0;
const highest = () => 1;
const middle = () => 0.5;

describe('which failed requests are sent again', () => {
	describe('a paid create (POST /v1/ai-voice-cloner)', () => {
		it.each([429, 502, 503])('is sent again after %i, which proves no job was made', (status) => {
			expect(isRetryable('paid', { status })).toBe(true);
			expect(retryDelay('paid', { status }, 1, middle)).toBeDefined();
		});

		it('is never sent again after a network error or timeout, as the job may have started', () => {
			expect(isRetryable('paid', {})).toBe(false);
			expect(retryDelay('paid', {}, 1, middle)).toBeUndefined();
		});

		it.each([500, 504, 400, 401, 402, 403, 404, 422])('is not sent again after %i', (status) => {
			expect(isRetryable('paid', { status })).toBe(false);
			expect(retryDelay('paid', { status, retryAfter: '1' }, 1, middle)).toBeUndefined();
		});
	});

	describe('a free request (upload URL, get, delete, download)', () => {
		it.each([429, 500, 502, 503, 504])('is sent again after %i', (status) => {
			expect(isRetryable('free', { status })).toBe(true);
		});

		it('is sent again after a network error', () => {
			expect(isRetryable('free', {})).toBe(true);
			expect(retryDelay('free', {}, 1, middle)).toBeDefined();
		});

		it.each([400, 401, 402, 403, 404, 410, 422])('is not sent again after %i: the input must change', (status) => {
			expect(isRetryable('free', { status })).toBe(false);
			expect(retryDelay('free', { status }, 1, middle)).toBeUndefined();
		});
	});
});

describe('Retry-After', () => {
	const now = Date.parse('2026-11-24T10:00:00.000Z');

	it('is read as seconds', () => {
		expect(parseRetryAfter('7', now)).toBe(7000);
		expect(parseRetryAfter('0', now)).toBe(0);
		expect(parseRetryAfter('1.5', now)).toBe(1500);
	});

	it('is read as an HTTP date', () => {
		expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
	});

	it('never asks for a negative wait: a past date means now', () => {
		expect(parseRetryAfter('Tue, 24 Nov 2026 09:59:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('-5', now)).toBe(0);
	});

	it('is capped at two minutes', () => {
		expect(parseRetryAfter('3600', now)).toBe(120_000);
		expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:00 GMT', now)).toBe(120_000);
	});

	it('is ignored when missing, empty or unreadable', () => {
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('  ', now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
	});

	it('decides the delay instead of the backoff', () => {
		expect(retryDelay('free', { status: 429, retryAfter: '9' }, 1, middle)).toBe(9000);
		expect(retryDelay('paid', { status: 503, retryAfter: '4' }, 2, middle)).toBe(4000);
		expect(retryDelay('free', { status: 429, retryAfter: '86400' }, 1, middle)).toBe(120_000);
	});

	it('honours an HTTP date', () => {
		const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
		const delay = retryDelay('free', { status: 429, retryAfter: inTenSeconds }, 1, middle)!;
		expect(delay).toBeGreaterThan(8000);
		expect(delay).toBeLessThanOrEqual(10_000);
	});

	it('does not make a request retryable that is not', () => {
		expect(retryDelay('free', { status: 400, retryAfter: '1' }, 1, middle)).toBeUndefined();
	});
});

describe('how many times a request is tried', () => {
	it(`gives up after ${MAX_ATTEMPTS_OTHER} attempts on server errors and network errors`, () => {
		expect(MAX_ATTEMPTS_OTHER).toBe(4);
		for (const failed of [{ status: 500 }, {}]) {
			expect(retryDelay('free', failed, MAX_ATTEMPTS_OTHER - 1, middle)).toBeDefined();
			expect(retryDelay('free', failed, MAX_ATTEMPTS_OTHER, middle)).toBeUndefined();
		}
		expect(retryDelay('paid', { status: 502 }, MAX_ATTEMPTS_OTHER - 1, middle)).toBeDefined();
		expect(retryDelay('paid', { status: 502 }, MAX_ATTEMPTS_OTHER, middle)).toBeUndefined();
	});

	it(`keeps going through rate limiting for up to ${MAX_ATTEMPTS_RATE_LIMITED} attempts`, () => {
		expect(MAX_ATTEMPTS_RATE_LIMITED).toBe(30);
		expect(retryDelay('paid', { status: 429 }, MAX_ATTEMPTS_RATE_LIMITED - 1, middle)).toBeDefined();
		expect(retryDelay('paid', { status: 429 }, MAX_ATTEMPTS_RATE_LIMITED, middle)).toBeUndefined();
		expect(retryDelay('free', { status: 429 }, MAX_ATTEMPTS_RATE_LIMITED, middle)).toBeUndefined();
	});
});

describe('backoff between attempts', () => {
	it('doubles with each attempt', () => {
		const delays = [1, 2, 3, 4, 5].map((attempt) => retryDelay('free', { status: 429 }, attempt, highest));
		expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000]);
	});

	it('is capped at 20 seconds', () => {
		expect(retryDelay('free', { status: 429 }, 6, highest)).toBe(20_000);
		expect(retryDelay('free', { status: 429 }, 29, highest)).toBe(20_000);
	});

	it('has jitter between half and all of the backoff, so items limited together spread out', () => {
		expect(retryDelay('free', { status: 503 }, 2, lowest)).toBe(1000);
		expect(retryDelay('free', { status: 503 }, 2, middle)).toBe(1500);
		expect(retryDelay('free', { status: 503 }, 2, highest)).toBe(2000);
	});

	it('uses Math.random when no random source is given', () => {
		const delay = retryDelay('free', { status: 503 }, 1)!;
		expect(delay).toBeGreaterThanOrEqual(500);
		expect(delay).toBeLessThanOrEqual(1000);
	});
});

describe('nextStep: the whole policy in one decision', () => {
	const now = 1_000_000;

	it('an unreadable success is asked again when free, never when paid', () => {
		expect(nextStep('free', { status: 200, unreadable: true }, 1, { now, canRenewLink: false }).kind).toBe('retry');
		expect(nextStep('paid', { status: 200, unreadable: true }, 1, { now, canRenewLink: false }).kind).toBe('stop');
	});

	it('a redirect is never followed up by another attempt', () => {
		expect(nextStep('free', { status: 302 }, 1, { now, canRenewLink: false }).kind).toBe('stop');
		expect(nextStep('paid', { status: 307 }, 1, { now, canRenewLink: false }).kind).toBe('stop');
	});

	it('a refused signed link is renewed once, at once, then given up', () => {
		expect(nextStep('free', { status: 403, staleLink: true }, 1, { now, canRenewLink: true })).toEqual({ kind: 'renewLink' });
		expect(nextStep('free', { status: 403, staleLink: true }, 2, { now, canRenewLink: false })).toEqual({ kind: 'stop' });
	});

	it('no retry starts when its pause would end after the deadline', () => {
		const failed = { status: 503, retryAfter: '5' };
		expect(nextStep('free', failed, 1, { now, deadline: now + 6000, canRenewLink: false })).toEqual({ kind: 'retry', delayMs: 5000 });
		expect(nextStep('free', failed, 1, { now, deadline: now + 4000, canRenewLink: false })).toEqual({ kind: 'stop' });
	});
});
