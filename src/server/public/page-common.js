// Shared helpers of the viewer and plan pages: DOM building (text only), API calls with an optional key, UI language.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var lang = params.get('lang') === 'en' ? 'en' : 'vi';
  document.documentElement.lang = lang;
  var KEY_STORE = 'plancite.apiKey';

  /** Builds an element; text goes in as textContent, attributes via setAttribute — never HTML. */
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k) && attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function t(vi, en) {
    return lang === 'en' ? en : vi;
  }

  function apiKey() {
    try {
      return sessionStorage.getItem(KEY_STORE) || '';
    } catch (e) {
      return '';
    }
  }

  /** Shows a key form when the server requires an API key; the key is kept for this browser session only. */
  function askForKey() {
    if (document.getElementById('key-form')) return;
    var form = el('form', { id: 'key-form', class: 'notice' });
    var label = el('label', null, t('Máy chủ yêu cầu khóa API: ', 'This server requires an API key: '));
    var input = el('input', { type: 'password', autocomplete: 'off', 'aria-label': 'API key' });
    label.appendChild(input);
    form.appendChild(label);
    form.appendChild(el('button', { type: 'submit' }, 'OK'));
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      try {
        sessionStorage.setItem(KEY_STORE, input.value.trim());
      } catch (err) {
        /* storage blocked: nothing to keep */
      }
      location.reload();
    });
    var main = document.querySelector('main');
    (main || document.body).insertBefore(form, (main || document.body).firstChild);
    input.focus();
  }

  /** GETs a JSON API path; rejects with a readable message (never a stack). */
  function apiGet(path) {
    var headers = { accept: 'application/json' };
    var key = apiKey();
    if (key) headers['x-api-key'] = key;
    return fetch(path, { headers: headers }).then(
      function (res) {
        return res
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            if (res.ok) return body;
            if (res.status === 401) askForKey();
            var msg = body && body.error && body.error.message ? body.error.message : 'HTTP ' + res.status;
            if (res.status === 429) msg = t('Quá nhiều yêu cầu, vui lòng thử lại sau.', 'Too many requests, please try again later.');
            throw new Error(msg);
          });
      },
      function () {
        throw new Error(t('Không kết nối được máy chủ.', 'Cannot reach the server.'));
      },
    );
  }

  /** Downloads an API path as a file (used when a key header is needed, which plain links cannot send). */
  function download(path, filename) {
    var key = apiKey();
    return fetch(path, { headers: key ? { 'x-api-key': key } : {} })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.blob();
      })
      .then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = el('a', { href: url, download: filename });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () {
          URL.revokeObjectURL(url);
        }, 1000);
      });
  }

  /** The last path segment of the page URL, decoded: the document id. */
  function pageId() {
    var seg = location.pathname.split('/').filter(Boolean).pop() || '';
    try {
      return decodeURIComponent(seg);
    } catch (e) {
      return seg;
    }
  }

  window.plancitePage = { el: el, t: t, lang: lang, params: params, apiGet: apiGet, apiKey: apiKey, download: download, pageId: pageId };
})();
