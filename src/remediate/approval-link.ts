/**
 * One-click approval from the email (approvalLink=true), the pure part: a link names a kept plan
 * by id, hash and expiry and carries an HMAC-SHA256 of the three under a secret only the stack
 * holds. Whoever holds the link before it expires can approve that plan, and nothing else: a
 * changed id, hash or expiry no longer matches its signature, and signatures are compared in
 * constant time. The confirmation page (GET) and the approval (POST) both carry the same token;
 * there are no cookies, so a forged cross-site POST has nothing to ride on.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { PLAN_ID, type PlanRecord } from './approval';

/** What a link asserts: this plan, with this hash, approvable until this second (Unix time). */
export interface LinkToken {
  readonly planId: string;
  readonly hash: string;
  readonly expires: number;
}

export interface SignedLinkToken extends LinkToken {
  /** base64url HMAC-SHA256 of the token. */
  readonly signature: string;
}

/** The link's fields, in the query string of a GET and the form body of a POST. */
export const LINK_FIELDS = { planId: 'plan', hash: 'hash', expires: 'expires', signature: 'sig' } as const;

/** arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>. */
export const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:[\w/+=.@-]{1,512}$/;

/** A secret shorter than this is refused: the HMAC key must not be guessable. */
export const MIN_SECRET_LENGTH = 32;

const HASH = /^[0-9a-f]{64}$/;
const EXPIRES = /^\d{1,12}$/;
/** 32 bytes of HMAC-SHA256 in base64url without padding. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

/** The bytes signed: a fixed label (so the key signs nothing else by accident) and the three fields, one a line. */
function signedText(token: LinkToken): string {
  return `trailwatch-approval-link/v1\n${token.planId}\n${token.hash}\n${token.expires}`;
}

export function signLinkToken(token: LinkToken, secret: string): string {
  return createHmac('sha256', secret).update(signedText(token)).digest('base64url');
}

/** True when `signature` is the token's under `secret`, compared in constant time. */
export function verifyLinkToken(token: SignedLinkToken, secret: string): boolean {
  const expected = Buffer.from(signLinkToken(token, secret), 'base64url');
  const given = Buffer.from(token.signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The link for a kept plan: valid exactly as long as the plan may be approved. */
export function linkTokenFor(record: Pick<PlanRecord, 'planId' | 'hash' | 'expiresAt'>): LinkToken {
  return { planId: record.planId, hash: record.hash, expires: Math.floor(Date.parse(record.expiresAt) / 1000) };
}

export function approvalLink(baseUrl: string, token: LinkToken, secret: string): string {
  const url = new URL(baseUrl);
  url.pathname = '/';
  url.search = new URLSearchParams({
    [LINK_FIELDS.planId]: token.planId,
    [LINK_FIELDS.hash]: token.hash,
    [LINK_FIELDS.expires]: String(token.expires),
    [LINK_FIELDS.signature]: signLinkToken(token, secret),
  }).toString();
  return url.toString();
}

/**
 * The signed token in a query string or form body, or why there is none: `absent` when no field
 * of a link is there (the bare URL), `malformed` when a field is missing or not of its shape
 * (a link that was cut or changed). The signature is not checked here.
 */
export function parseLinkToken(params: URLSearchParams): { readonly token: SignedLinkToken } | { readonly problem: 'absent' | 'malformed' } {
  const fields = Object.values(LINK_FIELDS);
  if (fields.every((f) => !params.has(f))) return { problem: 'absent' };
  // One of each: a repeated field is not something this code ever wrote.
  if (fields.some((f) => params.getAll(f).length !== 1)) return { problem: 'malformed' };
  const planId = params.get(LINK_FIELDS.planId) ?? '';
  const hash = params.get(LINK_FIELDS.hash) ?? '';
  const expires = params.get(LINK_FIELDS.expires) ?? '';
  const signature = params.get(LINK_FIELDS.signature) ?? '';
  if (!PLAN_ID.test(planId) || !HASH.test(hash) || !EXPIRES.test(expires) || !SIGNATURE.test(signature)) return { problem: 'malformed' };
  return { token: { planId, hash, expires: Number(expires), signature } };
}

/** Why a verified token does not match the plan kept under its id (a plan replaced since), or undefined when it does. */
export function tokenMismatch(token: LinkToken, record: Pick<PlanRecord, 'hash' | 'expiresAt'>): string | undefined {
  if (token.hash !== record.hash) return 'the link names a plan hash that is not the kept plan\'s';
  if (token.expires !== Math.floor(Date.parse(record.expiresAt) / 1000)) return 'the link\'s expiry is not the kept plan\'s';
  return undefined;
}

/**
 * A small per-instance rate limit: at most `limit` requests in each minute of the clock. Every
 * instance of the function keeps its own count (reserved concurrency bounds the instances), so
 * it slows a flood down rather than metering precisely; the signature check stops the rest.
 */
export class MinuteRateLimit {
  private minute = -1;
  private count = 0;

  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request; false when this minute's allowance is spent. */
  take(): boolean {
    const minute = Math.floor(this.now() / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.count = 0;
    }
    this.count += 1;
    return this.count <= this.limit;
  }

  /** Seconds until the next minute starts. */
  retryAfterSeconds(): number {
    return 60 - Math.floor((this.now() % 60_000) / 1000);
  }
}
