// Plan view: the plan's task register as a table, filtered by unit, kind and deadline on the server, with CSV/ICS export.
(function () {
  'use strict';
  var P = window.plancitePage;
  var el = P.el;
  var t = P.t;
  var id = P.pageId();

  // Kind names come from the server (/assets/task-kinds.json, the register's data file), in display order.
  var KINDS = [];

  var titleEl = document.getElementById('plan-title');
  var metaEl = document.getElementById('plan-meta');
  var countEl = document.getElementById('plan-count');
  var tbody = document.querySelector('#tasks tbody');
  var form = document.getElementById('filters');
  var unitSel = document.getElementById('f-unit');
  var kindSel = document.getElementById('f-kind');
  var dueInput = document.getElementById('f-due');
  var csv = document.getElementById('export-csv');
  var ics = document.getElementById('export-ics');
  var docLink = document.getElementById('doc-link');
  var seq = 0;

  function kindLabel(k) {
    for (var i = 0; i < KINDS.length; i++) if (KINDS[i].kind === k) return t(KINDS[i].vi, KINDS[i].en);
    return k;
  }

  function query(format) {
    var p = new URLSearchParams();
    p.set('docId', id);
    if (unitSel.value) p.set('unit', unitSel.value);
    if (kindSel.value) p.set('kind', kindSel.value);
    if (dueInput.value) p.set('dueBefore', dueInput.value);
    if (format) p.set('format', format);
    return '/api/obligations?' + p.toString();
  }

  function viewerHref(r) {
    return '/documents/' + encodeURIComponent(r.docId) + '?q=' + encodeURIComponent(r.evidence || '') + (P.lang === 'en' ? '&lang=en' : '') + '#' + encodeURIComponent(r.section);
  }

  function render(records) {
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    records.forEach(function (r, i) {
      var tr = el('tr', { 'data-kind': r.kind });
      tr.appendChild(el('td', null, String(i + 1)));
      tr.appendChild(el('td', { class: 'text' }, r.text));
      tr.appendChild(el('td', null, kindLabel(r.kind)));
      tr.appendChild(el('td', null, r.lead.join('; ')));
      tr.appendChild(el('td', null, r.partners.join('; ')));
      tr.appendChild(el('td', null, r.deadline ? r.deadline.raw : ''));
      tr.appendChild(el('td', null, [r.recipient, r.via ? t('qua ', 'via ') + r.via : null].filter(Boolean).join(' · ')));
      var td = el('td');
      td.appendChild(el('a', { href: viewerHref(r) }, '§' + r.section));
      tr.appendChild(td);
      tbody.appendChild(tr);
    });
    countEl.textContent = records.length + t(' nhiệm vụ', ' tasks');
    csv.href = query('csv');
    ics.href = query('ics');
  }

  function refresh() {
    var mine = ++seq;
    countEl.textContent = t('Đang tải…', 'Loading…');
    P.apiGet(query()).then(
      function (body) {
        if (mine === seq) render(body.obligations);
        document.body.setAttribute('data-ready', 'true');
      },
      function (err) {
        if (mine === seq) countEl.textContent = err.message;
      },
    );
  }

  function fillOptions(records) {
    var units = {};
    records.forEach(function (r) {
      r.lead.concat(r.partners).forEach(function (u) {
        units[u] = true;
      });
    });
    Object.keys(units)
      .sort(function (a, b) {
        return a.localeCompare(b, 'vi');
      })
      .forEach(function (u) {
        unitSel.appendChild(el('option', { value: u }, u));
      });
    var kinds = {};
    records.forEach(function (r) {
      kinds[r.kind] = true;
    });
    KINDS.forEach(function (k) {
      if (kinds[k.kind]) kindSel.appendChild(el('option', { value: k.kind }, kindLabel(k.kind)));
    });
  }

  [unitSel, kindSel, dueInput].forEach(function (c) {
    c.addEventListener('change', refresh);
  });
  form.addEventListener('reset', function () {
    setTimeout(refresh, 0);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    refresh();
  });
  [csv, ics].forEach(function (a) {
    a.addEventListener('click', function (e) {
      // Plain links cannot send the key header; with a key, fetch the file instead.
      if (!P.apiKey()) return;
      e.preventDefault();
      P.download(a.getAttribute('href'), 'plancite-' + id + (a === csv ? '.csv' : '.ics'));
    });
  });

  docLink.href = '/documents/' + encodeURIComponent(id) + (P.lang === 'en' ? '?lang=en' : '');
  docLink.textContent = t('Văn bản', 'Document');

  fetch('/assets/task-kinds.json')
    .then(function (r) {
      return r.ok ? r.json() : { kinds: [] };
    })
    .then(function (k) {
      KINDS = k.kinds;
      return P.apiGet('/api/documents/' + encodeURIComponent(id));
    })
    .then(function (doc) {
      var m = doc.meta;
      document.title = t('Bảng nhiệm vụ — ', 'Task register — ') + (m.number || m.title);
      titleEl.textContent = t('Bảng nhiệm vụ: ', 'Task register: ') + m.title;
      metaEl.textContent = [m.number, m.issuer, m.date].filter(Boolean).join(' · ');
      return P.apiGet(query());
    })
    .then(
      function (body) {
        fillOptions(body.obligations);
        // Links from answers open the view filtered: ?unit=…&kind=…&dueBefore=YYYY-MM-DD.
        var preset = { unit: P.params.get('unit'), kind: P.params.get('kind'), due: P.params.get('dueBefore') };
        if (preset.unit) {
          if (!Array.prototype.some.call(unitSel.options, function (o) { return o.value === preset.unit; })) unitSel.appendChild(el('option', { value: preset.unit }, preset.unit));
          unitSel.value = preset.unit;
        }
        if (preset.kind) kindSel.value = preset.kind;
        if (preset.due) dueInput.value = preset.due;
        if (preset.unit || preset.kind || preset.due) return refresh();
        render(body.obligations);
        document.body.setAttribute('data-ready', 'true');
      },
      function (err) {
        titleEl.textContent = err.message;
        document.body.setAttribute('data-ready', 'error');
      },
    );
})();
