/**
 * GET /v1/account (free): reads the account and changes nothing. The credential test sends it
 * (credentials/MagicHourApi.credentials.ts), so checking a key costs no credits.
 */
export const ACCOUNT_PATH = '/v1/account';
