/**
 * A loopback proxy between the real SDK clients and moto that adds two things AWS does and
 * moto does not, so they can be tested end to end:
 * - paging: moto answers DescribeMetricFilters and DescribeAlarms in one page however many
 *   there are; the proxy cuts them into pages as AWS does (at most 50 filters, 100 alarms);
 * - organization trails seen from a member: moto shows a member no trail; the proxy adds the
 *   organization trail's shadow to ListTrails and DescribeTrails for the given member's keys.
 * Everything else passes through untouched.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface PagedOperation {
  readonly target: string;
  readonly tokenField: string;
  readonly sizeField: string;
  readonly listField: string;
  readonly maxPageSize: number;
}

const PAGED: readonly PagedOperation[] = [
  { target: 'Logs_20140328.DescribeMetricFilters', tokenField: 'nextToken', sizeField: 'limit', listField: 'metricFilters', maxPageSize: 50 },
  { target: 'GraniteServiceVersion20100801.DescribeAlarms', tokenField: 'NextToken', sizeField: 'MaxRecords', listField: 'MetricAlarms', maxPageSize: 100 },
];

/** A trail as DescribeTrails returns it (the fields the collector reads). */
export interface ShadowTrail {
  readonly TrailARN: string;
  readonly Name: string;
  readonly HomeRegion: string;
  readonly IsMultiRegionTrail: boolean;
  readonly IsOrganizationTrail: boolean;
  readonly IncludeGlobalServiceEvents?: boolean;
  readonly CloudWatchLogsLogGroupArn?: string;
  readonly CloudWatchLogsRoleArn?: string;
}

export interface ProxyOptions {
  /** Page size instead of AWS's maximum (never above it). */
  readonly pageSize?: number;
  /** Trails shown to whoever signs with these access keys (an assumed member role). */
  readonly shadowTrails?: { readonly accessKeyId: () => string | undefined; readonly trail: ShadowTrail }[];
}

export interface BehaviourProxy {
  readonly endpoint: string;
  /** Pages served, by operation target. */
  readonly pagesServed: Record<string, number>;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function accessKeyOf(request: IncomingMessage): string | undefined {
  return /Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1];
}

export async function startBehaviourProxy(target: string, options: ProxyOptions = {}): Promise<BehaviourProxy> {
  const pagesServed: Record<string, number> = {};
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await bodyOf(request);
      const amzTarget = String(request.headers['x-amz-target'] ?? '');
      const paged = PAGED.find((p) => p.target === amzTarget);
      let forwardBody = body;
      let offset = 0;
      let pageSize = 0;
      if (paged) {
        const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
        offset = Number(input[paged.tokenField] ?? 0);
        pageSize = Math.min(Number(input[paged.sizeField] ?? paged.maxPageSize), options.pageSize ?? paged.maxPageSize);
        delete input[paged.tokenField];
        delete input[paged.sizeField];
        forwardBody = Buffer.from(JSON.stringify(input));
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)),
      ) as Record<string, string>;
      const upstream = await fetch(`${target}${request.url ?? '/'}`, {
        method: request.method,
        headers,
        ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: forwardBody }),
      });
      let answer = Buffer.from(await upstream.arrayBuffer());

      if (paged && upstream.ok) {
        const output = JSON.parse(answer.toString('utf8')) as Record<string, unknown>;
        const all = (output[paged.listField] as unknown[] | undefined) ?? [];
        output[paged.listField] = all.slice(offset, offset + pageSize);
        if (offset + pageSize < all.length) output[paged.tokenField] = String(offset + pageSize);
        else delete output[paged.tokenField];
        answer = Buffer.from(JSON.stringify(output));
        pagesServed[paged.target] = (pagesServed[paged.target] ?? 0) + 1;
      }

      const isCloudTrail = amzTarget.includes('CloudTrail_20131101.');
      const shadows = (options.shadowTrails ?? []).filter((s) => s.accessKeyId() === accessKeyOf(request)).map((s) => s.trail);
      if (isCloudTrail && shadows.length > 0 && upstream.ok) {
        const output = JSON.parse(answer.toString('utf8')) as Record<string, unknown[]>;
        if (amzTarget.endsWith('.ListTrails')) {
          output.Trails = [...(output.Trails ?? []), ...shadows.map((t) => ({ TrailARN: t.TrailARN, Name: t.Name, HomeRegion: t.HomeRegion }))];
        } else if (amzTarget.endsWith('.DescribeTrails')) {
          const input = JSON.parse(body.toString('utf8') || '{}') as { includeShadowTrails?: boolean };
          if (input.includeShadowTrails !== false) output.trailList = [...(output.trailList ?? []), ...shadows];
        }
        answer = Buffer.from(JSON.stringify(output));
      }

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
    pagesServed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
