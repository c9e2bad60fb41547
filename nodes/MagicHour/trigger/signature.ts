/**
 * Magic Hour signs each webhook delivery: `magic-hour-event-signature` is the lowercase hex
 * HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the endpoint's webhook secret, and
 * `magic-hour-event-timestamp` the Unix seconds it was sent at.
 */
import { createHmac, timingSafeEqual } from 'crypto';

export const SIGNATURE_HEADER = 'magic-hour-event-signature';
export const TIMESTAMP_HEADER = 'magic-hour-event-timestamp';

/** How far a delivery's timestamp may be from now, as Magic Hour suggests: older ones may be replays. */
export const TOLERANCE_SECONDS = 300;

export interface SignedDelivery {
	signature: string | undefined;
	timestamp: string | undefined;
	rawBody: Buffer;
}

/** The signature Magic Hour computes for a body sent at `timestamp`. */
export function sign(secret: string, timestamp: string, rawBody: Buffer | string): string {
	return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Why a delivery is not Magic Hour's, for the n8n log (never the secret, never what was
 * expected), or undefined when it is: the signature matches over the raw bytes, compared in
 * constant time, and the timestamp is within the tolerance of `nowSeconds`.
 */
export function whyRefused(delivery: SignedDelivery, secret: string, nowSeconds: number): string | undefined {
	const { signature, timestamp, rawBody } = delivery;
	if (!signature || !timestamp) {
		return `the ${!signature ? SIGNATURE_HEADER : TIMESTAMP_HEADER} header is missing`;
	}
	if (!/^\d{1,12}$/.test(timestamp)) return `the ${TIMESTAMP_HEADER} header is not Unix seconds`;
	const skew = Math.abs(nowSeconds - Number(timestamp));
	if (skew > TOLERANCE_SECONDS) {
		return `its timestamp is ${skew} s away from this server's clock (at most ${TOLERANCE_SECONDS} s are accepted)`;
	}
	const expected = Buffer.from(sign(secret, timestamp, rawBody), 'hex');
	const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		return 'its signature does not match the Webhook Secret of the Magic Hour API credential';
	}
	return undefined;
}
