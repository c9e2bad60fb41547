// @ts-check
'use strict';

/**
 * The simulator's public types, as JSDoc: options, faults, the request log, stats and snapshots, and the
 * `Simulator` that `startSimulator` returns. index.js re-declares them for its importers; index.d.ts is
 * the same for TypeScript.
 */

/** @typedef {'account' | 'uploadUrls' | 'upload' | 'create' | 'get' | 'delete' | 'download'} RouteName */

/**
 * @typedef {'429' | '429-retry-after' | '500' | '502' | '502-html' | '503' | '500-after-create'
 *   | 'drop-after-create' | 'drop' | 'slow' | 'malformed-json' | 'job-error' | 'job-canceled'
 *   | 'expired-download' | 'upload-fail' | 'truncated-download' | 'slow-drip' | 'redirect-foreign'
 *   | 'echo-token' | 'echo-token-fields' | 'job-error-echo'} FaultKind
 */

/**
 * @typedef {object} Fault
 * @property {FaultKind} kind
 * @property {RouteName} [route] omit = every route the kind applies to
 * @property {number} [rate] probability 0..1 (default 1), drawn from the seeded PRNG
 * @property {number} [times] maximum number of injections (default unlimited)
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
 * @property {() => number} [now] the clock (ms) that job times and the request log's `at` follow (default
 *   Date.now); tests whose waits skip time pass their clock. Set at start only
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
 * @property {(line: string) => void} [logger] called with one line per finished request
 */

/**
 * @typedef {object} RequestRecord
 * @property {string} method
 * @property {string} path pathname, without the query string
 * @property {string} key the counter key, e.g. 'GET /v1/audio-projects/:id'
 * @property {RouteName | null} route
 * @property {boolean} authorization whether the request carried an Authorization header
 * @property {boolean} signed whether it went to a signed (/signed/...) URL
 * @property {number} at the simulator's clock at arrival (Date.now() unless `now` is set)
 * @property {number | null} status response status; null if the connection was dropped without one
 * @property {string | null} fault fault kind injected into this request, if any
 * @property {'main' | 'foreign'} origin which origin received it: the simulator's, or the foreign one
 *   that `redirect-foreign` points to
 * @property {boolean} tokenSeen whether any header of the request contained the API token
 * @property {string | null} jobId the job a successful create made
 * @property {string | null} projectStatus the status a `get` of a known project answered (null otherwise)
 */

/**
 * @typedef {object} SimulatorStats
 * @property {Record<string, number>} requests
 * @property {number} jobsCreated
 * @property {Record<string, number>} faultsInjected
 * @property {number} maxJobsInFlight
 * @property {number} jobsInFlight
 * @property {number} uploadsBytes bytes received by successful signed uploads
 * @property {number} downloadsBytes bytes sent by signed downloads
 * @property {number} authOnSignedUrls signed-URL requests that carried an Authorization header
 * @property {number} tokenAtForeignOrigin requests to the foreign origin whose headers held the token
 * @property {number} credits current account balance
 */

/**
 * @typedef {object} JobSnapshot
 * @property {string} id
 * @property {string} name
 * @property {string} prompt
 * @property {string} audio_file_path
 * @property {string} status
 * @property {number} credits_charged
 * @property {number} createdAt the simulator's clock at creation (ms; Date.now() unless `now` is set)
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
 * @property {(opts: Partial<SimulatorOptions>) => void} setOptions
 * @property {() => void} reset clears jobs, uploads, counters, the request log and fault counters; reseeds
 * @property {() => Promise<void>} close
 */

module.exports = {};
