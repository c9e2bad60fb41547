// @ts-check
'use strict';

/**
 * The simulator's public types, as JSDoc: options, faults, the request log, stats and snapshots, and the
 * `Simulator` that `startSimulator` returns. index.js re-declares them for its importers; index.d.ts is
 * the same for TypeScript.
 */

/**
 * The HTTP routes, and `webhook`: the deliveries the simulator sends to `webhookUrl`.
 * @typedef {'account' | 'uploadUrls' | 'upload' | 'create' | 'get' | 'delete' | 'download' | 'savedItems' | 'webhook'} RouteName
 */

/** @typedef {'audio.started' | 'audio.completed' | 'audio.errored'} AudioEvent */

/**
 * @typedef {'429' | '429-retry-after' | '500' | '502' | '502-html' | '503' | '500-after-create'
 *   | 'drop-after-create' | 'drop' | 'slow' | 'malformed-json' | 'job-error' | 'job-canceled'
 *   | 'expired-download' | 'upload-fail' | 'truncated-download' | 'slow-drip' | 'redirect-foreign'
 *   | 'echo-token' | 'echo-token-fields' | 'job-error-echo'
 *   | 'bad-signature' | 'stale-timestamp' | 'slow-download' | 'duplicate' | 'unknown-event'} FaultKind
 */

/**
 * @typedef {object} Fault
 * @property {FaultKind} kind
 * @property {RouteName} [route] omit = every route the kind applies to
 * @property {number} [rate] probability 0..1 (default 1), drawn from the seeded PRNG
 * @property {number} [times] maximum number of injections (default unlimited)
 */

/**
 * The account's request rate (rate-limit.js): a token bucket.
 * @typedef {object} RateLimit
 * @property {number} perSecond tokens added a second (> 0)
 * @property {number} [burst] tokens the bucket holds at most (≥ 1; default max(1, perSecond))
 * @property {boolean} [retryAfter] the 429 answers carry `Retry-After` (whole seconds until the next token); default false
 */

/**
 * @typedef {object} SimulatorOptions
 * @property {number} [port] default 0 (random free port)
 * @property {string} [host] interface to listen on, default '127.0.0.1'
 * @property {string} [publicUrl] base URL used in signed URLs and `sim.url` (default http://<host>:<port>)
 * @property {string} [token] the API key accepted as `Authorization: Bearer <token>` (default 'mhk_sim_token')
 * @property {number} [renderMs] time from creation to a terminal status (default 3000); with the options below,
 *   the fixed part of a job's render time
 * @property {number} [renderMsPerCharacter] added to a job's render time per code point of its prompt (default 0)
 * @property {number} [renderVariation] a job's render time is multiplied by a seeded factor within
 *   ±renderVariation, 0 to < 1 (default 0: none)
 * @property {number} [queueMs] a job waits a seeded delay between 0 and queueMs in the queue before its render
 *   starts (default 0)
 * @property {Partial<import('./clock').Clock>} [clock] the time every date, duration and wait of the simulator
 *   follows: job times, the request log, webhook attempts, deadlines and retries, signed links, latency and the
 *   slow faults (default the real clock). Unit tests pass a `ManualClock` and move it; a clock of only `now()`
 *   keeps real timers. Set at start only (clock.js)
 * @property {number} [latencyMs] delay added before every response (default 0)
 * @property {number} [credits] account balance (default 100000)
 * @property {number} [creditsPerCharacter] charge per code point of style.prompt, rounded up (default 0.05)
 * @property {number} [seed] seed of the fault PRNG and of the render and queue draws (default 1)
 * @property {number | null} [resultBytes] exact size of every result file (default: from the text length;
 *   null in setOptions = back to the default)
 * @property {'wav' | 'mp3'} [resultFormat] default 'wav'
 * @property {number} [slowMs] delay of the `slow` fault (default 30000)
 * @property {number} [maxUploadBytes] larger signed uploads get 413 (default 200 MiB)
 * @property {boolean} [requireUploadContentLength] signed PUT without Content-Length gets 411 (default false)
 * @property {number} [dripMs] the `slow-drip` fault moves `dripBytes` bytes every dripMs (default 1000)
 * @property {number} [dripBytes] default 1
 * @property {Fault[]} [faults]
 * @property {(line: string) => void} [logger] called with one line per finished request and per webhook attempt
 * @property {string | null} [webhookUrl] the endpoint that gets signed webhook events (default none: nothing
 *   is sent; null in setOptions = none again)
 * @property {string} [webhookSecret] the endpoint's webhook secret (default 'whsec_sim_webhook_secret')
 * @property {AudioEvent[]} [webhookEvents] the events the endpoint selected (default all three)
 * @property {number} [webhookTimeoutMs] Magic Hour's answer deadline: an attempt not fully answered by then is
 *   aborted and counts as failed (default 10000)
 * @property {number} [webhookRetryMs] wait before the first retry (default 1000)
 * @property {number} [webhookRetryFactor] each further wait is this many times longer (default 2)
 * @property {number} [webhookMaxAttempts] attempts of one delivery in all, the first one included (default 8)
 * @property {RateLimit | null} [rateLimit] the account's request rate: /v1/* requests over it get 429 `rate_limited`
 *   (default none; null in setOptions = none again)
 * @property {number | null} [renderSlots] how many jobs render at once: later ones stay `queued` until a slot frees
 *   (new jobs only; default unlimited; null in setOptions = unlimited again)
 * @property {number} [savedItemsPageSize] the most saved items one page of GET /v1/saved-items holds, whatever its
 *   `limit` (1 to 100, default 3: the default voices come on three pages)
 * @property {number} [extraSavedVoices] that many more saved voices, older than the others, "Voice 001" … (default 0)
 */

/**
 * @typedef {object} RequestRecord
 * @property {string} method
 * @property {string} path pathname, without the query string
 * @property {string} key the counter key, e.g. 'GET /v1/audio-projects/:id'
 * @property {RouteName | null} route
 * @property {boolean} authorization whether the request carried an Authorization header
 * @property {boolean} signed whether it went to a signed (/signed/...) URL
 * @property {number} at the simulator's clock at arrival
 * @property {number | null} status response status; null if the connection was dropped without one
 * @property {string | null} fault fault kind injected into this request, if any
 * @property {'main' | 'foreign'} origin which origin received it: the simulator's, or the foreign one
 *   that `redirect-foreign` points to
 * @property {boolean} tokenSeen whether any header of the request contained the API token
 * @property {string | null} jobId the job a successful create made
 * @property {number | null} endedAt the simulator's clock when the answer was sent or the connection closed (null while open):
 *   with `at`, how many requests of a route were open at once
 * @property {string | null} projectStatus the status a `get` of a known project answered (null otherwise)
 * @property {boolean} rateLimited answered 429 by the account's request rate (`rateLimit`), not by a fault
 */

/**
 * @typedef {object} SimulatorStats
 * @property {Record<string, number>} requests
 * @property {number} jobsCreated
 * @property {Record<string, number>} faultsInjected
 * @property {number} rateLimited requests answered 429 by the account's request rate (`rateLimit`)
 * @property {number} maxJobsInFlight
 * @property {number} jobsInFlight
 * @property {number} uploadsBytes bytes received by successful signed uploads
 * @property {number} downloadsBytes bytes sent by signed downloads
 * @property {number} authOnSignedUrls signed-URL requests that carried an Authorization header
 * @property {number} tokenAtForeignOrigin requests to the foreign origin whose headers held the token
 * @property {number} credits current account balance
 * @property {WebhookStats} webhooks
 */

/**
 * @typedef {object} WebhookDelivery one attempt of a webhook delivery
 * @property {number} delivery which delivery (all attempts of one event body share it; a duplicate is
 *   a delivery of its own)
 * @property {string} type the event type sent
 * @property {string} jobId the job it is about (`payload.id`)
 * @property {number} attempt 1 for the first attempt
 * @property {string | null} fault the faults applied, comma separated: the one that added the delivery
 *   (`duplicate`, `unknown-event`) and the attempt's (`bad-signature`, `stale-timestamp`, `slow-download`)
 * @property {number} timestamp the `magic-hour-event-timestamp` sent (Unix seconds)
 * @property {number} sentAt the simulator's clock when the attempt started
 * @property {number | null} endedAt the simulator's clock when it was answered, failed or aborted; null while pending
 * @property {number | null} status the status answered; null if none (no connection, cut, or aborted
 *   at the deadline before the status came)
 * @property {number | null} answerMs time to the whole answer; null if it did not come in time
 * @property {'pending' | 'ok' | 'non-2xx' | 'timeout' | 'no-answer'} result `ok` = 2xx within the deadline
 * @property {string | null} error why there was no answer
 * @property {number | null} retryInMs when the next attempt follows; null after `ok` and after the last attempt
 */

/**
 * @typedef {object} WebhookAnswer what an endpoint answered a delivery (`sim.postWebhook`)
 * @property {number | null} status null if no status came within the deadline
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {string} body the answer's body (its first 64 KiB)
 * @property {number | null} answerMs time to the whole answer; null if it did not come in time
 * @property {'ok' | 'non-2xx' | 'timeout' | 'no-answer'} result
 * @property {string | null} error why there was no answer
 */

/**
 * @typedef {object} WebhookStats
 * @property {number} events deliveries started: one per event sent, duplicate and unknown-event included
 * @property {number} attempts
 * @property {number} delivered deliveries answered 2xx in time
 * @property {number} failed attempts not answered 2xx in time (timeouts included)
 * @property {number} timedOut attempts aborted at the deadline
 * @property {number} gaveUp deliveries that ran out of attempts
 * @property {number} pending deliveries waiting for an answer or a retry
 */

/**
 * @typedef {object} JobSnapshot
 * @property {string} id
 * @property {string} name
 * @property {string} prompt
 * @property {string} audio_file_path
 * @property {Record<string, unknown>} style the create's `style` as sent (`prompt`, and `language` / `speed` when given)
 * @property {string} status
 * @property {number} credits_charged
 * @property {number} createdAt the simulator's clock at creation (ms)
 * @property {number} queueMs its time in the queue (render-model.js)
 * @property {number} renderMs its render time, after the queue
 * @property {number} doneAt when it ends: createdAt + queueMs + renderMs
 * @property {number} requestCount GET /v1/audio-projects/{id} requests for this job
 * @property {boolean} enabled
 * @property {{ message: string, code: string } | null} error
 * @property {'complete' | 'error' | 'canceled'} outcome
 * @property {'wav' | 'mp3'} format
 * @property {number} resultBytes size of the result file
 * @property {number} downloadCount signed downloads started for this job
 */

/**
 * @typedef {object} SavedAsset
 * @property {string} file_path durable: the create route takes an AUDIO one as `assets.audio_file_path`
 * @property {boolean} is_primary
 * @property {'AUDIO' | 'IMAGE' | 'VIDEO'} media_kind
 * @property {string} url a preview link (not served)
 * @property {string} url_expires_at
 */

/**
 * @typedef {object} SavedItem an item of GET /v1/saved-items
 * @property {string} id
 * @property {string | null} name
 * @property {string} type character, reference, voice, moodboard or brand_kit
 * @property {SavedAsset[]} assets
 */

/**
 * @typedef {object} UploadSnapshot
 * @property {string} file_path
 * @property {'audio' | 'video' | 'image'} type
 * @property {string} extension
 * @property {number} size
 * @property {string} sha256 hex
 * @property {string | undefined} contentType
 * @property {number} uploadedAt
 */

/**
 * @typedef {object} Simulator
 * @property {string} url e.g. 'http://127.0.0.1:PORT'
 * @property {string} foreignUrl another origin (its own port) serving the same routes without faults;
 *   `redirect-foreign` points there, and it records the headers it receives
 * @property {number} port
 * @property {string} token
 * @property {() => SimulatorStats} stats
 * @property {() => JobSnapshot[]} jobs
 * @property {() => number} jobsInFlight
 * @property {() => UploadSnapshot[]} uploads
 * @property {() => RequestRecord[]} requests every request since start/reset, in arrival order (newest 100000)
 * @property {() => SavedItem[]} savedItems the account's saved items, newest first, as GET /v1/saved-items lists them
 * @property {() => WebhookDelivery[]} webhookDeliveries every webhook attempt since start/reset, oldest first (newest 100000)
 * @property {(job: { prompt: string, name?: string, audioFilePath?: string }) => Promise<{ id: string, credits_charged: number }>} createJob
 *   a job created through the API's own create route with the simulator's token, as any client creates one
 *   (logged, charged; `audioFilePath` defaults to a public sample URL)
 * @property {(type: string, jobId: string, changes?: Record<string, unknown>) => string} eventBody the body Magic
 *   Hour would send now for this job's event, `{ type, payload: <the project as GET answers it> }`, payload fields
 *   replaced by `changes` (for deliveries a test makes up)
 * @property {(jobId: string) => Promise<Buffer>} renderedAudio the bytes a download of the job sends (its rendered
 *   audio, of its size and format); not logged
 * @property {(delivery: { body: string | Buffer, headers?: Record<string, string>, url?: string }) => Promise<WebhookAnswer>} postWebhook
 *   posts exactly this body and these headers to `url` (default `webhookUrl`) under the answer deadline, for
 *   deliveries a test makes up; not logged
 * @property {(body: string | Buffer, opts?: { timestamp?: number, secret?: string }) => Record<string, string>} signWebhook
 *   the headers Magic Hour sends `body` with (timestamp default now, secret default `webhookSecret`)
 * @property {(opts: Partial<SimulatorOptions>) => void} setOptions
 * @property {() => void} reset clears jobs, uploads, counters, the request log and fault counters, ends pending
 *   webhook deliveries and clears their log; reseeds
 * @property {() => Promise<void>} close
 */

module.exports = {};
