/**
 * The approval link's function (approvalLink=true), behind a Lambda Function URL with AuthType
 * NONE: the person reading the email is not signed in to AWS, so the link's HMAC is the
 * authentication. GET shows the plan and a confirm button and never writes anything (mail
 * scanners fetch links); POST, carrying the same signed token in its form body, approves the plan
 * through the same path as every other channel (src/lambda/decision-handler.ts: re-scan, drift
 * check, the one decision, apply, publish). Requests are counted per minute per instance.
 */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { AwsClients } from '../aws/clients';
import { TrailwatchError } from '../errors';
import { refusalOf, type PlanRecord } from '../remediate/approval';
import { MinuteRateLimit, parseLinkToken, tokenMismatch, verifyLinkToken, type SignedLinkToken } from '../remediate/approval-link';
import { appliedPage, confirmationPage, refusalPage, type PageResponse } from '../remediate/approval-page';
import { ApprovalError } from '../remediate/errors';
import { readLinkSecret } from '../remediate/link-secret';
import { planStoreOf, readDecision, readPlanRecord } from '../remediate/plan-store';
import { approveAndPublish } from './decision-handler';
import { scanDeadlines, type LambdaContext, type ScanHandlerDeps } from './scan-handler';

/** Requests each instance serves per clock minute; the function's reserved concurrency bounds the instances. */
export const LINK_REQUESTS_PER_MINUTE = 30;
/** A form of four short fields is far smaller. */
const MAX_BODY_BYTES = 4096;

export interface ApprovalLinkHandlerDeps extends Omit<ScanHandlerDeps, 'metrics' | 'recordRun'> {
  readonly rateLimit?: MinuteRateLimit;
}

/** The truthful principal of a link approval: the link, not a person. */
export const LINK_PRINCIPAL = 'whoever held the signed email link (approved through the link, which names no person)';

function bodyParams(event: LambdaFunctionURLEvent): URLSearchParams | 'tooLarge' {
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) return 'tooLarge';
  return new URLSearchParams(body);
}

export function createApprovalLinkHandler(deps: ApprovalLinkHandlerDeps): (event: LambdaFunctionURLEvent, context: LambdaContext) => Promise<LambdaFunctionURLResult> {
  const { settings, logger } = deps;
  const now = deps.now ?? Date.now;
  const limit = deps.rateLimit ?? new MinuteRateLimit(LINK_REQUESTS_PER_MINUTE, now);
  const secretArn = settings.remediation?.approvalLink?.secretArn;
  if (settings.remediation?.mode !== 'approve' || !secretArn) {
    throw new TrailwatchError('the approval link function needs REMEDIATE=approve and APPROVAL_LINK_SECRET_ARN');
  }

  return async (event, context) => {
    if (context.awsRequestId) logger.appendKeys({ awsRequestId: context.awsRequestId });
    const method = event.requestContext?.http?.method ?? '';
    const sourceIp = event.requestContext?.http?.sourceIp ?? 'unknown';
    try {
      const response = await respond(method, event, context, sourceIp);
      logger.info('approval link request', { method, path: event.rawPath, sourceIp, statusCode: response.statusCode });
      return response;
    } catch (error) {
      logger.error('approval link request failed', error as Error);
      return refusalPage('unavailable', 'The approval could not be completed; nothing is known to have changed. The function\'s log says why; try again later or approve with the CLI.');
    } finally {
      logger.resetKeys();
    }
  };

  async function respond(method: string, event: LambdaFunctionURLEvent, context: LambdaContext, sourceIp: string): Promise<PageResponse> {
    if (!limit.take()) {
      return refusalPage('rateLimited', `This approval page takes at most ${limit.limit} requests a minute; try again shortly.`, { headers: { 'Retry-After': String(limit.retryAfterSeconds()) } });
    }
    if (method !== 'GET' && method !== 'POST') return refusalPage('method', `${method.slice(0, 10)} is not how an approval link is used.`, { headers: { Allow: 'GET, POST' } });
    if ((event.rawPath ?? '/') !== '/') return refusalPage('missing', 'There is nothing here but the approval page.');
    // GET reads the link from the query string; POST only from its form body (the confirm button's).
    const params = method === 'GET' ? new URLSearchParams(event.rawQueryString ?? '') : bodyParams(event);
    if (params === 'tooLarge') return refusalPage('tooLarge', 'The request is larger than an approval form.');
    const parsed = parseLinkToken(params);
    if ('problem' in parsed) {
      return parsed.problem === 'absent'
        ? refusalPage('absent', 'Open the approval link from the findings email.')
        : refusalPage('tampered', 'The link is incomplete or has been changed. Open the link from the findings email as it was sent.');
    }
    const { token } = parsed;
    const clients = deps.clients?.() ?? new AwsClients(settings.endpointUrl ? { endpointUrl: settings.endpointUrl } : {});
    try {
      const secret = await readLinkSecret(clients, secretArn as string);
      if (!verifyLinkToken(token, secret)) {
        logger.warn('approval link with a bad signature', { planId: token.planId, sourceIp });
        return refusalPage('tampered', 'The link\'s signature does not match: it has been changed, or it was signed with a secret that has since been rotated.');
      }
      if (now() > token.expires * 1000) {
        return refusalPage('expired', `The link for plan ${token.planId} expired at ${new Date(token.expires * 1000).toISOString()}. Approve the plan of a newer scan.`);
      }
      const store = planStoreOf(clients, settings.notify);
      if (!store) throw new TrailwatchError('REMEDIATE=approve needs REPORT_BUCKET: the plans are kept there');
      const checked = await checkPlan(store, token);
      if ('refusal' in checked) return checked.refusal;
      if (method === 'GET') return confirmationPage(checked.record, token);
      return await approve(token, { store, clients, context, sourceIp });
    } finally {
      clients.destroy();
    }
  }

  async function checkPlan(store: NonNullable<ReturnType<typeof planStoreOf>>, token: SignedLinkToken): Promise<{ readonly refusal: PageResponse } | { readonly record: PlanRecord }> {
    try {
      const record = await readPlanRecord(store, token.planId);
      const mismatch = tokenMismatch(token, record);
      if (mismatch) return { refusal: refusalPage('tampered', `${mismatch}: this link is not for the plan kept under ${token.planId}.`) };
      const refusal = refusalOf(record, await readDecision(store, token.planId), 'approve', new Date(now()));
      if (refusal) return { refusal: refusalPage(Date.parse(record.expiresAt) < now() ? 'expired' : 'decided', refusal) };
      return { record };
    } catch (error) {
      if (error instanceof ApprovalError && error.reason === 'missing') return { refusal: refusalPage('missing', `There is no plan ${token.planId} (kept plans may have been removed).`) };
      throw error;
    }
  }

  async function approve(token: SignedLinkToken, run: { store: NonNullable<ReturnType<typeof planStoreOf>>; clients: AwsClients; context: LambdaContext; sourceIp: string }): Promise<PageResponse> {
    const remaining = typeof run.context.getRemainingTimeInMillis === 'function' ? run.context.getRemainingTimeInMillis() : undefined;
    const deadlines = scanDeadlines(now(), remaining, settings.deadlineMarginMs);
    const abort = new AbortController();
    const timer = deadlines ? setTimeout(() => abort.abort(new TrailwatchError('the Lambda is about to time out')), deadlines.abortAfterMs) : undefined;
    timer?.unref();
    try {
      logger.info('plan approve requested through the link', { planId: token.planId, sourceIp: run.sourceIp });
      const outcome = await approveAndPublish(token.planId, {
        store: run.store,
        principal: LINK_PRINCIPAL,
        channel: `approval link, from ${run.sourceIp}, request ${run.context.awsRequestId ?? 'unknown'}`,
        now: () => new Date(now()),
        settings,
        clients: run.clients,
        runScan: deps.runScan,
        logger,
        signal: abort.signal,
        publish: true,
      });
      if (outcome.status === 'applied') return appliedPage(token.planId, outcome.decision, outcome.text, outcome.published);
      if (outcome.status === 'refused') {
        const reason = outcome.reason === 'drifted' ? 'drifted' : outcome.reason === 'expired' ? 'expired' : outcome.reason === 'missing' ? 'missing' : 'decided';
        return refusalPage(reason, outcome.message, outcome.differences ? { differences: outcome.differences } : {});
      }
      return refusalPage('decided', `plan ${token.planId} was ${outcome.status}`);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}
