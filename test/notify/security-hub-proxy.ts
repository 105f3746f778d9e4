/**
 * A loopback proxy in front of moto that makes its Security Hub behave as the API reference says
 * AWS's does, where moto differs:
 * - BatchImportFindings does not change Workflow or Note of a finding that already exists (moto
 *   overwrites them); only BatchUpdateFindings does;
 * - BatchUpdateFindings exists (moto lacks it): it sets Workflow and Note (UpdatedBy, UpdatedAt) of
 *   the findings named, and lists unknown ones as UnprocessedFindings with FindingNotFound;
 * - a finding can be refused (FailedFindings), which moto never does for a well-formed one: the
 *   test's `refuse` decides, per finding and attempt.
 * Everything else passes through untouched; the findings themselves stay in moto.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export interface Refusal {
  readonly code: string;
  readonly message: string;
}

export interface SecurityHubProxyOptions {
  /** Called for every finding of every BatchImportFindings call, with its attempt number (1, 2...). */
  readonly refuse?: (id: string, attempt: number) => Refusal | undefined;
}

export interface SecurityHubProxy {
  readonly endpoint: string;
  /** The BatchUpdateFindings requests received, in order. */
  readonly updates: Json[];
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([k, v]) => typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)),
  ) as Record<string, string>;
}

export async function startSecurityHubProxy(target: string, options: SecurityHubProxyOptions = {}): Promise<SecurityHubProxy> {
  const updates: Json[] = [];
  const attempts = new Map<string, number>();

  // Straight to moto, signed as the caller was (moto reads the service and account from the header).
  const moto = async (headers: Record<string, string>, method: string, path: string, body?: Json): Promise<Json> => {
    const answer = await fetch(`${target}${path}`, { method, headers: { ...headers, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`moto ${method} ${path}: ${answer.status} ${text}`);
    return text ? (JSON.parse(text) as Json) : {};
  };
  const held = async (headers: Record<string, string>): Promise<Map<string, Json>> => {
    const all = new Map<string, Json>();
    let token: string | undefined;
    do {
      const page = await moto(headers, 'POST', '/findings', { MaxResults: 100, ...(token ? { NextToken: token } : {}) });
      for (const f of (page.Findings as Json[] | undefined) ?? []) all.set(String(f.Id), f);
      token = (page.NextToken as string | undefined) || undefined;
    } while (token);
    return all;
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await bodyOf(request);
      const headers = forwardable(request.headers);
      const path = request.url ?? '/';
      const reply = (status: number, json: Json): void => {
        const text = JSON.stringify(json);
        response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
        response.end(text);
      };

      if (request.method === 'POST' && path.startsWith('/findings/import')) {
        const input = JSON.parse(body) as { Findings: Json[] };
        const existing = await held(headers);
        const failed: Json[] = [];
        const kept: Json[] = [];
        for (const finding of input.Findings) {
          const id = String(finding.Id);
          const attempt = (attempts.get(id) ?? 0) + 1;
          attempts.set(id, attempt);
          const refusal = options.refuse?.(id, attempt);
          if (refusal) {
            failed.push({ Id: id, ErrorCode: refusal.code, ErrorMessage: refusal.message });
            continue;
          }
          // Security Hub ignores Workflow and Note of a finding it holds: drop them, moto keeps the old ones.
          if (existing.has(id)) {
            const { Workflow: _w, Note: _n, ...rest } = finding;
            kept.push(rest);
          } else {
            kept.push(finding);
          }
        }
        const upstream = kept.length > 0 ? await moto(headers, 'POST', '/findings/import', { Findings: kept }) : { FailedCount: 0, SuccessCount: 0, FailedFindings: [] };
        reply(200, {
          FailedCount: Number(upstream.FailedCount ?? 0) + failed.length,
          SuccessCount: Number(upstream.SuccessCount ?? 0),
          FailedFindings: [...((upstream.FailedFindings as Json[] | undefined) ?? []), ...failed],
        });
        return;
      }

      if (request.method === 'PATCH' && path.startsWith('/findings/batchupdate')) {
        const input = JSON.parse(body) as { FindingIdentifiers: { Id: string; ProductArn: string }[]; Workflow?: Json; Note?: { Text: string; UpdatedBy: string } };
        updates.push(input as unknown as Json);
        const existing = await held(headers);
        const processed: Json[] = [];
        const unprocessed: Json[] = [];
        const changed: Json[] = [];
        for (const identifier of input.FindingIdentifiers) {
          const finding = existing.get(identifier.Id);
          if (!finding || finding.ProductArn !== identifier.ProductArn) {
            unprocessed.push({ FindingIdentifier: identifier, ErrorCode: 'FindingNotFound', ErrorMessage: 'Finding Not Found' });
            continue;
          }
          changed.push({
            ...finding,
            ...(input.Workflow ? { Workflow: input.Workflow } : {}),
            ...(input.Note ? { Note: { ...input.Note, UpdatedAt: new Date().toISOString() } } : {}),
          });
          processed.push(identifier);
        }
        if (changed.length > 0) await moto(headers, 'POST', '/findings/import', { Findings: changed });
        reply(200, { ProcessedFindings: processed, UnprocessedFindings: unprocessed });
        return;
      }

      const upstream = await fetch(`${target}${path}`, { method: request.method, headers, ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body }) });
      const answer = Buffer.from(await upstream.arrayBuffer());
      const outHeaders: Record<string, string> = {};
      upstream.headers.forEach((value, key) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(key)) outHeaders[key] = value;
      });
      response.writeHead(upstream.status, { ...outHeaders, 'content-length': String(answer.length) });
      response.end(answer);
    })().catch((error: unknown) => {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    updates,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
