// Document viewer: outline + full text, the target section (URL hash) scrolled into view, the quote (?q=) in a <mark>.
// The text is inserted as text nodes only; marks and anchors are built with DOM APIs.
(function () {
  'use strict';
  var P = window.plancitePage;
  var el = P.el;
  var t = P.t;
  var id = P.pageId();
  var quote = P.params.get('q') || '';
  var doc = null;

  /** Outline entries shown in the navigation (bullets and table rows would drown it). */
  var OUTLINE_KINDS = { part: 1, item: 1, subitem: 1, point: 1, article: 1, appendix: 1, table: 1 };
  /** Longest heading text shown in the outline. */
  var OUTLINE_HEADING_CHARS = 90;

  var titleEl = document.getElementById('doc-title');
  var metaEl = document.getElementById('doc-meta');
  var lineageEl = document.getElementById('doc-lineage');
  var statusEl = document.getElementById('quote-status');
  var textEl = document.getElementById('doc-text');
  var outlineEl = document.querySelector('#outline ol');
  var planLink = document.getElementById('plan-link');

  function hashPath() {
    var h = location.hash.slice(1);
    try {
      return decodeURIComponent(h);
    } catch (e) {
      return h;
    }
  }

  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }

  /** Finds the quote: inside the target section first, then anywhere; whitespace differences are tolerated. */
  function findQuote(text, q, section) {
    if (!q) return null;
    var from = section ? section.start : 0;
    var i = text.indexOf(q, from);
    if (i >= 0 && (!section || i + q.length <= section.end)) return { start: i, end: i + q.length };
    i = text.indexOf(q);
    if (i >= 0) return { start: i, end: i + q.length };
    var words = q.trim().split(/\s+/).map(escapeRegExp);
    if (!words.length || !words[0]) return null;
    var re = new RegExp(words.join('\\s+'), 'g');
    re.lastIndex = from;
    var m = re.exec(text);
    if (!m && from > 0) {
      re.lastIndex = 0;
      m = re.exec(text);
    }
    return m ? { start: m.index, end: m.index + m[0].length } : null;
  }

  function draw(targetPath) {
    var text = doc.text;
    var sections = doc.outline;
    var target = null;
    for (var s = 0; s < sections.length; s++) if (sections[s].path === targetPath) target = sections[s];
    var q = findQuote(text, quote, target);

    var cuts = [0, text.length];
    var startsAt = {};
    sections.forEach(function (sec) {
      cuts.push(sec.start);
      (startsAt[sec.start] = startsAt[sec.start] || []).push(sec);
    });
    if (target) cuts.push(target.start, target.end);
    if (q) cuts.push(q.start, q.end);
    cuts = cuts
      .filter(function (x, i, a) {
        return x >= 0 && x <= text.length && a.indexOf(x) === i;
      })
      .sort(function (a, b) {
        return a - b;
      });

    while (textEl.firstChild) textEl.removeChild(textEl.firstChild);
    var anchors = {};
    var targetBox = null;
    var firstMark = null;
    function containerFor(offset) {
      if (target && offset >= target.start && offset < target.end) {
        if (!targetBox) {
          targetBox = el('div', { class: 'target', 'data-path': target.path });
          textEl.appendChild(targetBox);
        }
        return targetBox;
      }
      return textEl;
    }
    for (var c = 0; c < cuts.length - 1; c++) {
      var a = cuts[c];
      var b = cuts[c + 1];
      (startsAt[a] || []).forEach(function (sec) {
        var anchor = el('span', { class: 'anchor', 'data-path': sec.path });
        anchors[sec.path] = anchor;
        containerFor(a).appendChild(anchor);
      });
      var node = document.createTextNode(text.slice(a, b));
      if (q && a >= q.start && b <= q.end) {
        var mark = el('mark');
        mark.appendChild(node);
        if (!firstMark) {
          firstMark = mark;
          mark.id = 'quote';
        }
        containerFor(a).appendChild(mark);
      } else {
        containerFor(a).appendChild(node);
      }
    }

    var links = outlineEl.querySelectorAll('a');
    for (var l = 0; l < links.length; l++) links[l].setAttribute('aria-current', links[l].getAttribute('data-path') === targetPath ? 'true' : 'false');

    statusEl.hidden = true;
    if (targetPath && !target) {
      statusEl.hidden = false;
      statusEl.textContent = t('Văn bản không có mục “' + targetPath + '”.', 'The document has no section “' + targetPath + '”.');
    } else if (quote) {
      statusEl.hidden = false;
      statusEl.textContent = q
        ? t('Đoạn trích dẫn được đánh dấu bên dưới.', 'The quoted passage is highlighted below.')
        : t('Không tìm thấy đoạn trích dẫn trong văn bản.', 'The quoted passage was not found in the document.');
    }
    var focus = firstMark || (target && anchors[target.path]) || null;
    if (focus) focus.scrollIntoView({ block: firstMark ? 'center' : 'start' });
  }

  function renderOutline() {
    doc.outline.forEach(function (sec) {
      if (!OUTLINE_KINDS[sec.kind]) return;
      var heading = (sec.heading || '').replace(/\s+/g, ' ');
      if (heading.length > OUTLINE_HEADING_CHARS) heading = heading.slice(0, OUTLINE_HEADING_CHARS - 1) + '…';
      var li = el('li');
      li.style.paddingLeft = Math.max(0, sec.depth - 1) * 12 + 'px';
      li.appendChild(el('a', { href: '#' + encodeURIComponent(sec.path), 'data-path': sec.path }, sec.label + '. ' + heading));
      outlineEl.appendChild(li);
    });
  }

  function renderMeta() {
    var m = doc.meta;
    document.title = (m.number || m.title) + ' — plancite';
    titleEl.textContent = m.title;
    var parts = [];
    var number = m.number || (m.numberInferred && m.numberInferred.value) || null;
    if (number) parts.push(t('Số ', 'No. ') + number + (m.number ? '' : t(' (suy ra từ văn bản khác)', ' (inferred from another document)')));
    if (m.type) parts.push(m.type);
    if (m.issuer) parts.push(m.issuer);
    var date = m.date || (m.dateInferred && m.dateInferred.value);
    if (date) parts.push(date);
    metaEl.textContent = parts.join(' · ');
    if (doc.lineage.implements.length) lineageEl.appendChild(document.createTextNode(t('Thực hiện: ', 'Implements: ') + doc.lineage.implements.join(', ')));
    if (doc.lineage.implementedBy.length) {
      lineageEl.appendChild(document.createTextNode((doc.lineage.implements.length ? ' · ' : '') + t('Được triển khai bởi: ', 'Implemented by: ')));
      doc.lineage.implementedBy.forEach(function (otherId, i) {
        if (i) lineageEl.appendChild(document.createTextNode(', '));
        lineageEl.appendChild(el('a', { href: '/documents/' + encodeURIComponent(otherId) }, otherId));
      });
    }
    planLink.href = '/plans/' + encodeURIComponent(m.id) + (P.lang === 'en' ? '?lang=en' : '');
    planLink.textContent = t('Bảng nhiệm vụ', 'Task register');
    planLink.hidden = false;
  }

  P.apiGet('/api/documents/' + encodeURIComponent(id) + '?include=text').then(
    function (body) {
      doc = body;
      renderMeta();
      renderOutline();
      draw(hashPath());
      window.addEventListener('hashchange', function () {
        draw(hashPath());
      });
      document.body.setAttribute('data-ready', 'true');
    },
    function (err) {
      titleEl.textContent = err.message;
      document.body.setAttribute('data-ready', 'error');
    },
  );
})();
