/**
 * The page's one style sheet and one small script, inline. The Content-Security-Policy allows
 * exactly these two (by hash) and nothing else: no other script, style, image, font or request.
 * The script only adds convenience (a details panel, OU and check filters, copy buttons): the
 * page reads the same without it, and the status filter and the passing rows' toggle are CSS.
 */

export const PAGE_CSS = `
:root{--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--error:#9a6700;--error-bg:#fff8c5;--exc:#6639ba;--exc-bg:#fbefff;--line:#d0d7de;--muted:#57606a;--ink:#1f2328;--code:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
header,main>section,footer{padding:0 24px}
header{border-bottom:1px solid var(--line);padding-top:12px;padding-bottom:12px;background:#f6f8fa}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:14px;margin:0 0 6px}
.meta{color:var(--muted);margin:0}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0 4px;padding:0;list-style:none}
.tiles li{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:112px;background:#fff}
.tiles b{display:block;font-size:24px;line-height:1.2}
.tiles .P b{color:var(--pass)}.tiles .F b{color:var(--fail)}.tiles .E b{color:var(--error)}.tiles .X b{color:var(--exc)}
.worst{border-collapse:collapse}
.worst td,.worst th{padding:2px 10px 2px 0;text-align:left;vertical-align:middle}
.worst td.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:var(--code);padding:0 3px;border-radius:3px;word-break:break-all}
pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:8px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
.badge{display:inline-block;min-width:1.6em;text-align:center;border-radius:4px;font-weight:700;padding:0 4px;border:1px solid}
.badge.P{color:var(--pass);background:var(--pass-bg)}.badge.F{color:var(--fail);background:var(--fail-bg)}.badge.E{color:var(--error);background:var(--error-bg)}.badge.X{color:var(--exc);background:var(--exc-bg)}
.legend{color:var(--muted);margin:6px 0}
.controls{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:8px 0}
.controls label.t{border:1px solid var(--line);border-radius:14px;padding:2px 10px;cursor:pointer;user-select:none;background:#fff}
.vh{position:absolute;opacity:0;width:1px;height:1px;margin:0}
#st-all:checked~.controls label[for=st-all],#st-F:checked~.controls label[for=st-F],#st-E:checked~.controls label[for=st-E],#st-X:checked~.controls label[for=st-X],#show-ok:checked~.controls label[for=show-ok]{background:var(--ink);color:#fff;border-color:var(--ink)}
#st-all:focus-visible~.controls label[for=st-all],#st-F:focus-visible~.controls label[for=st-F],#st-E:focus-visible~.controls label[for=st-E],#st-X:focus-visible~.controls label[for=st-X],#show-ok:focus-visible~.controls label[for=show-ok]{outline:2px solid #0969da;outline-offset:2px}
#show-ok:not(:checked)~.mwrap tr.ok{display:none}
#show-ok:checked~.mwrap tr.okn{display:none}
#st-F:checked~.mwrap tr.a:not(.hF),#st-E:checked~.mwrap tr.a:not(.hE),#st-X:checked~.mwrap tr.a:not(.hX){display:none}
#st-F:checked~.mwrap tr.okn,#st-E:checked~.mwrap tr.okn,#st-X:checked~.mwrap tr.okn{display:none}
#st-F:checked~.mwrap tbody:not(:has(tr.hF)),#st-E:checked~.mwrap tbody:not(:has(tr.hE)),#st-X:checked~.mwrap tbody:not(:has(tr.hX)){display:none}
.mwrap{overflow:auto;max-height:80vh;border:1px solid var(--line);border-radius:6px}
table.m{border-collapse:separate;border-spacing:0;font-size:12px;table-layout:fixed;width:1px}
table.m col.ac{width:300px}table.m col.cc{width:42px}
table.m thead th{position:sticky;top:0;background:#fff;z-index:2;border-bottom:1px solid var(--line);vertical-align:bottom;padding:4px 2px}
table.m thead th.c{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;white-space:nowrap;font-weight:600;padding:6px 2px}
table.m th.r{position:sticky;left:0;background:#fff;z-index:1;text-align:left;font-weight:normal;white-space:nowrap;padding:1px 8px 1px 6px;max-width:300px;overflow:hidden;text-overflow:ellipsis;border-right:1px solid var(--line)}
table.m thead th.r{z-index:3}
table.m th.r .id{font-variant-numeric:tabular-nums}
table.m th.r .nm{color:var(--muted)}
table.m tr.g th{position:sticky;left:0;text-align:left;background:#eaeef2;padding:4px 6px;font-weight:600}
table.m tr.g .n,table.m tr.okn td{color:var(--muted);font-weight:normal}
table.m tr.okn td{padding:2px 8px;font-style:italic}
table.m td{padding:1px;text-align:center}
table.m td a{display:block;min-width:32px;padding:2px 3px;border-radius:3px;text-decoration:none;font-weight:700;border:1px solid transparent}
table.m td small{font-weight:normal;font-size:10px;margin-left:1px}
table.m td.P a{color:var(--pass);background:var(--pass-bg)}
table.m td.F a{color:#fff;background:var(--fail)}
table.m td.E a{color:var(--ink);background:#f2cc60}
table.m td.X a{color:var(--exc);background:var(--exc-bg);border-color:var(--exc)}
table.m td.N{color:var(--muted)}
table.m td.S{text-align:left;color:var(--muted);padding:2px 8px}
table.m td a:focus-visible,table.m td a.sel{outline:3px solid #0969da;outline-offset:-1px}
table.m tr:hover th.r{background:#f6f8fa}
#panel{position:fixed;right:16px;bottom:16px;width:min(40rem,calc(100vw - 32px));max-height:70vh;overflow:auto;background:#fff;border:1px solid var(--line);border-radius:8px;box-shadow:0 8px 24px rgba(140,149,159,.3);padding:12px 16px;z-index:10}
#panel[hidden]{display:none}
#panel .close{float:right}
#panel h3{margin-right:48px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.cause{border:1px solid var(--line);border-left-width:6px;border-radius:6px;padding:8px 12px;margin:8px 0}
.cause.F{border-left-color:var(--fail)}.cause.E{border-left-color:#d4a72c}.cause.X{border-left-color:var(--exc)}.cause.P{border-left-color:var(--pass)}
.cause:target{box-shadow:0 0 0 3px #0969da}
.cause .accts{color:var(--muted);margin:6px 0 0;word-break:break-word}
.exception{background:var(--exc-bg);padding:4px 8px;border-radius:4px}
.notes{margin:4px 0;padding-left:18px;color:var(--muted)}
button{font:inherit;border:1px solid var(--line);background:#f6f8fa;border-radius:6px;padding:2px 10px;cursor:pointer}
.chart text{font-size:11px;fill:var(--muted)}
.sparks{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:8px;margin:8px 0;padding:0;list-style:none}
.sparks li{border:1px solid var(--line);border-radius:6px;padding:6px 8px}
.sparks .h{display:flex;gap:6px;white-space:nowrap}.sparks .h span{overflow:hidden;text-overflow:ellipsis;flex:1}
.sparks .rate{font-weight:700}
.sparks svg{display:block;margin:2px 0}
table.plain{border-collapse:collapse;margin:6px 0}
table.plain td,table.plain th{border-bottom:1px solid var(--line);padding:3px 10px 3px 0;text-align:left;vertical-align:top}
.muted{color:var(--muted)}
footer{color:var(--muted);border-top:1px solid var(--line);margin-top:32px;padding-top:8px;padding-bottom:24px}
@media print{#panel,.controls,.vh{display:none}.mwrap{max-height:none;overflow:visible}}
`;

/** Plain ES2017, no library: selection panel, OU and check filters, copy buttons. */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var doc = document;
  var table = doc.getElementById('matrix');
  var panel = doc.getElementById('panel');
  var copyable = doc.querySelectorAll('button.copy, .needs-js');
  for (var i = 0; i < copyable.length; i++) copyable[i].hidden = false;

  doc.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('button.copy') : null;
    if (!button) return;
    var pre = button.parentNode.querySelector('pre');
    if (pre) copy(pre, button);
  });

  function copy(pre, button) {
    var text = pre.textContent;
    var done = function (ok) {
      button.textContent = ok ? 'Copied' : 'Selected: press Ctrl+C';
      setTimeout(function () { button.textContent = 'Copy'; }, 2000);
    };
    var select = function () {
      var range = doc.createRange();
      range.selectNodeContents(pre);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var ok = false;
      try { ok = doc.execCommand('copy'); } catch (e) { ok = false; }
      done(ok);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, select);
    } else {
      select();
    }
  }

  if (!table || !panel) return;
  var heads = table.tHead.rows[0].cells;
  var rows = table.querySelectorAll('tr.a');
  var ouSelect = doc.getElementById('f-ou');
  var checkSelect = doc.getElementById('f-check');
  var statusInputs = doc.querySelectorAll('input[name=st]');
  var selected = null;

  function columnOf(slug) {
    for (var c = 1; c < heads.length; c++) if (heads[c].getAttribute('data-check') === slug) return c;
    return -1;
  }

  function statusFilter() {
    for (var s = 0; s < statusInputs.length; s++) if (statusInputs[s].checked) return statusInputs[s].value;
    return '';
  }

  function apply() {
    var ou = ouSelect ? ouSelect.value : '';
    var column = checkSelect && checkSelect.value ? columnOf(checkSelect.value) : -1;
    var status = statusFilter();
    for (var h = 1; h < heads.length; h++) heads[h].hidden = column > 0 && h !== column;
    var bodies = table.tBodies;
    for (var b = 0; b < bodies.length; b++) {
      bodies[b].hidden = ou !== '' && bodies[b].getAttribute('data-ou') !== ou;
    }
    for (var r = 0; r < rows.length; r++) {
      var row = rows[r];
      var show = true;
      if (column > 0 && status && !row.classList.contains('skip')) {
        var cell = row.cells[column];
        show = Boolean(cell && cell.className === status);
      }
      row.hidden = !show;
      for (var c = 1; c < row.cells.length; c++) {
        if (!row.classList.contains('skip')) row.cells[c].hidden = column > 0 && c !== column;
      }
    }
  }

  if (ouSelect) ouSelect.addEventListener('change', apply);
  if (checkSelect) checkSelect.addEventListener('change', apply);
  for (var s = 0; s < statusInputs.length; s++) statusInputs[s].addEventListener('change', apply);

  table.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('td > a') : null;
    if (!link || !table.contains(link)) return;
    event.preventDefault();
    show(link);
  });

  function show(link) {
    var cell = link.parentNode;
    var row = cell.parentNode;
    var head = heads[cell.cellIndex];
    var cause = doc.getElementById(link.getAttribute('href').slice(1));
    if (!cause) return;
    if (selected) selected.classList.remove('sel');
    selected = link;
    link.classList.add('sel');
    panel.querySelector('.p-account').textContent = row.cells[0].textContent;
    panel.querySelector('.p-check').textContent = head.getAttribute('title') || head.textContent;
    var status = panel.querySelector('.p-status');
    status.className = 'p-status badge ' + cell.className;
    status.textContent = link.getAttribute('data-label') || cell.className;
    var body = panel.querySelector('.p-body');
    while (body.firstChild) body.removeChild(body.firstChild);
    var detail = cause.querySelector('.detail');
    if (detail) body.appendChild(detail.cloneNode(true));
    var more = panel.querySelector('.p-cause');
    more.setAttribute('href', '#' + cause.id);
    more.textContent = cause.getAttribute('data-accounts') === '1' ? 'Its entry under “What to fix”' : 'The same cause in ' + cause.getAttribute('data-accounts') + ' accounts';
    panel.hidden = false;
    panel.focus();
  }

  panel.querySelector('.close').addEventListener('click', close);
  doc.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !panel.hidden) close();
  });
  function close() {
    panel.hidden = true;
    if (selected) { selected.classList.remove('sel'); selected.focus(); }
  }
})();
`;
