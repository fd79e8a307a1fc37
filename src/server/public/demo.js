// Demo page: lists the indexed documents with links to the viewer and the plan view.
(function () {
  'use strict';
  var P = window.plancitePage;
  var status = document.getElementById('doc-status');
  var table = document.querySelector('table.docs');
  var tbody = table.querySelector('tbody');
  P.apiGet('/api/documents').then(
    function (body) {
      body.documents.forEach(function (d) {
        var tr = P.el('tr');
        tr.appendChild(P.el('td', null, d.number || '—'));
        tr.appendChild(P.el('td', null, d.title));
        var td = P.el('td');
        td.appendChild(P.el('a', { href: '/documents/' + encodeURIComponent(d.id) }, 'Văn bản'));
        td.appendChild(document.createTextNode(' · '));
        td.appendChild(P.el('a', { href: '/plans/' + encodeURIComponent(d.id) }, 'Bảng nhiệm vụ'));
        tr.appendChild(td);
        tbody.appendChild(tr);
      });
      status.textContent = body.documents.length + ' văn bản';
      table.hidden = false;
    },
    function (err) {
      status.textContent = err.message;
    },
  );
})();
