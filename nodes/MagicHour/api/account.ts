import { apiRequest } from '../transport';
import type { Session } from './session';

/**
 * GET /v1/account (free): reads the account and changes nothing. The credential test sends it
 * (credentials/MagicHourApi.credentials.ts), so checking a key costs no credits.
 */
export const ACCOUNT_PATH = '/v1/account';

/** The answer of GET /v1/account, as far as the node reads it. */
export interface Account {
	id?: string;
	email?: string;
	/** The credits left on the account. */
	credits?: number;
	[key: string]: unknown;
}

/**
 * The account, with its credit balance (free, asked once: the balance only advises, so a run goes
 * on without it rather than wait; see transport/retry.ts).
 */
export async function getAccount(session: Session, itemIndex: number): Promise<Account | undefined> {
	return await apiRequest<Account | undefined>(session.ctx, session.connection, {
		method: 'GET',
		path: ACCOUNT_PATH,
		itemIndex,
		cost: 'advisory',
	});
}
