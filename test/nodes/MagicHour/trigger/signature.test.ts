import { sign, TOLERANCE_SECONDS, whyRefused } from '../../../../nodes/MagicHour/trigger/signature';

// Computed outside this project: printf '1764892800.{"type":"audio.completed"}' | openssl dgst -sha256 -hmac whsec_example
const KNOWN = {
	secret: 'whsec_example',
	timestamp: '1764892800',
	body: '{"type":"audio.completed"}',
	signature: '8fd41f35159dc83d6894a6726e049d9394c3f83f73b7eb1231e525acf0c6c104',
};

describe('the webhook signature Magic Hour sends', () => {
	it('is the lowercase hex HMAC-SHA256 of "<timestamp>.<raw body>" with the webhook secret', () => {
		expect(sign(KNOWN.secret, KNOWN.timestamp, KNOWN.body)).toBe(KNOWN.signature);
	});

	it('is accepted in upper case too, and refused when one character differs', () => {
		const delivery = { timestamp: KNOWN.timestamp, rawBody: Buffer.from(KNOWN.body) };
		const now = Number(KNOWN.timestamp);
		expect(whyRefused({ ...delivery, signature: KNOWN.signature.toUpperCase() }, KNOWN.secret, now)).toBeUndefined();
		const changed = `${KNOWN.signature.slice(0, -1)}${KNOWN.signature.endsWith('0') ? '1' : '0'}`;
		expect(whyRefused({ ...delivery, signature: changed }, KNOWN.secret, now)).toMatch(/does not match/);
		expect(whyRefused({ ...delivery, signature: 'abc' }, KNOWN.secret, now)).toMatch(/does not match/);
	});

	it(`allows a timestamp up to ${TOLERANCE_SECONDS} s away, and not one more`, () => {
		const delivery = { timestamp: KNOWN.timestamp, rawBody: Buffer.from(KNOWN.body), signature: KNOWN.signature };
		const at = Number(KNOWN.timestamp);
		expect(whyRefused(delivery, KNOWN.secret, at + TOLERANCE_SECONDS)).toBeUndefined();
		expect(whyRefused(delivery, KNOWN.secret, at - TOLERANCE_SECONDS)).toBeUndefined();
		expect(whyRefused(delivery, KNOWN.secret, at + TOLERANCE_SECONDS + 1)).toMatch(/301 s away/);
	});
});
