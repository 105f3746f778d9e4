import { createHash } from 'node:crypto';
import { renderHtml, buildModel, CONTENT_SECURITY_POLICY, historyPoint } from '../../../src/report/html';
import { PAGE_CSS, PAGE_SCRIPT } from '../../../src/report/html/assets';
import type { Finding } from '../../../src/evaluate/types';
import type { ScanReport } from '../../../src/report/types';
import { finding, ROOT_USAGE_FAIL, sampleReport } from '../fixtures';
import { EXCEPTION, HOSTILE_NAMES, HOSTILE_OU, syntheticReport } from './organization';

const ALLOWED_TAGS = new Set(
  'html head meta title style body header main section footer aside article details summary h1 h2 h3 p ul li b span table colgroup col thead tbody tr th td a small code pre div dl dt dd button script svg line text polyline circle rect input label select option br'.split(' '),
);
const ALLOWED_ATTRIBUTES = new Set(
  'lang charset http-equiv content name class id href title hidden type value checked for colspan scope role aria-label aria-hidden tabindex span width height viewbox x y x1 x2 y1 y2 cx cy r fill stroke stroke-width points text-anchor data-check data-ou data-accounts data-label'.split(' '),
);

/**
 * Every markup character of the page, checked: each '<' opens a tag the renderer writes (or the
 * doctype), with attributes from the renderer's own set, values double-quoted. Escaped input can
 * never add a tag or an attribute, so a hostile value shows up here as a failure.
 */
function markupProblems(html: string): string[] {
  const problems: string[] = [];
  const body = html.replace(/<script>[\s\S]*?<\/script>/, '<script></script>').replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:="[^"<>]*")?)*)\s*(\/?)>/y;
  for (let at = body.indexOf('<'); at >= 0; at = body.indexOf('<', at + 1)) {
    if (body.startsWith('<!DOCTYPE html>', at)) continue;
    tag.lastIndex = at;
    const match = tag.exec(body);
    if (!match) {
      problems.push(`not a tag of the renderer at ${at}: ${body.slice(at, at + 60)}`);
      continue;
    }
    const name = (match[2] as string).toLowerCase();
    if (!ALLOWED_TAGS.has(name)) problems.push(`tag <${name}>`);
    for (const attribute of (match[3] as string).matchAll(/([a-zA-Z][a-zA-Z0-9-]*)(?:="[^"]*")?/g)) {
      const attributeName = (attribute[1] as string).toLowerCase();
      if (!ALLOWED_ATTRIBUTES.has(attributeName)) problems.push(`attribute ${attributeName} on <${name}>`);
    }
  }
  return problems;
}

function hostileReport(): ScanReport {
  const report = sampleReport();
  const [name0, name1, name2, name3, name4] = HOSTILE_NAMES;
  const hostile = (f: Finding): Finding => ({
    ...f,
    reason: `${name1} filter '</style><script>x()</script>' misses \`${name2}\``,
    fix: `aws logs put-metric-filter --filter-pattern '${name3}'`,
    warnings: [name4 as string],
    evidence: { ...f.evidence, trail: `arn:aws:cloudtrail:us-east-1:111111111111:trail/${name0}`, organizationTrailOwner: '111111111111' },
  });
  return {
    ...report,
    accounts: report.accounts.map((a, i) => ({ ...a, name: HOSTILE_NAMES[i] as string, ...(i === 0 ? { ou: HOSTILE_OU } : {}) })),
    findings: [
      ...report.findings.map(hostile),
      { ...hostile(finding({ accountId: '222222222222', check: 'vpc_changes', control: '4.14', status: 'FAIL' })), exception: { reason: name0, approvedBy: name1, expires: name3 } } as Finding,
    ],
    stats: { apiCalls: 1, apiCallsPerAccount: {}, notes: [name2 as string] },
  };
}

describe('Function: renderHtml', () => {
  it('escapes every value from the report: hostile names, reasons, fixes, notes, OUs and exceptions add no markup', () => {
    // Act
    const html = renderHtml(hostileReport());
    // Assess
    expect(markupProblems(html)).toEqual([]);
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html.match(/<style/gi)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned = 1&quot;&gt;');
    expect(html).toContain('&#39;&gt;&lt;svg onload=&#39;window.__pwned = 1&#39;&gt;');
    expect(html).toContain('&lt;/style&gt;&lt;script&gt;');
    expect(html).toContain('&lt;/textarea&gt;&lt;/title&gt;&lt;!-- &amp; &amp;amp;');
  });

  it('holds the page to a policy that forbids every load and runs only its own style sheet and script', () => {
    const html = renderHtml(sampleReport());
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain(`script-src ${hash(PAGE_SCRIPT)}`);
    expect(CONTENT_SECURITY_POLICY).toContain(`style-src ${hash(PAGE_CSS)}`);
    expect(html).toContain(`<script>${PAGE_SCRIPT}</script>`);
    expect(html).toContain(`<style>${PAGE_CSS}</style>`);
    expect(html).not.toMatch(/\b(?:src|srcset|action)=|url\(|@import|https?:\/\//i);
    // The policy comes before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
  });

  it('writes one lettered, coloured cell per finding, linked to its cause', () => {
    const report = sampleReport();
    const html = renderHtml(report);
    const cells = [...html.matchAll(/<td class="([PFEX])"><a href="#(c\d+)"[^>]*>([PFEX])(?:<small>(\w+)<\/small>)?<\/a><\/td>/g)];
    expect(cells).toHaveLength(report.findings.length);
    expect(cells.map((c) => c[1])).toEqual(cells.map((c) => c[3]));
    expect(cells.map((c) => c[3]).sort()).toEqual(['E', 'F', 'P', 'P']);
    expect(cells.find((c) => c[3] === 'F')?.[4]).toBe('mf');
    for (const cell of cells) expect(html).toContain(`id="${cell[2]}"`);
    // The failing finding's fix, copyable, and its regions.
    expect(html).toContain(`<pre>${"aws logs put-metric-filter --log-group-name org-trail-logs --filter-name root-usage --filter-pattern &#39;{ $.userIdentity.type = &quot;Root&quot; }&#39;"}</pre>`);
    expect(html).toContain('<dt>Regions not covered</dt><dd>us-east-1, eu-west-1</dd>');
    expect(html).toContain('<li>the KMS key policy of the trail could not be read</li>');
  });

  it('lists an account that could not be scanned with its reason, and the headline counts accounts and findings', () => {
    const html = renderHtml(sampleReport());
    expect(html).toMatch(/3 accounts: 2 judged, 0 skipped, 1 in error/);
    expect(html).toContain('AssumeRole failed: AccessDenied');
    expect(html).toMatch(/<li class="P"><b>2<\/b>PASS<\/li>/);
    expect(html).toMatch(/<li class="F"><b>1<\/b>FAIL<\/li>/);
    expect(html).toMatch(/<li class="E"><b>1<\/b>ERROR/);
  });

  it('shows an excepted FAIL as EXCEPTED (X), counts it apart and says who accepted it until when', () => {
    const excepted = { ...ROOT_USAGE_FAIL, exception: EXCEPTION } as Finding;
    const report = { ...sampleReport(), findings: [excepted] };
    const html = renderHtml(report);
    expect(html).toMatch(/<td class="X"><a href="#c1" title="EXCEPTED at metric filter" data-label="EXCEPTED at metric filter">X<small>mf<\/small><\/a><\/td>/);
    expect(html).toMatch(/<li class="X"><b>1<\/b>EXCEPTED<\/li>/);
    expect(html).toMatch(/<li class="F"><b>0<\/b>FAIL<\/li>/);
    expect(html).toContain('Excepted (accepted risk): Sandbox accounts: network changes are not monitored; approved by security-lead@example.com, until 2099-12-31. The finding itself is FAIL.');
  });

  it('says the fix once: a reason that ends with the command points to it', () => {
    const fix = 'aws cloudwatch enable-alarm-actions --alarm-names a --region us-east-1';
    const report = { ...sampleReport(), findings: [{ ...ROOT_USAGE_FAIL, reason: `alarm 'a' has actions disabled: enable them with \`${fix}\``, fix }] };
    const html = renderHtml(report);
    expect(html).toContain('alarm &#39;a&#39; has actions disabled: enable them with the command below');
    expect(html.split(fix)).toHaveLength(2);
  });

  it('groups accounts by OU when the report carries them, and says so when it does not', () => {
    const withOus = renderHtml(syntheticReport({ accounts: 30 }));
    expect(withOus).toContain('<tbody data-ou="ou-prod-11111111"><tr class="g"><th colspan="16">Root / Workloads / Prod');
    expect(withOus).not.toContain('organizational units of these accounts are not known');
    expect(renderHtml(sampleReport())).toContain('organizational units of these accounts are not known');
  });

  it('names each organization trail, the accounts it serves and what its chains settle per check', () => {
    const html = renderHtml(syntheticReport({ accounts: 30 }));
    expect(html).toContain('<h3>Trail <code>organization-trail</code> of account 100000000000 (management)</h3>');
    const model = buildModel(syntheticReport({ accounts: 30 }));
    const [view] = model.organizationTrails;
    expect(view?.ownerAccountId).toBe('100000000000');
    const security = view?.checks.find((c) => c.check === 'security_group_changes');
    expect(security?.brokenLinks).toEqual(['metricFilter']);
    expect(view?.checks.find((c) => c.check === 'root_usage')?.counts.fail).toBe(0);
  });

  it('draws the trend from the history: this benchmark, the last 90 days, the latest scan of each day', () => {
    const report = sampleReport();
    const at = (iso: string, pass: number): ReturnType<typeof historyPoint> => ({
      ...historyPoint({ ...report, finishedAt: iso }),
      total: { pass, fail: 4 - pass, error: 0, excepted: 0 },
    });
    const history = [
      at('2024-11-01T10:00:00.000Z', 0), // older than 90 days
      at('2025-01-10T10:00:00.000Z', 1),
      at('2025-01-10T22:00:00.000Z', 2), // same day, later: kept
      at('2025-02-01T10:00:00.000Z', 3),
      { ...at('2025-02-02T10:00:00.000Z', 4), benchmark: 'cis-aws-v5.0.0' },
    ];
    const html = renderHtml(report, { history, historySource: 's3://bucket/trailwatch/history/cis-aws-v4.0.0.json' });
    const overall = /<polyline points="([^"]*)" fill="none" stroke="#0969da"/.exec(html)?.[1] ?? '';
    expect(overall.split(' ')).toHaveLength(3);
    expect(html).toContain('3 scans in the last 90 days from s3://bucket/trailwatch/history/cis-aws-v4.0.0.json');
    expect(html).toContain('2025-01-10: 50% pass');
    expect(html).not.toContain('2024-11-01:');
  });

  it('keeps a 1,000-account page under 2 MB, passing rows collapsed', () => {
    const report = syntheticReport({ accounts: 1000 });
    const html = renderHtml(report);
    expect(report.findings.length).toBeGreaterThan(14_000);
    expect(Buffer.byteLength(html, 'utf8')).toBeLessThan(2 * 1024 * 1024);
    expect(html).toContain('<input type="checkbox" class="vh" id="show-ok">');
    expect(html.match(/<td class="[PFEX]"><a /g)).toHaveLength(report.findings.length);
  });
});
