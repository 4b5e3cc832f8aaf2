/**
 * What this backend costs a month, in USD, at 100, 10,000 and 100,000 users, beside the
 * original platform (an Express monolith with Socket.IO in one App Runner container: about
 * $25, $37 and $95 a month, App Runner $5, $15 and $50 of it). Then the size at which
 * function-per-route costs more than one always-on container sized for the same load.
 *
 * Three kinds of input, each named where it is set:
 * - a traffic model: every assumption a named constant with a comment;
 * - measured figures: from the repository's benchmarks (which one, on which day) or read
 *   from the code paths (which file);
 * - published prices: each with the page it comes from and the day it was read; a figure
 *   that could not be found offline is the best known published value, marked "from
 *   memory, check".
 * The route table (lib/routes.ts) gives every function's memory and secrets, and the model
 * refuses to run if it names a route the table no longer has.
 *
 * No network, deterministic, well under a second.
 *
 *   npm run bench:cost
 */
import { schedules } from '#lib/jobs/schedules';
import { secretNames } from '#lib/platform/config';
import { type Route, routeKey, routes, type WsRoute, wsRoutes } from '#lib/routes';

// ─── Published prices ─────────────────────────────────────────────────────────────────────

/** The region infra/app.ts deploys to unless told otherwise. */
const REGION = 'eu-west-1';
const READ_ON = '2026-12-01';

interface Price {
  usd: number;
  per: string;
  source: string;
  /** Not found in the offline corpus: the best known published value. */
  fromMemory?: true;
}

const price = {
  lambdaGbSecond: {
    usd: 0.0000133334,
    per: 'GB-s, arm64, first 7.5B GB-s',
    source:
      'https://aws.amazon.com/lambda/pricing/ (as transcribed in artillery lib/platform/aws-lambda/prices.js)',
  },
  lambdaRequests: {
    usd: 0.2,
    per: '1M requests',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  httpApiRequests: {
    usd: 1.11,
    per: `1M HTTP API requests, first 300M, ${REGION} (us-east-1: $1.00)`,
    source:
      'https://aws.amazon.com/api-gateway/pricing/ (us-east-1 figure via docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html)',
    fromMemory: true,
  },
  wsMessages: {
    usd: 1.14,
    per: `1M WebSocket messages (32 KB units), ${REGION} (us-east-1: $1.00)`,
    source:
      'https://aws.amazon.com/api-gateway/pricing/ (us-east-1 figures via amnic.com/blogs/aws-api-gateway-pricing)',
    fromMemory: true,
  },
  wsConnectionMinutes: {
    usd: 0.285,
    per: `1M WebSocket connection-minutes, ${REGION} (us-east-1: $0.25)`,
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    fromMemory: true,
  },
  redisCommands: {
    usd: 0.2,
    per: '100K commands, Upstash Redis pay-as-you-go',
    source: 'https://upstash.com/docs/redis/overall/billing',
  },
  redisBandwidth: {
    usd: 0.03,
    per: 'GB over 200 GB a month, pay-as-you-go',
    source: 'https://upstash.com/docs/redis/overall/billing',
  },
  redisFixed250: {
    usd: 10,
    per: 'month, Upstash Redis Fixed 250 MB (no per-command charge, 50 GB bandwidth)',
    source:
      'https://upstash.com/pricing/redis (as transcribed by api-evangelist/upstash, 2026-09-20)',
  },
  qstashMessages: {
    usd: 1,
    per: '100K messages, QStash pay-as-you-go (every delivery attempt counts)',
    source: 'https://upstash.com/pricing/qstash (as transcribed by api-evangelist/qstash)',
  },
  neonComputeHour: {
    usd: 0.106,
    per: 'CU-hour, Neon Launch (1 CU ≈ 1 vCPU, 4 GB)',
    source:
      'https://neon.com/docs/introduction/plans (neondatabase/website content/docs/introduction/plans.md)',
  },
  neonStorage: {
    usd: 0.35,
    per: 'GB-month, Neon Launch',
    source: 'https://neon.com/docs/introduction/plans',
  },
  neonHistory: {
    usd: 0.2,
    per: 'GB-month of change history (instant restore), Neon Launch',
    source: 'https://neon.com/docs/introduction/plans',
  },
  neonTransfer: {
    usd: 0.1,
    per: 'GB of public network transfer over 100 GB, Neon Launch',
    source: 'https://neon.com/docs/introduction/plans',
  },
  s3Storage: {
    usd: 0.023,
    per: `GB-month, S3 Standard, ${REGION}`,
    source: 'https://aws.amazon.com/s3/pricing/',
    fromMemory: true,
  },
  s3Writes: {
    usd: 0.005,
    per: '1K PUT, COPY, POST or LIST requests',
    source:
      'https://aws.amazon.com/s3/pricing/ (via cloudkaramchari.com, per 1,000 PUT/COPY/POST/LIST)',
  },
  s3Reads: {
    usd: 0.0004,
    per: '1K GET requests',
    source: 'https://aws.amazon.com/s3/pricing/',
    fromMemory: true,
  },
  cloudFrontTransfer: {
    usd: 0.11,
    per: 'GB out of Middle East and Africa edges (Lagos), first 10 TB, past the 1 TB always free',
    source:
      'https://aws.amazon.com/cloudfront/pricing/ (free tier via wring.co/blog/aws-cloudfront-pricing-guide)',
    fromMemory: true,
  },
  cloudFrontRequests: {
    usd: 0.022,
    per: '10K HTTPS requests at Middle East and Africa edges, past the 10M always free',
    source: 'https://aws.amazon.com/cloudfront/pricing/',
    fromMemory: true,
  },
  dataTransferOut: {
    usd: 0.09,
    per: 'GB out to the internet past the 100 GB always free, first 10 TB',
    source:
      'https://aws.amazon.com/ec2/pricing/on-demand/ (via wring.co/blog/aws-data-transfer-pricing-guide)',
  },
  secret: {
    usd: 0.4,
    per: 'secret-month, Secrets Manager',
    source:
      'https://aws.amazon.com/secrets-manager/pricing/ (via hivebook.wiki aws-secrets-manager)',
  },
  secretCalls: {
    usd: 0.05,
    per: '10K Secrets Manager API calls',
    source: 'https://aws.amazon.com/secrets-manager/pricing/',
  },
  alarm: {
    usd: 0.1,
    per: 'standard-resolution alarm-month (10 free)',
    source:
      'https://aws.amazon.com/cloudwatch/pricing/ (free tier read there; rate via factualminds.com)',
  },
  logIngestion: {
    usd: 0.5,
    per: 'GB of CloudWatch Logs ingested (5 GB free; eu-west-1 may be higher)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (via factualminds.com, signoz.io)',
  },
  logStorage: {
    usd: 0.03,
    per: 'GB-month of CloudWatch Logs stored (compressed)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
    fromMemory: true,
  },
  healthCheck: {
    usd: 2.75,
    per: 'month, one Route 53 HTTPS health check of a non-AWS endpoint ($0.75 + $2.00 HTTPS)',
    source:
      'https://aws.amazon.com/route53/pricing/ (basic $0.50/$0.75 via wewantcode.com; HTTPS extra not found)',
    fromMemory: true,
  },
  appRunnerVcpuHour: {
    usd: 0.064,
    per: 'vCPU-hour, App Runner active instance',
    source: 'https://aws.amazon.com/apprunner/pricing/',
  },
  appRunnerGbHour: {
    usd: 0.007,
    per: 'GB-hour, App Runner memory (provisioned or active)',
    source: 'https://aws.amazon.com/apprunner/pricing/',
  },
} satisfies Record<string, Price>;

/** Allowances applied. API Gateway's is only for an account's first 12 months: not applied. */
const free = {
  /** AWS always-free tier (https://aws.amazon.com/lambda/pricing/). */
  lambdaRequests: 1_000_000,
  lambdaGbSeconds: 400_000,
  /** https://aws.amazon.com/cloudwatch/pricing/ */
  alarms: 10,
  logGb: 5,
  /** Always free (wring.co/blog/aws-cloudfront-pricing-guide). */
  cloudFrontGb: 1024,
  cloudFrontRequests: 10_000_000,
  /** Aggregated across services (wring.co/blog/aws-data-transfer-pricing-guide). */
  dataTransferGb: 100,
  /** Upstash Redis free database: 500K commands, 256 MB, 10 GB bandwidth a month. */
  redisCommands: 500_000,
  redisBytes: 256e6,
  redisBandwidthGb: 10,
  /** Pay-as-you-go: the first 1 GB of storage and 200 GB of bandwidth are free. */
  redisPaygBandwidthGb: 200,
  redisPaygStorageGb: 1,
  /** QStash free plan: 1,000 messages a day. */
  qstashPerDay: 1000,
  /** Neon Free: 100 CU-hours and 0.5 GB a project, 5 GB of transfer. Launch: 100 GB transfer. */
  neonCuHours: 100,
  neonStorageGb: 0.5,
  neonTransferGb: 5,
  neonLaunchTransferGb: 100,
} as const;

/** Lambda bills the INIT phase of on-demand managed-runtime functions since 2025-08-01. */
const INIT_BILLING =
  'https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/';

// ─── Measured figures ─────────────────────────────────────────────────────────────────────

/**
 * Upper bounds from npm run bench:cold on 2026-12-01 (HEAD cb1fac2, median of 9): the slowest
 * function imports in 229 ms without its compile cache and 174 ms with it, and import plus
 * one invocation takes at most 242 ms; INIT is taken as 250 ms, which also covers Lambda's own
 * runtime start and the cold start's secrets read. Memory is each route's own
 * (lib/routes.ts), 512 MB unless the contract says otherwise.
 */
const INIT_MS = 250;
const INVOKE_CACHED_MS = 60;
const INVOKE_UNCACHED_MS = 150;
/** Assumed, not measured: a call to Paystack, Termii, SES or Expo from eu-west-1. */
const INVOKE_EXTERNAL_MS = 400;

/**
 * From npm run bench:feed on 2026-12-01 (HEAD adae8fd; run with PAYSTACK_SECRET_KEY and
 * PAYSTACK_CALLBACK_URL set, without which every function fails its production config
 * there): SQL statements per feed request on a miss and on a hit, and the 20-card page.
 */
const FEED_SQL_ON_MISS = 1;
const FEED_SQL_ON_HIT = 0;
const FEED_PAGE_BYTES = 9785;
const FEED_PAGE_BR_BYTES = 1722;
/** Assumed, not measured: the stored JSON of the home page and of one listing's detail. */
const HOME_PAGE_BYTES = 12_000;
const DETAIL_BYTES = 3000;

/**
 * From npm run bench:db on 2026-12-01 at 20K listings: the hot queries execute in
 * 0.022-0.089 ms and the worst one reported (offset 9000) in 2.8 ms. A statement is charged
 * 1 ms of database CPU, parse, plan and protocol included: an upper bound.
 */
const DB_CPU_MS_PER_STATEMENT = 1;

/**
 * Cache TTLs, read from the code: bench:feed forces its hits and misses, so the hit ratio
 * is derived from these (see hitRatio).
 */
const TTL = {
  /** functions/home-feed/get-home-feed.ts */
  home: 120,
  /** functions/listings/list-public-listings.ts (dated searches: 30 s, treated as misses) */
  feed: 120,
  /** functions/listings/get-public-listing.ts */
  detail: 300,
  /** lib/auth/sessions.ts: a 'live' session answer */
  session: 60,
};

/**
 * Redis commands, read from the code paths (lib/platform/cache.ts, lib/catalogue/cache.ts,
 * lib/auth/sessions.ts, functions/health, functions/ws/typing.ts). How Upstash counts a Lua
 * script was not found offline: a script is counted as the calls inside it, an upper bound.
 * Rate limits live in Postgres (lib/auth/rate-limit.ts): one upsert, no Redis.
 */
const REDIS = {
  /** READ_VERSIONED: GET generation, GET page. */
  catalogueRead: 2,
  /** SET fresh + SET stale, or WRITE_BUDGETED: INCR, (EXPIRE), SET. */
  catalogueWrite: 2,
  /** A bearer token's revocation check: GET; on a miss, SET NX after the database answers. */
  sessionCheck: 1,
  sessionRemember: 1,
  /** invalidateCatalogue: MULTI INCR + DEL. */
  invalidate: 2,
  /** GET /health (deep): PING. */
  health: 1,
  /** A typing frame: SET NX EX 3. */
  typing: 1,
  /** Logout: SET revoked. */
  logout: 1,
  /** GET /banks: GET, and SET on a miss (hourly). */
  banks: 1,
};

// ─── Traffic model ────────────────────────────────────────────────────────────────────────

/** "Users" are monthly active users; this share of them opens the app on a given day. */
const DAU_SHARE = 0.25;
const DAYS_PER_MONTH = 30.4;
/** App sessions per daily user, and how long one lasts (the revocation cache's reuse). */
const APP_SESSIONS_PER_DAY = 3;
const SESSION_MINUTES = 6;

/** Share of the day's traffic in each hour, Africa/Lagos time (0 h first): evenings peak. */
const HOURLY_WEIGHT = [
  1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.5, 3.5, 4.0, 4.5, 4.8, 5.0, 5.2, 5.2, 5.3, 5.6, 6.2, 7.0,
  8.0, 8.5, 7.5, 5.0, 2.5,
];
/** Minute-level bursts within an hour, over that hour's average (sizing and concurrency). */
const BURST_WITHIN_HOUR = 1.5;

/** Guest browsing, requests per daily user per day. */
const PER_DAU = {
  homeFeed: 3,
  feedPages: 6,
  listingDetails: 8,
  availability: 1.5,
  reviews: 1,
  quotes: 1,
  /** Access tokens last 15 minutes (lib/auth/tokens.ts): about one refresh a session. */
  refresh: APP_SESSIONS_PER_DAY,
  logout: 0.005,
  me: 1.5,
  pushTokens: 0.05,
  updateMe: 0.01,
  avatarUploads: 0.003,
  wishlistReads: 0.4,
  wishlistAdds: 0.2,
  wishlistRemoves: 0.05,
  bookingLists: 0.3,
  bookingReads: 0.2,
};

/** Catalogue cache keys: this share of feed requests go to a few shared first pages. */
const FEED_SHARED_SHARE = 0.7;
/** Default and per-city first pages, and their second pages. */
const FEED_SHARED_KEYS = 12;
/** Listing details: this share of views goes to the most viewed 20% of listings. */
const DETAIL_TOP_FIFTH_SHARE = 0.8;

/** Sign-ins (OTP) per user per month: new phones, reinstalls, logouts; refresh tokens last 30 days. */
const SIGN_INS_PER_USER_MONTH = 0.4;
/** OTP requests per sign-in (resends), and verifications per sign-in (typos). */
const OTP_REQUESTS_PER_SIGN_IN = 1.2;
const OTP_VERIFIES_PER_SIGN_IN = 1.1;

/** Chat: share of daily users who chat, and what a chatting user does in a day. */
const CHAT_SHARE = 0.2;
const PER_CHAT_USER = {
  messages: 6,
  /** The socket is open while the app is on a chat screen. */
  connectionMinutes: 20,
  /** API Gateway closes idle sockets after 10 minutes and the client sends no pings. */
  connects: 4,
  conversationLists: 2,
  messagePages: 3,
  conversationsStarted: 0.1,
  readsOverHttp: 1,
};
/** Messages sent over HTTP (socket closed) rather than the socket. */
const CHAT_HTTP_SEND_SHARE = 0.2;
/** Typing frames a sender's client sends per message; markRead frames per message. */
const TYPING_FRAMES_PER_MESSAGE = 2;
const MARK_READ_FRAMES_PER_MESSAGE = 0.5;
/** The recipient has a socket open, on this many devices when they do. */
const RECIPIENT_ONLINE_SHARE = 0.4;
const DEVICES_PER_ONLINE_USER = 1.2;
/** Pushes to offline recipients, after the five-minute per-conversation throttle. */
const PUSHES_PER_OFFLINE_MESSAGE = 0.3;

/** Hosts, as a share of users; a host opens the app on this share of days. */
const HOST_SHARE = 0.05;
const HOST_DAILY_SHARE = 0.5;
const LISTINGS_PER_HOST = 1.5;
const PHOTOS_PER_LISTING = 8;
/** Host routes, requests per active host per day. */
const PER_ACTIVE_HOST = {
  hostBookings: 2,
  hostBooking: 1,
  hostListings: 1,
  hostListing: 0.5,
  calendar: 1,
  earnings: 0.3,
  /** Each of these changes the public catalogue: a generation bump. */
  listingUpdates: 0.1,
  photoAdds: 0.03,
  photoDeletes: 0.01,
  photoUploadUrls: 0.03,
  listingCreates: 0.002,
  listingPublishes: 0.002,
  blocksAdded: 0.05,
  blocksRemoved: 0.02,
  payoutAccountReads: 0.05,
  payoutAccountWrites: 0.002,
  banks: 0.005,
  documents: 0.01,
};
/** Support staff: admin list requests a day, whatever the size. */
const ADMIN_REQUESTS_PER_DAY = 30;

/** Bookings started per user per month, and what becomes of them. */
const BOOKINGS_PER_USER_MONTH = 0.05;
const UNPAID_SHARE = 0.2;
const INSTANT_BOOK_SHARE = 0.6;
const HOST_DECLINE_SHARE = 0.1;
const HOST_NO_ANSWER_SHARE = 0.05;
const CANCELLED_SHARE = 0.08;
/** Days from booking to check-in, and reviews written per stay by each side. */
const LEAD_DAYS = 10;
const GUEST_REVIEW_SHARE = 0.5;
const HOST_REVIEW_SHARE = 0.4;
/** Deliveries QStash makes again after a failure; every attempt is billed. */
const QSTASH_RETRY_SHARE = 0.02;
/**
 * Defaults of lib/platform/config.ts: a job due later than QSTASH_MAX_DELAY_SECONDS is
 * published that far ahead and publishes itself again when it runs early.
 */
const QSTASH_MAX_DELAY_DAYS = 7;
const REVIEW_WINDOW_DAYS = 14;

/**
 * Route 53 checks GET /health from every checker region: "on average, your endpoint
 * receives a health check request about every two seconds"
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_autonaming_HealthCheckConfig.html).
 * It asks `?depth=shallow` (infra/health-stack.ts): no SQL, no Redis, so it wakes nothing.
 */
const HEALTH_CHECKS_PER_SECOND = 0.5;

/** Lambda environments: reclaimed after this idle time, and recycled after this lifetime. */
const ENV_IDLE_SECONDS = 5 * 60;
const ENV_MAX_LIFETIME_SECONDS = 2 * 60 * 60;

/** Neon: a compute suspends after 5 idle minutes; autoscaling steps of 0.25 CU. */
const NEON_SUSPEND_SECONDS = 5 * 60;
const NEON_MIN_CU = 0.25;
const NEON_TARGET_UTILISATION = 0.5;
/** Database size: fixed part, and per user (a year of messages, bookings, tokens, indexes). */
const DB_BASE_BYTES = 50e6;
const DB_BYTES_PER_USER = 200e3;
/** The share of the data that must stay in memory (4 GB a CU). */
const DB_HOT_SHARE = 0.2;
/** Change history kept for instant restore (Launch default restore window), WAL per write. */
const RESTORE_WINDOW_DAYS = 1;
const WAL_BYTES_PER_WRITE = 2000;
/** Bytes a statement's answer carries back to the function, on average. */
const SQL_RESULT_BYTES = 2000;

/** Response bytes (brotli) per API request, headers included; the feed page is measured. */
const RESPONSE_BYTES = FEED_PAGE_BR_BYTES + 500;
/** Bytes a function sends out per invocation (SQL, cache writes, SDK calls). */
const FUNCTION_EGRESS_BYTES = 1500;

/**
 * Photos: there are no resized variants (lib/platform/storage keeps the uploads as they
 * are), so a feed card loads the original. Photos a daily user fetches past the device's
 * cache, and their average size after the app's own compression on upload.
 */
const PHOTO_FETCHES_PER_DAU = 15;
const PHOTO_BYTES = 300e3;
const CDN_HIT_SHARE = 0.9;
const AVATAR_SHARE = 0.3;
const AVATAR_BYTES = 200e3;
const DOCUMENT_BYTES_PER_HOST = 2e6;

/** CloudWatch Logs: START/END/REPORT per invocation; INIT and the cold-start line. */
const LOG_BYTES_PER_INVOCATION = 450;
const LOG_BYTES_PER_COLD_START = 900;
const LOG_STORED_COMPRESSION = 0.15;
/** Production keeps logs three months (infra/stage-settings.ts). */
const LOG_RETENTION_MONTHS = 3;

/**
 * The always-on container it is compared with (App Runner, as the original platform):
 * vCPU time per HTTP request and per WebSocket frame, the CPU it may use at the burst
 * peak, and its memory (base plus per open socket).
 */
const CONTAINER_CPU_MS_PER_REQUEST = 10;
const CONTAINER_CPU_MS_PER_FRAME = 2;
const CONTAINER_TARGET_CPU = 0.6;
const CONTAINER_BASE_MB = 400;
const CONTAINER_MB_PER_SOCKET = 0.05;
/** App Runner's instance sizes (vCPU, GB); past the largest, more of them. */
const APP_RUNNER_SIZES: ReadonlyArray<readonly [number, number]> = [
  [0.25, 0.5],
  [0.25, 1],
  [0.5, 1],
  [1, 2],
  [2, 4],
  [4, 8],
];

/** The original platform (issue 18): total and App Runner's part of it. */
const ORIGINAL: Record<number, { total: number; appRunner: number }> = {
  100: { total: 25, appRunner: 5 },
  10000: { total: 37, appRunner: 15 },
  100000: { total: 95, appRunner: 50 },
};
const SIZES = [100, 10_000, 100_000];

// ─── The routes' work ─────────────────────────────────────────────────────────────────────

type Cached = 'home' | 'feed' | 'detail';

/** What one request of a route does besides its auth, read from its handler (upper bounds). */
interface Work {
  sql: number;
  /** Through the catalogue cache: SQL only on a miss. */
  cached?: Cached;
  /** Calls Paystack, Termii, SES or Expo. */
  external?: true;
  redis?: number;
  /** Changes the public catalogue (a generation bump). */
  invalidates?: true;
  /** Writes (for the change history). */
  writes?: number;
}

const work: Record<string, Work> = {
  // Route 53's shallow check; the deep one (select 1, PING) is for people, a few a day.
  'GET /health': { sql: 0, redis: 0 },
  'GET /home-feed': { sql: 2, cached: 'home' },
  'GET /listings/public': { sql: FEED_SQL_ON_MISS, cached: 'feed' },
  'GET /listings/public/{id}': { sql: 1, cached: 'detail' },
  'GET /listings/public/{id}/availability': { sql: 1 },
  'GET /listings/public/{id}/reviews': { sql: 1 },
  'GET /listings/public/{id}/quote': { sql: 2 },
  'POST /auth/refresh': { sql: 2, writes: 2 },
  'POST /auth/otp/request': { sql: 4, writes: 2 },
  'POST /auth/otp/verify': { sql: 4, writes: 3 },
  'POST /auth/logout': { sql: 2, redis: REDIS.logout, writes: 1 },
  'GET /me': { sql: 1 },
  'POST /me/push-tokens': { sql: 1, writes: 1 },
  'PATCH /me': { sql: 2, writes: 1 },
  'POST /me/avatar/upload-url': { sql: 0 },
  'GET /wishlist': { sql: 1 },
  'PUT /wishlist/{listingId}': { sql: 2, writes: 1 },
  'DELETE /wishlist/{listingId}': { sql: 1, writes: 1 },
  'GET /bookings': { sql: 1 },
  'GET /bookings/{id}': { sql: 1 },
  'POST /bookings': { sql: 6, external: true, writes: 4 },
  'POST /bookings/{id}/payment/verify': { sql: 5, external: true, writes: 2 },
  'POST /bookings/{id}/cancel': { sql: 4, writes: 3 },
  'POST /bookings/{id}/review': { sql: 3, writes: 2, invalidates: true },
  'POST /webhooks/paystack': { sql: 6, external: true, writes: 3 },
  'GET /conversations': { sql: 1 },
  'GET /conversations/{id}/messages': { sql: 1 },
  'POST /conversations': { sql: 2, writes: 1 },
  'POST /conversations/{id}/messages': { sql: 3, writes: 1 },
  'POST /conversations/{id}/read': { sql: 1, writes: 1 },
  'GET /host/bookings': { sql: 1 },
  'GET /host/bookings/{id}': { sql: 1 },
  'GET /listings': { sql: 1 },
  'GET /listings/{id}': { sql: 1 },
  'GET /listings/{id}/calendar': { sql: 3 },
  'GET /host/earnings': { sql: 3 },
  'PATCH /listings/{id}': { sql: 2, writes: 1, invalidates: true },
  'POST /listings/{id}/photos': { sql: 2, writes: 1, invalidates: true },
  'DELETE /listings/{id}/photos/{photoId}': { sql: 2, writes: 1, invalidates: true },
  'POST /listings/{id}/photos/upload-url': { sql: 1 },
  'POST /listings': { sql: 2, writes: 1 },
  'POST /listings/{id}/publish': { sql: 2, writes: 1, invalidates: true },
  'POST /listings/{id}/blocks': { sql: 2, writes: 1 },
  'DELETE /listings/{id}/blocks/{blockId}': { sql: 1, writes: 1 },
  'GET /host/payout-account': { sql: 1 },
  'PUT /host/payout-account': { sql: 2, external: true, writes: 1 },
  'GET /banks': { sql: 0, redis: REDIS.banks },
  'GET /host/identity-documents': { sql: 1 },
  'POST /host/bookings/{id}/accept': { sql: 4, writes: 3 },
  'POST /host/bookings/{id}/decline': { sql: 4, writes: 3 },
  'POST /host/bookings/{id}/review': { sql: 3, writes: 2 },
  'GET /admin/identity-documents': { sql: 1 },
  'GET /admin/payouts': { sql: 1 },
  'GET /admin/host-cancellations': { sql: 1 },
  // Job routes: a signature claim and a job claim (lib/jobs/route.ts) beside their own work.
  'POST /jobs/cleanup': { sql: 14, writes: 6 },
  'POST /jobs/complete-stays': { sql: 4, writes: 2 },
  'POST /jobs/reconcile-payouts': { sql: 4, writes: 2 },
  'POST /jobs/send-sms': { sql: 3, external: true, writes: 2 },
  'POST /jobs/send-email': { sql: 3, external: true, writes: 2 },
  'POST /jobs/send-push': { sql: 4, external: true, writes: 2 },
  'POST /jobs/booking-deadline': { sql: 5, writes: 3 },
  'POST /jobs/refund-booking': { sql: 5, external: true, writes: 3 },
  'POST /jobs/pay-host': { sql: 6, external: true, writes: 3 },
  'POST /jobs/publish-reviews': { sql: 5, writes: 3 },
  // WebSocket routes (lib/ws/route.ts looks the connection up, but for $connect).
  $connect: { sql: 1, writes: 1 },
  $disconnect: { sql: 2, writes: 1 },
  sendMessage: { sql: 4, writes: 1 },
  typing: { sql: 2, redis: REDIS.typing },
  markRead: { sql: 3, writes: 1 },
};

const cachedBytes: Record<Cached, number> = {
  home: HOME_PAGE_BYTES,
  feed: FEED_PAGE_BYTES,
  detail: DETAIL_BYTES,
};

const jobKey = (job: string) => `POST /jobs/${job}`;

/** The values a cron field (`*`, `*\/n` or a list) takes within `range`. */
function cronValues(field: string, range: number): number[] {
  if (field === '*') return Array.from({ length: range }, (_, v) => v);
  if (field.startsWith('*/')) {
    const step = Number(field.slice(2));
    return Array.from({ length: range / step }, (_, i) => i * step);
  }
  return field.split(',').map(Number);
}

/** The minutes of each hour a schedule fires at; the model takes hourly or finer ones only. */
function fireMinutes(cron: string): number[] {
  const [minute = '*', hour = '*'] = cron.split(' ');
  if (hour !== '*') throw new Error(`bench:cost models hourly schedules only, not ${cron}`);
  return cronValues(minute, 60);
}

/**
 * The share of every hour that the schedules keep Neon awake on their own: each run opens
 * NEON_SUSPEND_SECONDS, and runs that fire in the same minute share one wake.
 */
function scheduledAwakeShare(): number {
  const covered = new Set<number>();
  for (const s of schedules) {
    for (const m of fireMinutes(s.cron)) {
      for (let k = 0; k < NEON_SUSPEND_SECONDS / 60; k++) covered.add((m + k) % 60);
    }
  }
  return covered.size / 60;
}
/** Scheduled runs a day, by route: not random arrivals, so they wake Neon as scheduledAwakeShare says. */
const scheduledPerDay = new Map<string, number>();
for (const s of schedules) {
  const key = jobKey(s.job);
  scheduledPerDay.set(key, (scheduledPerDay.get(key) ?? 0) + firesPerDay(s.cron));
}
/** Requests no user session carries: they wake the database on their own. */
const isBackground = (key: string) =>
  key.startsWith('POST /jobs/') || key.startsWith('POST /webhooks/');

// ─── The model ────────────────────────────────────────────────────────────────────────────

const hourShare = HOURLY_WEIGHT.map((w) => w / HOURLY_WEIGHT.reduce((a, b) => a + b, 0));
const flatShare = HOURLY_WEIGHT.map(() => 1 / 24);
const peakHourOverAverage = Math.max(...hourShare) * 24;

/**
 * The share of reads a cache-aside entry answers: reads arrive at `rate` a second, an entry
 * lives `ttl` seconds unless a generation bump (at `bumps` a second) orphans it first. After
 * each miss the entry serves rate × lifetime hits, then the next read misses.
 */
function hitRatio(rate: number, ttl: number, bumps = 0): number {
  const life = bumps > 0 ? (1 - Math.exp(-bumps * ttl)) / bumps : ttl;
  return (rate * life) / (1 + rate * life);
}

/** How often a cron line fires in a day (minute and hour fields: '*', '*\/n', a number). */
function firesPerDay(cron: string): number {
  const [minute = '*', hour = '*'] = cron.split(' ');
  return cronValues(minute, 60).length * cronValues(hour, 24).length;
}

/** What becomes of one booking started, in expected counts (lib/bookings/lifecycle.ts). */
function bookingFlow() {
  const paid = 1 - UNPAID_SHARE;
  const instant = paid * INSTANT_BOOK_SHARE;
  const requested = paid - instant;
  const declined = requested * HOST_DECLINE_SHARE;
  const unanswered = requested * HOST_NO_ANSWER_SHARE;
  const accepted = requested - declined - unanswered;
  const confirmed = instant + accepted;
  const cancelled = confirmed * CANCELLED_SHARE;
  const stays = confirmed - cancelled;
  // tell(): a push, and an SMS or an email, to each side told (lib/bookings/notify.ts);
  // accounts sign in by phone here, so it is an SMS.
  const sidesTold =
    UNPAID_SHARE + requested + 2 * instant + accepted + declined + 2 * unanswered + cancelled;
  const hops = (days: number) => Math.ceil(days / QSTASH_MAX_DELAY_DAYS);
  const jobs: Record<string, number> = {
    'booking-deadline': 1 + requested,
    'send-push': sidesTold,
    'send-sms': sidesTold,
    'refund-booking': declined + unanswered + cancelled,
    'pay-host': confirmed * hops(LEAD_DAYS + 1),
    'publish-reviews': stays * hops(REVIEW_WINDOW_DAYS),
  };
  // Deadlines of bookings that moved on are cancelled before delivery (still published).
  const delivered: Record<string, number> = {
    ...jobs,
    'booking-deadline': UNPAID_SHARE + unanswered,
    'pay-host': (confirmed - cancelled) * hops(LEAD_DAYS + 1),
  };
  return {
    paid,
    requested,
    accepted,
    declined,
    cancelled,
    stays,
    jobs,
    delivered,
    published: Object.values(jobs).reduce((a, b) => a + b, 0),
    // charge.success, a payout's transfer.success, a refund's refund.processed.
    webhooks: paid + (confirmed - cancelled) + declined + unanswered + cancelled,
  };
}

interface Usage {
  users: number;
  dau: number;
  listings: number;
  /** Invocations a day, by route key, with the hourly profile they follow. */
  perDay: Map<string, { count: number; shares: readonly number[] }>;
  hits: Record<Cached, number>;
  sessionHit: number;
  wsMessagesPerDay: number;
  connectionMinutesPerDay: number;
  qstashPerDay: number;
  bookingsPerDay: number;
  photoFetchesPerDay: number;
}

function usageAt(users: number, withHealthCheck = true): Usage {
  const dau = users * DAU_SHARE;
  const chatters = dau * CHAT_SHARE;
  const hosts = Math.max(1, users * HOST_SHARE);
  const activeHosts = hosts * HOST_DAILY_SHARE;
  const listings = Math.max(1, hosts * LISTINGS_PER_HOST);
  const bookingsPerDay = (users * BOOKINGS_PER_USER_MONTH) / DAYS_PER_MONTH;
  const signInsPerDay = (users * SIGN_INS_PER_USER_MONTH) / DAYS_PER_MONTH;
  const flow = bookingFlow();
  const messages = chatters * PER_CHAT_USER.messages;
  const socketMessages = messages * (1 - CHAT_HTTP_SEND_SHARE);

  const perDay = new Map<string, { count: number; shares: readonly number[] }>();
  const add = (key: string, count: number, shares: readonly number[] = hourShare) => {
    const was = perDay.get(key)?.count ?? 0;
    perDay.set(key, { count: was + count, shares });
  };
  if (withHealthCheck) add('GET /health', HEALTH_CHECKS_PER_SECOND * 86_400, flatShare);
  add('GET /home-feed', dau * PER_DAU.homeFeed);
  add('GET /listings/public', dau * PER_DAU.feedPages);
  add('GET /listings/public/{id}', dau * PER_DAU.listingDetails);
  add('GET /listings/public/{id}/availability', dau * PER_DAU.availability);
  add('GET /listings/public/{id}/reviews', dau * PER_DAU.reviews);
  add('GET /listings/public/{id}/quote', dau * PER_DAU.quotes);
  add('POST /auth/refresh', dau * PER_DAU.refresh);
  add('POST /auth/otp/request', signInsPerDay * OTP_REQUESTS_PER_SIGN_IN);
  add('POST /auth/otp/verify', signInsPerDay * OTP_VERIFIES_PER_SIGN_IN);
  add('POST /auth/logout', dau * PER_DAU.logout);
  add('GET /me', dau * PER_DAU.me);
  add('POST /me/push-tokens', dau * PER_DAU.pushTokens);
  add('PATCH /me', dau * PER_DAU.updateMe);
  add('POST /me/avatar/upload-url', dau * PER_DAU.avatarUploads);
  add('GET /wishlist', dau * PER_DAU.wishlistReads);
  add('PUT /wishlist/{listingId}', dau * PER_DAU.wishlistAdds);
  add('DELETE /wishlist/{listingId}', dau * PER_DAU.wishlistRemoves);
  add('GET /bookings', dau * PER_DAU.bookingLists);
  add('GET /bookings/{id}', dau * PER_DAU.bookingReads);
  add('POST /bookings', bookingsPerDay);
  add('POST /bookings/{id}/payment/verify', bookingsPerDay * flow.paid);
  add('POST /bookings/{id}/cancel', bookingsPerDay * flow.cancelled);
  add('POST /bookings/{id}/review', bookingsPerDay * flow.stays * GUEST_REVIEW_SHARE);
  add('POST /webhooks/paystack', bookingsPerDay * flow.webhooks);
  add('GET /conversations', chatters * PER_CHAT_USER.conversationLists);
  add('GET /conversations/{id}/messages', chatters * PER_CHAT_USER.messagePages);
  add('POST /conversations', chatters * PER_CHAT_USER.conversationsStarted);
  add('POST /conversations/{id}/messages', messages * CHAT_HTTP_SEND_SHARE);
  add('POST /conversations/{id}/read', chatters * PER_CHAT_USER.readsOverHttp);
  const host = PER_ACTIVE_HOST;
  add('GET /host/bookings', activeHosts * host.hostBookings);
  add('GET /host/bookings/{id}', activeHosts * host.hostBooking);
  add('GET /listings', activeHosts * host.hostListings);
  add('GET /listings/{id}', activeHosts * host.hostListing);
  add('GET /listings/{id}/calendar', activeHosts * host.calendar);
  add('GET /host/earnings', activeHosts * host.earnings);
  add('PATCH /listings/{id}', activeHosts * host.listingUpdates);
  add('POST /listings/{id}/photos', activeHosts * host.photoAdds);
  add('DELETE /listings/{id}/photos/{photoId}', activeHosts * host.photoDeletes);
  add('POST /listings/{id}/photos/upload-url', activeHosts * host.photoUploadUrls);
  add('POST /listings', activeHosts * host.listingCreates);
  add('POST /listings/{id}/publish', activeHosts * host.listingPublishes);
  add('POST /listings/{id}/blocks', activeHosts * host.blocksAdded);
  add('DELETE /listings/{id}/blocks/{blockId}', activeHosts * host.blocksRemoved);
  add('GET /host/payout-account', activeHosts * host.payoutAccountReads);
  add('PUT /host/payout-account', activeHosts * host.payoutAccountWrites);
  add('GET /banks', activeHosts * host.banks);
  add('GET /host/identity-documents', activeHosts * host.documents);
  add('POST /host/bookings/{id}/accept', bookingsPerDay * flow.accepted);
  add('POST /host/bookings/{id}/decline', bookingsPerDay * flow.declined);
  add('POST /host/bookings/{id}/review', bookingsPerDay * flow.stays * HOST_REVIEW_SHARE);
  for (const key of [
    'GET /admin/identity-documents',
    'GET /admin/payouts',
    'GET /admin/host-cancellations',
  ])
    add(key, ADMIN_REQUESTS_PER_DAY / 3);

  // QStash: published messages (billed) and the deliveries that invoke a job route.
  const pushesForChat = messages * (1 - RECIPIENT_ONLINE_SHARE) * PUSHES_PER_OFFLINE_MESSAGE;
  const otpMessages = signInsPerDay * OTP_REQUESTS_PER_SIGN_IN;
  let scheduled = 0;
  for (const s of schedules) {
    const fires = firesPerDay(s.cron);
    scheduled += fires;
    add(jobKey(s.job), fires, flatShare);
  }
  for (const [job, perBooking] of Object.entries(flow.delivered))
    add(jobKey(job), bookingsPerDay * perBooking);
  add(jobKey('send-push'), pushesForChat);
  add(jobKey('send-sms'), otpMessages);
  const qstashPerDay =
    (bookingsPerDay * flow.published + pushesForChat + otpMessages + scheduled) *
    (1 + QSTASH_RETRY_SHARE);

  // WebSocket frames in and out (each a message under 32 KB) and the routes they invoke.
  const reached = RECIPIENT_ONLINE_SHARE * DEVICES_PER_ONLINE_USER;
  const typingFrames = socketMessages * TYPING_FRAMES_PER_MESSAGE;
  const readFrames = socketMessages * MARK_READ_FRAMES_PER_MESSAGE;
  add('$connect', chatters * PER_CHAT_USER.connects);
  add('$disconnect', chatters * PER_CHAT_USER.connects);
  add('sendMessage', socketMessages);
  add('typing', typingFrames);
  add('markRead', readFrames);
  const wsMessagesPerDay =
    socketMessages * (1 + 1 + reached) + // the frame, its ack, the delivery
    typingFrames * (1 + reached / TYPING_FRAMES_PER_MESSAGE) + // throttled to one fan-out
    readFrames * (1 + reached) +
    messages * CHAT_HTTP_SEND_SHARE * reached; // HTTP sends fan out too

  // Cache hit ratios, hour by hour, weighted by the traffic of the hour.
  let invalidationsPerDay = 0;
  for (const [key, { count }] of perDay) if (work[key]?.invalidates) invalidationsPerDay += count;
  const weighted = (route: string, hit: (rate: number, bumps: number) => number) => {
    let sum = 0;
    for (const share of hourShare) {
      const rate = ((perDay.get(route)?.count ?? 0) * share) / 3600;
      sum += share * hit(rate, (invalidationsPerDay * share) / 3600);
    }
    return sum;
  };
  const hits: Record<Cached, number> = {
    home: weighted('GET /home-feed', (r, b) => hitRatio(r, TTL.home, b)),
    feed: weighted(
      'GET /listings/public',
      (r, b) =>
        FEED_SHARED_SHARE * hitRatio((r * FEED_SHARED_SHARE) / FEED_SHARED_KEYS, TTL.feed, b),
    ),
    detail: weighted('GET /listings/public/{id}', (r, b) => {
      const top = Math.max(1, listings * 0.2);
      const rest = Math.max(1, listings - top);
      const topRate = (r * DETAIL_TOP_FIFTH_SHARE) / top;
      const restRate = (r * (1 - DETAIL_TOP_FIFTH_SHARE)) / rest;
      return (
        DETAIL_TOP_FIFTH_SHARE * hitRatio(topRate, TTL.detail, b) +
        (1 - DETAIL_TOP_FIFTH_SHARE) * hitRatio(restRate, TTL.detail, b)
      );
    }),
  };
  // A signed-in user's requests within one app session reuse the 'live' answer for 60 s.
  let authedPerDau = 0;
  for (const [key, { count }] of perDay) {
    const r = findRoute(key);
    if (r && 'method' in r && r.auth.kind === 'roles') authedPerDau += count / dau;
  }
  const perSessionRate = authedPerDau / (APP_SESSIONS_PER_DAY * SESSION_MINUTES * 60);
  return {
    users,
    dau,
    listings,
    perDay,
    hits,
    sessionHit: hitRatio(perSessionRate, TTL.session),
    wsMessagesPerDay,
    connectionMinutesPerDay: chatters * PER_CHAT_USER.connectionMinutes,
    qstashPerDay,
    bookingsPerDay,
    photoFetchesPerDay: dau * PHOTO_FETCHES_PER_DAU,
  };
}

const byKey = new Map<string, Route | WsRoute>([
  ...routes.map((r) => [routeKey(r), r] as const),
  ...wsRoutes.map((r) => [r.routeKey, r] as const),
]);
const findRoute = (key: string) => byKey.get(key);

/** Every route the model names exists in the route table, and every one it prices has work. */
function checkModel(usage: Usage) {
  const missing = [...usage.perDay.keys()].filter((k) => !byKey.has(k) || !work[k]);
  if (missing.length > 0)
    throw new Error(`bench/cost.ts models routes lib/routes.ts lacks: ${missing.join(', ')}`);
}

interface Month {
  httpRequests: number;
  lambdaInvocations: number;
  coldStarts: number;
  invokeGbSeconds: number;
  initGbSeconds: number;
  peakConcurrency: number;
  secretCalls: number;
  sqlStatements: number;
  sqlWrites: number;
  redisCommands: number;
  redisBandwidthGb: number;
  neonAwakeShare: number;
  neonCuHours: number;
  neonPeakCu: number;
  dbBytes: number;
  logGb: number;
  responseGb: number;
  /** For the container: requests and frames per hour of an average day, open sockets. */
  requestsByHour: number[];
  framesByHour: number[];
  openSockets: number;
}

function monthOf(u: Usage): Month {
  const m: Month = {
    httpRequests: 0,
    lambdaInvocations: 0,
    coldStarts: 0,
    invokeGbSeconds: 0,
    initGbSeconds: 0,
    peakConcurrency: 0,
    secretCalls: 0,
    sqlStatements: 0,
    sqlWrites: 0,
    redisCommands: 0,
    redisBandwidthGb: 0,
    neonAwakeShare: 0,
    neonCuHours: 0,
    neonPeakCu: 0,
    dbBytes: DB_BASE_BYTES + u.users * DB_BYTES_PER_USER,
    logGb: 0,
    responseGb: 0,
    requestsByHour: hourShare.map(() => 0),
    framesByHour: hourShare.map(() => 0),
    openSockets: 0,
  };
  const sqlByHour = hourShare.map(() => 0);
  const backgroundByHour = hourShare.map(() => 0);
  const peakByHour = hourShare.map(() => 0);
  const sessionMiss = 1 - u.sessionHit;
  let logBytes = 0;
  let redisBytes = 0;
  for (const [key, { count, shares }] of u.perDay) {
    const route = findRoute(key);
    const w = work[key];
    if (!route || !w) continue;
    const gb = route.memory / 1024;
    const isHttp = 'method' in route;
    const authed = isHttp ? route.auth.kind === 'roles' : key === '$connect';
    const hit = w.cached ? u.hits[w.cached] : 0;
    const ms = w.cached
      ? hit * INVOKE_CACHED_MS + (1 - hit) * INVOKE_UNCACHED_MS
      : w.external
        ? INVOKE_EXTERNAL_MS
        : INVOKE_UNCACHED_MS;
    const sql =
      (w.cached ? hit * FEED_SQL_ON_HIT + (1 - hit) * w.sql : w.sql) + (authed ? sessionMiss : 0);
    const keeps = w.cached ? (1 - hit) * REDIS.catalogueWrite : 0;
    const redis =
      (w.redis ?? 0) +
      (w.cached ? REDIS.catalogueRead + keeps : 0) +
      (authed ? REDIS.sessionCheck + sessionMiss * REDIS.sessionRemember : 0) +
      (w.invalidates ? REDIS.invalidate : 0);
    const monthly = count * DAYS_PER_MONTH;
    if (isHttp) m.httpRequests += monthly;
    m.lambdaInvocations += monthly;
    m.invokeGbSeconds += monthly * gb * (ms / 1000);
    m.sqlStatements += monthly * sql;
    m.sqlWrites += monthly * (w.writes ?? 0);
    m.redisCommands += monthly * redis;
    // A hit reads the entry; a miss writes it (twice when a stale copy is kept).
    if (w.cached) redisBytes += monthly * cachedBytes[w.cached] * (hit + keeps);
    if (isHttp && key !== 'GET /health') m.responseGb += (monthly * RESPONSE_BYTES) / 1e9;
    shares.forEach((share, h) => {
      const perHour = count * share;
      const rate = perHour / 3600;
      // Cold: a request after the environment idled out, or a new or recycled environment.
      const concurrency = rate * (ms / 1000) * BURST_WITHIN_HOUR;
      const cold = Math.min(
        perHour,
        perHour * Math.exp(-rate * ENV_IDLE_SECONDS) +
          Math.ceil(concurrency) * (3600 / ENV_MAX_LIFETIME_SECONDS),
      );
      m.coldStarts += cold * DAYS_PER_MONTH;
      m.initGbSeconds += cold * DAYS_PER_MONTH * gb * (INIT_MS / 1000);
      m.secretCalls += cold * DAYS_PER_MONTH * route.secrets.length;
      logBytes += cold * DAYS_PER_MONTH * LOG_BYTES_PER_COLD_START;
      peakByHour[h] = (peakByHour[h] ?? 0) + concurrency;
      sqlByHour[h] = (sqlByHour[h] ?? 0) + perHour * sql;
      if (isBackground(key)) {
        const random = Math.max(0, perHour - (scheduledPerDay.get(key) ?? 0) / 24);
        backgroundByHour[h] = (backgroundByHour[h] ?? 0) + random;
      }
      if (isHttp && key !== 'GET /health')
        m.requestsByHour[h] = (m.requestsByHour[h] ?? 0) + perHour;
      if (!isHttp) m.framesByHour[h] = (m.framesByHour[h] ?? 0) + perHour;
    });
    logBytes += monthly * LOG_BYTES_PER_INVOCATION;
  }
  m.peakConcurrency = Math.max(...peakByHour);
  m.logGb = logBytes / 1e9;
  m.redisBandwidthGb = redisBytes / 1e9;
  m.openSockets = (u.connectionMinutesPerDay / 1440) * peakHourOverAverage;

  // Neon is awake while an app session is open, a background request came within the last 5
  // minutes (arrivals of each, every one keeping it up that long), or a scheduled run's wake
  // lasts (at fixed minutes); sized for the statements' CPU and for the data that must stay
  // in memory.
  const scheduled = scheduledAwakeShare();
  const hotCu = (m.dbBytes * DB_HOT_SHARE) / 4e9;
  sqlByHour.forEach((perHour, h) => {
    const perSecond = perHour / 3600;
    const sessions = (u.dau * APP_SESSIONS_PER_DAY * (hourShare[h] ?? 0)) / 3600;
    const background = (backgroundByHour[h] ?? 0) / 3600;
    const awake =
      1 -
      (1 - scheduled) *
        Math.exp(
          -sessions * (SESSION_MINUTES * 60 + NEON_SUSPEND_SECONDS) -
            background * NEON_SUSPEND_SECONDS,
        );
    const cpu = (perSecond * BURST_WITHIN_HOUR * DB_CPU_MS_PER_STATEMENT) / 1000;
    const cu = Math.ceil(Math.max(NEON_MIN_CU, hotCu, cpu / NEON_TARGET_UTILISATION) * 4) / 4;
    m.neonAwakeShare += awake / 24;
    m.neonCuHours += awake * cu * DAYS_PER_MONTH;
    m.neonPeakCu = Math.max(m.neonPeakCu, cu);
  });
  return m;
}

// ─── Prices applied ───────────────────────────────────────────────────────────────────────

interface Line {
  service: string;
  usd: number;
  billed: string;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const big = (n: number) =>
  n >= 1e9
    ? `${fmt(n / 1e9, 1)}B`
    : n >= 1e6
      ? `${fmt(n / 1e6, 1)}M`
      : n >= 1e3
        ? `${fmt(n / 1e3, 1)}K`
        : fmt(n);
const over = (used: number, allowance: number) => Math.max(0, used - allowance);

/**
 * Alarms infra/alarms.ts makes (tests/infra/stages.test.ts counts them in the template): one
 * per function (its errors, its canary's), the stage's six (HTTP API 5xx and p99, WebSocket ×2,
 * Lambda throttles, failed jobs), and the health stack's one.
 */
const alarmCount = routes.length + wsRoutes.length + 6 + 1;

/** The cheapest Upstash Redis plan that holds the month. */
function redisPlan(u: Usage, m: Month): { plan: string; usd: number } {
  // Fresh and stale copies of every listing's detail and of the shared pages, and sessions.
  const bytes =
    2 * (u.listings * DETAIL_BYTES + FEED_SHARED_KEYS * FEED_PAGE_BYTES + HOME_PAGE_BYTES) +
    u.dau * APP_SESSIONS_PER_DAY * 100;
  if (
    m.redisCommands <= free.redisCommands &&
    bytes <= free.redisBytes &&
    m.redisBandwidthGb <= free.redisBandwidthGb
  )
    return { plan: 'Free', usd: 0 };
  const payg =
    (m.redisCommands / 1e5) * price.redisCommands.usd +
    over(m.redisBandwidthGb, free.redisPaygBandwidthGb) * price.redisBandwidth.usd +
    over(bytes / 1e9, free.redisPaygStorageGb) * 0.25;
  if (m.redisBandwidthGb <= 50 && bytes <= 250e6 && price.redisFixed250.usd < payg)
    return { plan: 'Fixed 250 MB', usd: price.redisFixed250.usd };
  return { plan: 'pay-as-you-go', usd: payg };
}

function linesOf(u: Usage, m: Month): Line[] {
  const lines: Line[] = [];
  const add = (service: string, usd: number, billed: string) =>
    lines.push({ service, usd, billed });

  const gbSeconds = m.invokeGbSeconds + m.initGbSeconds;
  const freeForInvoke = Math.min(m.invokeGbSeconds, free.lambdaGbSeconds);
  const freeForInit = Math.min(m.initGbSeconds, free.lambdaGbSeconds - freeForInvoke);
  add(
    'Lambda requests',
    (over(m.lambdaInvocations, free.lambdaRequests) / 1e6) * price.lambdaRequests.usd,
    `${big(m.lambdaInvocations)} invocations, 1M free`,
  );
  add(
    'Lambda duration',
    (m.invokeGbSeconds - freeForInvoke) * price.lambdaGbSecond.usd,
    `${big(m.invokeGbSeconds)} GB-s, 400K GB-s free`,
  );
  add(
    'Lambda INIT (cold starts)',
    (m.initGbSeconds - freeForInit) * price.lambdaGbSecond.usd,
    `${big(m.coldStarts)} cold starts (${fmt((100 * m.coldStarts) / m.lambdaInvocations, 1)}%), ${big(m.initGbSeconds)} GB-s${gbSeconds > free.lambdaGbSeconds ? '' : ', within the free GB-s'}`,
  );
  add(
    'API Gateway HTTP API',
    (m.httpRequests / 1e6) * price.httpApiRequests.usd,
    `${big(m.httpRequests)} requests (no free tier)`,
  );
  const wsMessages = u.wsMessagesPerDay * DAYS_PER_MONTH;
  const connectionMinutes = u.connectionMinutesPerDay * DAYS_PER_MONTH;
  add(
    'API Gateway WebSocket',
    (wsMessages / 1e6) * price.wsMessages.usd +
      (connectionMinutes / 1e6) * price.wsConnectionMinutes.usd,
    `${big(wsMessages)} messages, ${big(connectionMinutes)} connection-minutes`,
  );

  const storageGb = m.dbBytes / 1e9;
  const historyGb =
    (m.sqlWrites / DAYS_PER_MONTH) * RESTORE_WINDOW_DAYS * (WAL_BYTES_PER_WRITE / 1e9);
  const transferGb = (m.sqlStatements * SQL_RESULT_BYTES) / 1e9;
  const neonFree =
    m.neonCuHours <= free.neonCuHours &&
    storageGb <= free.neonStorageGb &&
    transferGb <= free.neonTransferGb;
  add(
    'Neon Postgres',
    neonFree
      ? 0
      : m.neonCuHours * price.neonComputeHour.usd +
          storageGb * price.neonStorage.usd +
          historyGb * price.neonHistory.usd +
          over(transferGb, free.neonLaunchTransferGb) * price.neonTransfer.usd,
    `${neonFree ? 'Free' : 'Launch'}: ${fmt(m.neonCuHours, 1)} CU-h (awake ${fmt(100 * m.neonAwakeShare)}%, up to ${m.neonPeakCu} CU), ${fmt(storageGb, 2)} GB`,
  );
  const redis = redisPlan(u, m);
  add(
    'Upstash Redis',
    redis.usd,
    `${redis.plan}: ${big(m.redisCommands)} commands, ${fmt(m.redisBandwidthGb, 1)} GB read`,
  );
  const qstashMonthly = u.qstashPerDay * DAYS_PER_MONTH;
  // Bookings and sign-ins follow the day: the busiest day is compared with the free cap.
  const qstashFree = u.qstashPerDay * 1.5 <= free.qstashPerDay;
  add(
    'Upstash QStash',
    qstashFree ? 0 : (qstashMonthly / 1e5) * price.qstashMessages.usd,
    `${qstashFree ? 'Free' : 'pay-as-you-go'}: ${big(qstashMonthly)} messages (${fmt(u.qstashPerDay)} a day)`,
  );

  const hosts = Math.max(1, u.users * HOST_SHARE);
  const photosGb = (u.listings * PHOTOS_PER_LISTING * PHOTO_BYTES) / 1e9;
  const s3Gb =
    photosGb +
    (u.users * AVATAR_SHARE * AVATAR_BYTES) / 1e9 +
    (hosts * DOCUMENT_BYTES_PER_HOST) / 1e9;
  const uploads =
    ((u.perDay.get('POST /listings/{id}/photos')?.count ?? 0) +
      (u.perDay.get('POST /me/avatar/upload-url')?.count ?? 0)) *
    DAYS_PER_MONTH;
  const photoFetches = u.photoFetchesPerDay * DAYS_PER_MONTH;
  const originGets = photoFetches * (1 - CDN_HIT_SHARE) + uploads; // + the sniffing ranged GET
  const lists = 2 * 24 * DAYS_PER_MONTH; // the hourly sweep lists both buckets
  add(
    'S3',
    s3Gb * price.s3Storage.usd +
      ((uploads + lists) / 1e3) * price.s3Writes.usd +
      (originGets / 1e3) * price.s3Reads.usd,
    `${fmt(s3Gb, 1)} GB stored, ${big(originGets)} GETs`,
  );
  const cdnGb = (photoFetches * PHOTO_BYTES) / 1e9;
  add(
    'CloudFront',
    over(cdnGb, free.cloudFrontGb) * price.cloudFrontTransfer.usd +
      (over(photoFetches, free.cloudFrontRequests) / 1e4) * price.cloudFrontRequests.usd,
    `${fmt(cdnGb, 0)} GB, ${big(photoFetches)} photo requests (1 TB, 10M free)`,
  );
  const dtoGb = m.responseGb + (m.lambdaInvocations * FUNCTION_EGRESS_BYTES) / 1e9;
  add(
    'Data transfer out',
    over(dtoGb, free.dataTransferGb) * price.dataTransferOut.usd,
    `${fmt(dtoGb, 1)} GB (API answers, calls out), 100 GB free`,
  );
  add(
    'Secrets Manager',
    secretNames.length * price.secret.usd + (m.secretCalls / 1e4) * price.secretCalls.usd,
    `${secretNames.length} secrets, ${big(m.secretCalls)} reads at cold starts`,
  );
  add(
    'CloudWatch alarms',
    over(alarmCount, free.alarms) * price.alarm.usd,
    `${alarmCount} alarms (1 per function), 10 free`,
  );
  const storedGb = m.logGb * LOG_STORED_COMPRESSION * LOG_RETENTION_MONTHS;
  add(
    'CloudWatch Logs',
    over(m.logGb, free.logGb) * price.logIngestion.usd + storedGb * price.logStorage.usd,
    `${fmt(m.logGb, 1)} GB ingested, 5 GB free`,
  );
  add('Route 53 health check', price.healthCheck.usd, 'one HTTPS check, every ~2 s');
  return lines;
}

const total = (lines: Line[]) => lines.reduce((sum, l) => sum + l.usd, 0);

/** What only function-per-route pays: its compute and ingress, per-function alarms, secrets reads. */
function serverlessTier(lines: Line[], withOverhead: boolean) {
  const compute = ['Lambda', 'API Gateway'];
  const overhead = ['CloudWatch alarms', 'Secrets Manager'];
  return lines
    .filter(
      (l) =>
        compute.some((c) => l.service.startsWith(c)) ||
        (withOverhead && overhead.includes(l.service)),
    )
    .reduce((sum, l) => {
      // The container keeps a handful of alarms (within the free ten) and the secrets too.
      if (l.service === 'Secrets Manager')
        return sum + l.usd - secretNames.length * price.secret.usd;
      return sum + l.usd;
    }, 0);
}

/**
 * The always-on container for the same load: the smallest App Runner size that holds the
 * burst peak at 60% CPU and its sockets in memory, else as many 4 vCPU ones as it takes.
 * Memory is paid every hour; vCPU only while active, which it is in any minute with a
 * request or an open socket (App Runner's own health checks are free and not requests).
 */
function container(m: Month) {
  const peakRequests = Math.max(...m.requestsByHour) / 3600;
  const peakFrames = Math.max(...m.framesByHour) / 3600;
  const vcpu =
    ((peakRequests * CONTAINER_CPU_MS_PER_REQUEST + peakFrames * CONTAINER_CPU_MS_PER_FRAME) /
      1000) *
    BURST_WITHIN_HOUR;
  const memoryGb = (CONTAINER_BASE_MB + m.openSockets * CONTAINER_MB_PER_SOCKET) / 1024;
  const fits = APP_RUNNER_SIZES.find(([c, g]) => vcpu <= c * CONTAINER_TARGET_CPU && memoryGb <= g);
  const [cpus, gb] = fits ?? [4, 8];
  const instances = fits ? 1 : Math.ceil(vcpu / (4 * CONTAINER_TARGET_CPU));
  let usd = 0;
  m.requestsByHour.forEach((requests, h) => {
    const perMinute = requests / 60;
    const sockets = m.openSockets * ((hourShare[h] ?? 0) / Math.max(...hourShare));
    const active = 1 - Math.exp(-perMinute) * Math.exp(-sockets);
    usd +=
      instances *
      (gb * price.appRunnerGbHour.usd + active * cpus * price.appRunnerVcpuHour.usd) *
      DAYS_PER_MONTH;
  });
  return { usd, size: `${instances > 1 ? `${instances} × ` : ''}${cpus} vCPU / ${gb} GB` };
}

// ─── Output ───────────────────────────────────────────────────────────────────────────────

/** The last column wraps at this width, its continuation lines under it. */
const LAST_COLUMN_WIDTH = 92;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  return [...lines, current];
}

/** A paragraph, wrapped. */
const say = (text: string) => console.log(wrap(text, 110).join('\n'));

function table(header: string[], rows: string[][], right: number[]) {
  const last = header.length - 1;
  const split = rows.flatMap((r) =>
    wrap(r[last] ?? '', LAST_COLUMN_WIDTH).map((part, i) =>
      i === 0 ? [...r.slice(0, last), part] : [...r.slice(0, last).map(() => ''), part],
    ),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...split.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of split) console.log(line(r));
}

const usages = SIZES.map((n) => usageAt(n));
for (const u of usages) checkModel(u);
const months = usages.map(monthOf);

console.log(`Monthly cost at ${SIZES.map((n) => fmt(n)).join(', ')} users (USD, ${REGION})\n`);

console.log('Traffic model (bench/cost.ts, each constant commented there)');
const flow = bookingFlow();
const assumptions: Array<[string, string]> = [
  ['daily share of monthly users', `${fmt(100 * DAU_SHARE)}%`],
  [
    'requests per daily user per day',
    `home ${PER_DAU.homeFeed}, feed ${PER_DAU.feedPages}, listing ${PER_DAU.listingDetails}, availability ${PER_DAU.availability}, reviews ${PER_DAU.reviews}, quote ${PER_DAU.quotes}, refresh ${PER_DAU.refresh}, me ${PER_DAU.me}, wishlist ${fmt(PER_DAU.wishlistReads + PER_DAU.wishlistAdds + PER_DAU.wishlistRemoves, 2)}, bookings ${fmt(PER_DAU.bookingLists + PER_DAU.bookingReads, 1)}`,
  ],
  [
    'sign-ins',
    `${SIGN_INS_PER_USER_MONTH} per user a month, ${OTP_REQUESTS_PER_SIGN_IN} OTP requests (SMS jobs) each`,
  ],
  [
    'chat',
    `${fmt(100 * CHAT_SHARE)}% of daily users; each ${PER_CHAT_USER.messages} messages, ${PER_CHAT_USER.connectionMinutes} connection-minutes, ${PER_CHAT_USER.connects} connects, ${PER_CHAT_USER.conversationLists + PER_CHAT_USER.messagePages + PER_CHAT_USER.readsOverHttp} HTTP reads a day; ${fmt(100 * CHAT_HTTP_SEND_SHARE)}% of sends over HTTP`,
  ],
  [
    'hosts',
    `${fmt(100 * HOST_SHARE)}% of users, ${LISTINGS_PER_HOST} listings each, active ${fmt(100 * HOST_DAILY_SHARE)}% of days, ${fmt(
      Object.values(PER_ACTIVE_HOST).reduce((a, b) => a + b, 0),
      1,
    )} host requests an active day`,
  ],
  [
    'bookings',
    `${BOOKINGS_PER_USER_MONTH} started per user a month; ${fmt(100 * UNPAID_SHARE)}% unpaid, ${fmt(100 * INSTANT_BOOK_SHARE)}% of paid instant, ${fmt(100 * CANCELLED_SHARE)}% of confirmed cancelled; check-in ${LEAD_DAYS} days out`,
  ],
  [
    'QStash messages per booking',
    `${fmt(flow.published, 2)} (read from lib/bookings/lifecycle.ts, notify.ts, lib/payouts, lib/reviews; a job past ${QSTASH_MAX_DELAY_DAYS} days is published again)`,
  ],
  [
    'QStash messages otherwise',
    `1 per OTP request, ${fmt((1 - RECIPIENT_ONLINE_SHARE) * PUSHES_PER_OFFLINE_MESSAGE, 2)} pushes per chat message, ${schedules.map((s) => `${s.job} ${firesPerDay(s.cron)}`).join(', ')} a day (lib/jobs/schedules.ts); +${fmt(100 * QSTASH_RETRY_SHARE)}% retries`,
  ],
  [
    'peak to average',
    `${fmt(peakHourOverAverage, 2)} (evening hour, Lagos) × ${BURST_WITHIN_HOUR} within the hour = ${fmt(peakHourOverAverage * BURST_WITHIN_HOUR, 1)}`,
  ],
  [
    'health check',
    `Route 53 GET /health?depth=shallow every ~2 s (${HEALTH_CHECKS_PER_SECOND}/s): no SQL and no Redis, so Neon can suspend`,
  ],
  [
    'Lambda environments',
    `reclaimed after ${ENV_IDLE_SECONDS / 60} idle minutes, recycled every ${ENV_MAX_LIFETIME_SECONDS / 3600} h`,
  ],
  [
    'Neon',
    `suspends after ${NEON_SUSPEND_SECONDS / 60} idle minutes; ${DB_CPU_MS_PER_STATEMENT} ms CPU a statement at ≤${fmt(100 * NEON_TARGET_UTILISATION)}%; ${fmt(DB_BYTES_PER_USER / 1e3)} KB a user; ${fmt(100 * DB_HOT_SHARE)}% of it in memory`,
  ],
  [
    'photos',
    `${PHOTO_FETCHES_PER_DAU} fetched per daily user past the device cache, ${fmt(PHOTO_BYTES / 1e3)} KB each (no resized variants)`,
  ],
  [
    'logs',
    `${LOG_BYTES_PER_INVOCATION} B per invocation, ${LOG_BYTES_PER_COLD_START} B per cold start (no access log)`,
  ],
];
table(
  ['assumption', 'value'],
  assumptions.map(([a, v]) => [a, v]),
  [],
);

console.log('\nMeasured or read from the code');
const measured: Array<[string, string, string]> = [
  [
    'Lambda INIT, invocation',
    'npm run bench:cold, 2026-12-01',
    `${INIT_MS} ms; ${INVOKE_CACHED_MS} ms cached, ${INVOKE_UNCACHED_MS} ms uncached (rounded up); ${INVOKE_EXTERNAL_MS} ms calling a provider (assumed)`,
  ],
  [
    'Lambda memory',
    'lib/routes.ts',
    `${routes.length + wsRoutes.length} functions, each its route's: ${[...new Set([...routes, ...wsRoutes].map((r) => r.memory))].sort((a, b) => a - b).join(' or ')} MB`,
  ],
  [
    'SQL per feed request',
    'npm run bench:feed, 2026-12-01',
    `${FEED_SQL_ON_MISS} on a miss, ${FEED_SQL_ON_HIT} on a hit; 20-card page ${fmt(FEED_PAGE_BYTES)} B, ${fmt(FEED_PAGE_BR_BYTES)} B brotli`,
  ],
  [
    'SQL per other request',
    'the handlers (`work`)',
    '0-6 by route, job claims included; +1 on a revocation-cache miss',
  ],
  [
    'database CPU a statement',
    'npm run bench:db, 2026-12-01',
    `${DB_CPU_MS_PER_STATEMENT} ms, an upper bound: at 20K listings the hot queries execute in 0.02-0.09 ms, the worst in 2.8 ms`,
  ],
  ...usages.map((u): [string, string, string] => [
    `cache hits, ${fmt(u.users)} users`,
    'derived from the TTLs',
    `home ${fmt(100 * u.hits.home)}%, feed ${fmt(100 * u.hits.feed)}%, listing ${fmt(100 * u.hits.detail)}% (TTLs ${TTL.home}, ${TTL.feed}, ${TTL.detail} s and generation bumps on listing changes; bench:feed prints no ratio)`,
  ]),
  [
    'revocation cache hits',
    'lib/auth/sessions.ts',
    `${fmt(100 * (usages[0]?.sessionHit ?? 0))}% of signed-in requests ('live' kept ${TTL.session} s; ${APP_SESSIONS_PER_DAY} sessions of ${SESSION_MINUTES} min a day)`,
  ],
  [
    'Redis per request',
    'lib/catalogue/cache.ts …',
    `catalogue ${REDIS.catalogueRead}, +${REDIS.catalogueWrite} on a miss; signed-in +${REDIS.sessionCheck}, +${REDIS.sessionRemember} on a miss; deep health ${REDIS.health}, shallow 0; typing ${REDIS.typing}; listing change ${REDIS.invalidate}; rate limits are in Postgres`,
  ],
  [
    'alarms',
    'infra/alarms.ts',
    `${alarmCount}: errors of each of ${routes.length + wsRoutes.length} functions; HTTP API 5xx and p99, WebSocket ×2, Lambda throttles, failed jobs; the health stack's one`,
  ],
  [
    'secrets',
    'lib/route-secrets.ts',
    `${secretNames.length} stored; a cold start reads its function's (0-${Math.max(...routes.map((r) => r.secrets.length))}) once: the extension's 300 s cache lives and dies with the environment`,
  ],
];
table(['input', 'source', 'value'], measured, []);

console.log('\nDerived usage per month');
table(
  ['', ...SIZES.map((n) => `${fmt(n)} users`)],
  [
    ['HTTP requests', ...months.map((m) => big(m.httpRequests))],
    [
      '  of which health checks',
      ...months.map(() => big(HEALTH_CHECKS_PER_SECOND * 86_400 * DAYS_PER_MONTH)),
    ],
    ['Lambda invocations', ...months.map((m) => big(m.lambdaInvocations))],
    ['cold starts', ...months.map((m) => `${fmt((100 * m.coldStarts) / m.lambdaInvocations, 1)}%`)],
    [
      'GB-s (invoke + INIT)',
      ...months.map((m) => `${big(m.invokeGbSeconds)} + ${big(m.initGbSeconds)}`),
    ],
    ['peak concurrency', ...months.map((m) => fmt(m.peakConcurrency, 1))],
    ['SQL statements', ...months.map((m) => big(m.sqlStatements))],
    ['Redis commands', ...months.map((m) => big(m.redisCommands))],
    ['QStash messages', ...usages.map((u) => big(u.qstashPerDay * DAYS_PER_MONTH))],
    ['WebSocket messages', ...usages.map((u) => big(u.wsMessagesPerDay * DAYS_PER_MONTH))],
    ['Neon CU-hours', ...months.map((m) => fmt(m.neonCuHours, 1))],
  ],
  [1, 2, 3],
);

const allLines = usages.map((u, i) => linesOf(u, months[i] as Month));
usages.forEach((u, i) => {
  const lines = allLines[i] as Line[];
  const sum = total(lines);
  const original = ORIGINAL[u.users];
  console.log(`\n${fmt(u.users)} users`);
  table(
    ['service', 'USD', 'share', 'billed'],
    [
      ...[...lines]
        .sort((a, b) => b.usd - a.usd)
        .map((l) => [l.service, fmt(l.usd, 2), `${fmt((100 * l.usd) / sum)}%`, l.billed]),
      ['total', fmt(sum, 2), '100%', ''],
      [
        'original platform',
        original ? fmt(original.total, 2) : '',
        '',
        original ? `Express + Socket.IO on App Runner (App Runner ~$${original.appRunner})` : '',
      ],
    ],
    [1, 2],
  );
});

say('\nFunction-per-route against one always-on container (App Runner, sized per size below)');
say(
  `Container sizing: the smallest App Runner size holding the burst peak at ${fmt(100 * CONTAINER_TARGET_CPU)}% CPU (${CONTAINER_CPU_MS_PER_REQUEST} ms a request, ${CONTAINER_CPU_MS_PER_FRAME} ms a socket frame) and ${CONTAINER_BASE_MB} MB + ${CONTAINER_MB_PER_SOCKET * 1000} KB a socket; memory paid every hour, vCPU while active.`,
);
say(
  'Compared: what only function-per-route pays (Lambda, both API Gateway APIs; then also its per-function alarms and cold-start secret reads) against the container. Neon, Redis, QStash, S3, CloudFront, logs and transfer are taken as equal.\n',
);
const scan: Array<{
  users: number;
  lambda: number;
  withOverhead: number;
  box: number;
  size: string;
}> = [];
for (let i = 0; i <= 160; i++) {
  const users = Math.round(100 * 10 ** (i / 40));
  const u = usageAt(users);
  const m = monthOf(u);
  const lines = linesOf(u, m);
  const box = container(m);
  scan.push({
    users,
    lambda: serverlessTier(lines, false),
    withOverhead: serverlessTier(lines, true),
    box: box.usd,
    size: box.size,
  });
}
table(
  ['users', 'Lambda + API GW', '+ alarms, secrets', 'container', 'original App Runner', 'size'],
  scan
    .filter((s) => [100, 1000, 10_000, 100_000, 1_000_000].includes(s.users))
    .map((s) => [
      fmt(s.users),
      fmt(s.lambda, 2),
      fmt(s.withOverhead, 2),
      fmt(s.box, 2),
      ORIGINAL[s.users] ? fmt(ORIGINAL[s.users]?.appRunner ?? 0, 2) : '',
      s.size,
    ]),
  [0, 1, 2, 3, 4],
);
/** Where `pick` is above and below the container, as runs of the scan: every crossing, in order. */
const crossing = (pick: (s: (typeof scan)[number]) => number, what: string) => {
  const runs: Array<{ more: boolean; from: (typeof scan)[number] }> = [];
  for (const s of scan) {
    const more = pick(s) > s.box;
    if (runs.at(-1)?.more !== more) runs.push({ more, from: s });
  }
  const told = runs.map(
    ({ more, from }) =>
      `${more ? 'more' : 'less'} than the container from ${fmt(from.users)} users ($${fmt(pick(from), 2)} against $${fmt(from.box, 2)}, ${from.size})`,
  );
  say(`${what}: ${told.join('; ')}; up to ${fmt(scan.at(-1)?.users ?? 0)}.`);
};
crossing((s) => s.lambda, 'Lambda + API Gateway alone');
crossing((s) => s.withOverhead, 'With its per-function alarms and secret reads');

const quiet = monthOf(usageAt(SIZES[0] ?? 100, false));
const quietTotal = total(linesOf(usageAt(SIZES[0] ?? 100, false), quiet));
say(
  `\nWithout the Route 53 health check's traffic, ${fmt(SIZES[0] ?? 100)} users would cost $${fmt(quietTotal, 2)} instead of $${fmt(total(allLines[0] as Line[]), 2)} (Neon awake ${fmt(100 * quiet.neonAwakeShare)}% of the time).`,
);
const unmodeled = [...byKey.keys()].filter((k) => !usages.some((u) => u.perDay.has(k)));
say(`Not modeled (rare, or admin-only): ${unmodeled.join(', ')}.`);
say(
  `Not included: SMS (Termii), email (SES), push (Expo), Paystack fees, Sentry (free developer plan); a staging stage would add its own ${alarmCount} alarms ($${fmt(alarmCount * price.alarm.usd, 2)}) and ${secretNames.length} secrets ($${fmt(secretNames.length * price.secret.usd, 2)}).`,
);
console.log(`\nPrices (read on ${READ_ON})`);
table(
  ['price', 'USD', 'per, and where it was read'],
  [
    ...Object.entries(price).map(([name, p]: [string, Price]) => [
      name,
      String(p.usd),
      `${p.per}; ${p.source}${p.fromMemory ? ' (from memory, check)' : ''}`,
    ]),
    ['INIT billing', '', `cold starts billed as duration since 2025-08-01; ${INIT_BILLING}`],
  ],
  [1],
);
say(
  'Free tiers applied: Lambda 1M requests + 400K GB-s, CloudWatch 10 alarms + 5 GB logs, CloudFront 1 TB + 10M requests, 100 GB transfer out, Upstash and Neon free plans while within them. Not applied: API Gateway (first 12 months only), S3, Secrets Manager.',
);
