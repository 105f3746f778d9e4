/**
 * A loopback proxy in front of moto that shows the organization trail to member accounts, as
 * AWS does and moto does not: a member's ListTrails names it, and its DescribeTrails returns
 * it. Without this, a covered member would cost one call fewer in the benchmark than in AWS.
 * Every other request passes through untouched (streamed, not buffered).
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The organization trail as DescribeTrails shows it. */
export interface OrganizationTrailShadow {
  readonly TrailARN: string;
  readonly Name: string;
  readonly HomeRegion: string;
  readonly IsMultiRegionTrail: true;
  readonly IsOrganizationTrail: true;
  readonly IncludeGlobalServiceEvents: boolean;
  readonly CloudWatchLogsLogGroupArn?: string;
  readonly CloudWatchLogsRoleArn?: string;
  readonly S3BucketName?: string;
}

/** A seeded organization's trail as DescribeTrails shows it to its members (its delivery role is the management account's). */
export function organizationTrailShadow(org: {
  readonly managementAccountId: string;
  readonly organizationTrail: { readonly arn: string; readonly name: string; readonly homeRegion: string; readonly bucketName: string; readonly cloudWatchLogsLogGroupArn?: string };
}): OrganizationTrailShadow {
  const trail = org.organizationTrail;
  return {
    TrailARN: trail.arn,
    Name: trail.name,
    HomeRegion: trail.homeRegion,
    IsMultiRegionTrail: true,
    IsOrganizationTrail: true,
    IncludeGlobalServiceEvents: true,
    S3BucketName: trail.bucketName,
    ...(trail.cloudWatchLogsLogGroupArn
      ? { CloudWatchLogsLogGroupArn: trail.cloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn: `arn:aws:iam::${org.managementAccountId}:role/CloudTrail_CloudWatchLogs_Role` }
      : {}),
  };
}

export interface OrganizationTrailProxy {
  readonly endpoint: string;
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

/**
 * @param target moto's endpoint
 * @param ownerAccessKeyId the access key the trail's owner signs with: it sees the real trail, not a shadow
 */
export async function startOrganizationTrailProxy(
  target: string,
  trail: OrganizationTrailShadow,
  ownerAccessKeyId: string,
): Promise<OrganizationTrailProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });

  const forward = (request: IncomingMessage, response: ServerResponse, body: Buffer | undefined, rewrite?: (answer: Buffer) => Buffer) => {
    const outgoing = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: body ? { ...request.headers, 'content-length': String(body.length) } : request.headers,
        agent,
      },
      (answer) => {
        if (!rewrite || (answer.statusCode ?? 500) >= 300) {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          return;
        }
        void bodyOf(answer).then((raw) => {
          const rewritten = rewrite(raw);
          response.writeHead(answer.statusCode ?? 200, { ...answer.headers, 'content-length': String(rewritten.length) });
          response.end(rewritten);
        });
      },
    );
    outgoing.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
    if (body) outgoing.end(body);
    else request.pipe(outgoing);
  };

  const server = createServer((request, response) => {
    const amzTarget = String(request.headers['x-amz-target'] ?? '');
    const isTrailListing = amzTarget.endsWith('.ListTrails') || amzTarget.endsWith('.DescribeTrails');
    if (!amzTarget.startsWith('CloudTrail_') || !isTrailListing || accessKeyOf(request) === ownerAccessKeyId) {
      forward(request, response, undefined);
      return;
    }
    void bodyOf(request).then((body) => {
      const input = JSON.parse(body.toString('utf8') || '{}') as { includeShadowTrails?: boolean; trailNameList?: string[] };
      forward(request, response, body, (raw) => {
        const output = JSON.parse(raw.toString('utf8') || '{}') as { Trails?: unknown[]; trailList?: unknown[] };
        if (amzTarget.endsWith('.ListTrails')) {
          output.Trails = [...(output.Trails ?? []), { TrailARN: trail.TrailARN, Name: trail.Name, HomeRegion: trail.HomeRegion }];
        } else {
          const named = input.trailNameList;
          const wanted = named === undefined || named.length === 0 ? input.includeShadowTrails !== false : named.includes(trail.TrailARN);
          if (wanted) output.trailList = [...(output.trailList ?? []), trail];
        }
        return Buffer.from(JSON.stringify(output));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}
