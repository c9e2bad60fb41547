import type { Advice } from '../errors';
import type { MagicHourConnection, N8nContext } from '../transport';
import type { PaidJobs } from './paidJobs';

/**
 * What every request to Magic Hour's API needs from the execution that sends it: n8n's functions,
 * the connection (credential, Stop signal, rate-limit pause, clock), the ledger of the jobs it
 * paid for, and what to advise when a result is not (yet) in n8n. The action node's run is one
 * (run/state.ts); the trigger makes its own.
 */
export interface Session {
	ctx: N8nContext;
	connection: MagicHourConnection;
	paidJobs: PaidJobs;
	advice: Advice;
}
