/** The one place for HTTP: the API client, the signed-URL clients, the retry policy, the learnt pace and the request scope. */
export { apiRequest } from './request';
export { realClock, useClock } from './clock';
export type { Clock } from './clock';
export { connect, CREDENTIAL_TYPE } from './connection';
export type { ApiContext, ByteStream, MagicHourConnection, N8nContext, StopReason } from './connection';
export { RequestPace } from './pace';
export type { PaceNews } from './pace';
export { openSignedDownload, uploadToSignedUrl } from './signedUrls';
