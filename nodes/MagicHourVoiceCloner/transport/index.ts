/** The one place for HTTP: the API client, the signed-URL clients, the retry policy, the errors. */
export { apiRequest } from './api';
export type { ApiRequest } from './api';
export { clock, realClock, useClock } from './clock';
export type { Clock } from './clock';
export { cleanToken, connect, CREDENTIAL_TYPE, RateLimitGate, requestScope } from './connection';
export type { ByteStream, MagicHourConnection, StopReason } from './connection';
export { PaidJobs } from './paidJobs';
export { openSignedDownload, uploadToSignedUrl } from './signedUrls';
export type { DownloadResult, SignedDownload, SignedUpload } from './signedUrls';
