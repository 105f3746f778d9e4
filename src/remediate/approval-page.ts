/**
 * The approval link's pages: the confirmation page (the plan and one button that POSTs the signed
 * token back), the result of an approval, and every refusal. Pure: data in, an HTTP response out.
 * Names in a plan come from member accounts: every value goes through the HTML escaper, the
 * pages hold no script, and the headers forbid everything else (CSP default-src 'none', the one
 * inline style allowed by its hash), framing, caching and referrers.
 */
import { createHash } from 'node:crypto';
import { text as html } from '../report/html/escape';
import { printable } from '../shell';
import type { PlanDecision, PlanRecord } from './approval';
import { LINK_FIELDS, type SignedLinkToken } from './approval-link';
import { renderPlan } from './render';

export interface PageResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}' +
  'pre{background:#f4f4f4;padding:1rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word}' +
  'button{font-size:1.1rem;padding:.6rem 1.2rem;background:#0b6623;color:#fff;border:0;border-radius:4px;cursor:pointer}' +
  '.refused{color:#8b0000}dt{font-weight:bold}dd{margin:0 0 .5rem 0}';

/** The page's only style, allowed by its hash: no other inline style or any script can run. */
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src ${STYLE_HASH}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
};

function page(statusCode: number, title: string, body: string, headers: Record<string, string> = {}): PageResponse {
  return {
    statusCode,
    headers: { ...SECURITY_HEADERS, ...headers },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${html(title)}</title><style>${STYLE}</style></head><body><h1>${html(title)}</h1>${body}</body></html>`,
  };
}

/** Text written for a terminal or an email, line by line: control characters made visible, then HTML-escaped. */
const preformatted = (lines: string): string => `<pre>${html(lines.split('\n').map(printable).join('\n'))}</pre>`;

/** GET with a valid link: what the plan would do, and the button that applies it. */
export function confirmationPage(record: PlanRecord, token: SignedLinkToken): PageResponse {
  const hidden = (Object.keys(LINK_FIELDS) as (keyof typeof LINK_FIELDS)[])
    .map((field) => `<input type="hidden" name="${LINK_FIELDS[field]}" value="${html(String(token[field]))}">`)
    .join('');
  return page(
    200,
    `Approve remediation plan ${record.planId}?`,
    `<p>Nothing has changed yet. Approving re-scans the plan's ${record.accounts.length} account${record.accounts.length === 1 ? '' : 's'} first and applies nothing if a plan made now would differ; otherwise it applies exactly this plan, once, and the findings topic is told what was done.</p>` +
      `<dl><dt>Plan</dt><dd>${html(record.planId)}</dd><dt>Hash</dt><dd>${html(record.hash)}</dd><dt>Made</dt><dd>${html(record.createdAt)}</dd><dt>Approvable until</dt><dd>${html(record.expiresAt)}</dd></dl>` +
      preformatted(renderPlan(record.plan, 'table')) +
      `<form method="post" action="/">${hidden}<button type="submit">Approve and apply this plan</button></form>` +
      '<p>To refuse it instead, close this page and reject the plan (<code>trailwatch remediate --reject</code>); the link stops working once the plan is decided or expires.</p>',
  );
}

/** POST that applied the plan: who (the link), when, and what was done, before -> after. */
export function appliedPage(planId: string, decision: PlanDecision, summary: string, published: boolean): PageResponse {
  return page(
    200,
    `Plan ${planId} approved and applied`,
    `<p>Approved ${html(decision.by)} at ${html(decision.at)}. ${published ? 'The findings topic has been sent the re-scan.' : 'The result could not be published to the findings topic: it is in the function\'s log.'}</p>` +
      preformatted(summary),
  );
}

export const RefusalStatus = {
  /** No token in the request at all. */
  absent: 400,
  /** A token that is cut, changed or not signed with the stack's secret. */
  tampered: 403,
  missing: 404,
  method: 405,
  decided: 409,
  drifted: 409,
  expired: 410,
  tooLarge: 413,
  rateLimited: 429,
  unavailable: 503,
} as const;
export type RefusalReason = keyof typeof RefusalStatus;

const REFUSAL_TITLES: Record<RefusalReason, string> = {
  absent: 'No approval link',
  tampered: 'This approval link is not valid',
  missing: 'No such plan',
  method: 'Not allowed',
  decided: 'This plan has already been decided',
  drifted: 'Not applied: the organization changed since the plan was made',
  expired: 'This approval link has expired',
  tooLarge: 'Request too large',
  rateLimited: 'Too many requests',
  unavailable: 'Approval is not available right now',
};

/** Any refusal: the status that says why, a title, the reason and (drift) what differs. Nothing was changed. */
export function refusalPage(reason: RefusalReason, message: string, options: { readonly differences?: readonly string[]; readonly headers?: Record<string, string> } = {}): PageResponse {
  const differences = options.differences?.length ? `<p>What differs:</p><ul>${options.differences.map((d) => `<li>${html(printable(d))}</li>`).join('')}</ul>` : '';
  return page(RefusalStatus[reason], REFUSAL_TITLES[reason], `<p class="refused">${html(printable(message))}</p>${differences}<p>Nothing was changed.</p>`, options.headers);
}
