// plancite chat widget: one <script> tag adds a bubble and a chat panel (Shadow DOM) that streams cited answers over SSE.
// Every piece of answer or document text is inserted with textContent / createTextNode — never as HTML.
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || window.__planciteWidgetLoaded) return;
  window.__planciteWidgetLoaded = true;

  /** Turns of the conversation sent with a question (older ones add nothing to follow-up resolution). */
  var HISTORY_SENT = 10;
  /** Turns kept in sessionStorage for the page session. */
  var HISTORY_KEPT = 40;
  /** An answer that takes longer than this is abandoned with a message (ms). */
  var REQUEST_TIMEOUT_MS = 60000;

  var STRINGS = {
    vi: {
      title: 'Trợ lý văn bản',
      open: 'Mở trợ lý hỏi đáp văn bản',
      close: 'Đóng trợ lý',
      clear: 'Cuộc trò chuyện mới',
      inputLabel: 'Câu hỏi của bạn',
      placeholder: 'Hỏi về nghị quyết, kế hoạch… (Enter để gửi)',
      send: 'Gửi',
      thinking: 'Đang tìm trong văn bản…',
      you: 'Bạn',
      assistant: 'Trợ lý',
      sources: 'Nguồn',
      openSource: 'Mở văn bản',
      section: 'mục',
      quotes: 'Trích dẫn nguyên văn',
      refused: 'Không tìm thấy căn cứ trong văn bản.',
      offline: 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.',
      timeout: 'Máy chủ trả lời quá lâu. Vui lòng thử lại.',
      rateLimited: 'Bạn đã hỏi quá nhiều trong thời gian ngắn. Vui lòng thử lại sau {s} giây.',
      unauthorized: 'Trang này chưa được cấp quyền dùng trợ lý (thiếu hoặc sai khóa API).',
      serverError: 'Máy chủ gặp lỗi, chưa trả lời được. Vui lòng thử lại sau.',
      badInput: 'Câu hỏi chưa hợp lệ: {m}',
      welcome: 'Xin chào! Hãy đặt câu hỏi về các văn bản kế hoạch, ví dụ: “Đơn vị nào báo cáo kết quả thực hiện Nghị quyết 42, trước ngày nào?”',
    },
    en: {
      title: 'Policy assistant',
      open: 'Open the policy document assistant',
      close: 'Close the assistant',
      clear: 'New conversation',
      inputLabel: 'Your question',
      placeholder: 'Ask about resolutions, plans… (Enter to send)',
      send: 'Send',
      thinking: 'Searching the documents…',
      you: 'You',
      assistant: 'Assistant',
      sources: 'Sources',
      openSource: 'Open document',
      section: 'section',
      quotes: 'Verbatim quotes',
      refused: 'No supporting passage was found.',
      offline: 'Cannot reach the server. Please check the network and try again.',
      timeout: 'The server took too long to answer. Please try again.',
      rateLimited: 'Too many questions in a short time. Please try again in {s} seconds.',
      unauthorized: 'This page is not allowed to use the assistant (missing or wrong API key).',
      serverError: 'The server ran into a problem and could not answer. Please try again later.',
      badInput: 'The question was not accepted: {m}',
      welcome: 'Hello! Ask about the policy plans, e.g. “Which unit reports Resolution 42 results, and by when?”',
    },
  };

  var ds = script.dataset || {};
  var lang = ds.lang === 'en' ? 'en' : 'vi';
  var T = STRINGS[lang];
  var api = (ds.api || new URL(script.src, location.href).origin).replace(/\/+$/, '');
  var title = ds.title || T.title;
  var apiKey = ds.key || '';
  var storeKey = 'plancite.chat:' + api;

  var CSS = [
    ':host{all:initial}',
    '*{box-sizing:border-box}',
    '.root{position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1f24}',
    '.bubble{width:56px;height:56px;border-radius:50%;border:0;background:#0b5cad;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}',
    '.bubble:focus-visible,button:focus-visible,a:focus-visible,textarea:focus-visible{outline:3px solid #f5a623;outline-offset:2px}',
    '.bubble svg{width:28px;height:28px}',
    '.panel{position:absolute;right:0;bottom:70px;width:min(420px,calc(100vw - 40px));height:min(600px,calc(100vh - 110px));background:#fff;border:1px solid #c9d1d9;border-radius:12px;box-shadow:0 10px 30px rgba(0,0,0,.2);display:flex;flex-direction:column;overflow:hidden}',
    '.panel[hidden]{display:none}',
    'header{display:flex;align-items:center;gap:8px;padding:10px 12px;background:#0b5cad;color:#fff}',
    'header h2{flex:1;margin:0;font-size:15px;font-weight:600}',
    'header button{background:transparent;border:1px solid rgba(255,255,255,.6);color:#fff;border-radius:6px;padding:3px 8px;cursor:pointer;font:inherit;font-size:12px}',
    '.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px;background:#f6f8fa}',
    '.msg{max-width:92%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;overflow-wrap:anywhere}',
    '.msg.user{align-self:flex-end;background:#0b5cad;color:#fff}',
    '.msg.assistant{align-self:flex-start;background:#fff;border:1px solid #d0d7de}',
    '.msg.notice{align-self:stretch;background:#fff4e5;border:1px solid #f0b45b;color:#5c3b00}',
    '.msg.refused .text{color:#57606a}',
    '.who{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}',
    '.chips{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:6px;white-space:normal}',
    '.chip{display:inline-block;padding:2px 8px;border-radius:12px;background:#ddf4ff;border:1px solid #54aeff;color:#0a3069;text-decoration:none;font-size:12px}',
    '.chip:hover{background:#b6e3ff}',
    'details{margin-top:6px;white-space:normal;font-size:12px;color:#424a53}',
    'details blockquote{margin:4px 0;padding-left:8px;border-left:3px solid #d0d7de;white-space:pre-wrap}',
    'form{display:flex;gap:6px;padding:8px;border-top:1px solid #d0d7de;background:#fff}',
    'textarea{flex:1;resize:none;height:44px;padding:6px 8px;border:1px solid #8c959f;border-radius:6px;font:inherit}',
    'form button{border:0;border-radius:6px;background:#0b5cad;color:#fff;padding:0 14px;cursor:pointer;font:inherit}',
    'form button[disabled]{opacity:.5;cursor:default}',
    '.status{min-height:0;padding:0 12px;font-size:12px;color:#57606a}',
    '.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
  ].join('\n');

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) {
      return values[k] === undefined ? '' : String(values[k]);
    });
  }

  // ---- conversation kept for the page session ----
  function loadTurns() {
    try {
      var raw = sessionStorage.getItem(storeKey);
      var turns = raw ? JSON.parse(raw) : [];
      return Array.isArray(turns) ? turns : [];
    } catch (e) {
      return [];
    }
  }
  function saveTurns() {
    try {
      sessionStorage.setItem(storeKey, JSON.stringify(turns.slice(-HISTORY_KEPT)));
    } catch (e) {
      // Storage full or blocked (private mode): the conversation still works for this page view.
    }
  }
  var turns = loadTurns();

  // ---- DOM ----
  var host = el('div', { id: 'plancite-widget' });
  var shadow = host.attachShadow({ mode: 'open' });
  var style = document.createElement('style');
  style.textContent = CSS;
  shadow.appendChild(style);

  var root = el('div', { class: 'root', lang: lang });
  var panelId = 'plancite-panel';
  var bubble = el('button', { class: 'bubble', type: 'button', 'aria-label': T.open, 'aria-expanded': 'false', 'aria-controls': panelId, title: title });
  var svgNs = 'http://www.w3.org/2000/svg';
  var svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  var pathEl = document.createElementNS(svgNs, 'path');
  pathEl.setAttribute('fill', 'currentColor');
  pathEl.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6v2h2v-2H7zm4 0v2h2v-2h-2zm4 0v2h2v-2h-2z');
  svg.appendChild(pathEl);
  bubble.appendChild(svg);

  var panel = el('section', { class: 'panel', id: panelId, role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'plancite-title' });
  panel.hidden = true;
  var header = el('header');
  var h2 = el('h2', { id: 'plancite-title' }, title);
  var clearBtn = el('button', { type: 'button', class: 'clear' }, T.clear);
  var closeBtn = el('button', { type: 'button', class: 'close', 'aria-label': T.close }, '✕');
  header.appendChild(h2);
  header.appendChild(clearBtn);
  header.appendChild(closeBtn);

  var log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
  var status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  var form = el('form', { class: 'ask' });
  var inputId = 'plancite-input';
  var label = el('label', { for: inputId, class: 'visually-hidden' }, T.inputLabel);
  var input = el('textarea', { id: inputId, rows: '2', placeholder: T.placeholder, 'aria-label': T.inputLabel, maxlength: '2000' });
  var sendBtn = el('button', { type: 'submit', class: 'send' }, T.send);
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(sendBtn);

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(status);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(bubble);
  shadow.appendChild(root);

  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  // ---- rendering ----
  function viewerUrl(c) {
    var u = api + '/documents/' + encodeURIComponent(c.docId) + '?q=' + encodeURIComponent(c.quote || '');
    if (lang === 'en') u += '&lang=en';
    return u + '#' + encodeURIComponent(c.section || '');
  }

  /** Longest document title shown on a chip when the document has no number (the full title is in the tooltip). */
  var CHIP_TITLE_CHARS = 60;

  function citationTag(c) {
    // The label as a person writes it ("khoản 2 Điều 25 Bộ luật Lao động số 45/2019/QH14") when it fits a chip;
    // a longer one is shown in full in the tooltip and the quotes list, the chip keeps `number §section`.
    if (c.label && c.label.length <= CHIP_TITLE_CHARS) return c.label;
    var name = c.docNumber || c.docTitle || c.docId;
    if (!c.docNumber && name.length > CHIP_TITLE_CHARS) name = name.slice(0, CHIP_TITLE_CHARS - 1).trim() + '…';
    return name + ' §' + c.section;
  }

  function renderCitations(box, citations) {
    var old = box.querySelector('.sources');
    if (old) old.remove();
    if (!citations || !citations.length) return;
    var wrap = el('div', { class: 'sources' });
    var list = el('ul', { class: 'chips', 'aria-label': T.sources });
    var details = el('details');
    details.appendChild(el('summary', null, T.quotes + ' (' + citations.length + ')'));
    citations.forEach(function (c) {
      var li = el('li');
      var tag = citationTag(c);
      var a = el('a', {
        class: 'chip',
        href: viewerUrl(c),
        target: '_blank',
        rel: 'noopener noreferrer',
        title: c.quote || '',
        'aria-label': T.openSource + ' ' + (c.label || ((c.docNumber || c.docTitle) + ', ' + T.section + ' ' + c.section)),
        'data-doc': c.docId,
        'data-section': c.section,
      }, '[' + c.n + '] ' + tag);
      li.appendChild(a);
      list.appendChild(li);
      var bq = el('blockquote', null, '[' + c.n + '] ' + (c.label || tag) + ': “' + (c.quote || '') + '”');
      details.appendChild(bq);
    });
    wrap.appendChild(list);
    wrap.appendChild(details);
    box.appendChild(wrap);
  }

  function addMessage(role, text, extra) {
    var box = el('div', { class: 'msg ' + role });
    if (role === 'user' || role === 'assistant') box.appendChild(el('span', { class: 'who' }, (role === 'user' ? T.you : T.assistant) + ': '));
    var body = el('div', { class: 'text' }, text);
    box.appendChild(body);
    if (extra && extra.refused) box.classList.add('refused');
    if (extra && extra.citations) renderCitations(box, extra.citations);
    log.appendChild(box);
    log.scrollTop = log.scrollHeight;
    return box;
  }

  function notice(text) {
    addMessage('notice', text);
  }

  function renderAll() {
    while (log.firstChild) log.removeChild(log.firstChild);
    if (!turns.length) addMessage('assistant', T.welcome);
    turns.forEach(function (t) {
      addMessage(t.role, t.content, t.role === 'assistant' ? { citations: t.citations, refused: t.refused } : null);
    });
  }
  renderAll();

  // ---- open / close, keyboard ----
  function open() {
    panel.hidden = false;
    bubble.setAttribute('aria-expanded', 'true');
    log.scrollTop = log.scrollHeight;
    input.focus();
  }
  function close() {
    panel.hidden = true;
    bubble.setAttribute('aria-expanded', 'false');
    bubble.focus();
  }
  bubble.addEventListener('click', function () {
    if (panel.hidden) open();
    else close();
  });
  closeBtn.addEventListener('click', close);
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    submit();
  });

  var current = null;
  clearBtn.addEventListener('click', function () {
    if (current) current.abort();
    turns = [];
    saveTurns();
    renderAll();
    input.focus();
  });

  // ---- asking ----
  function setBusy(busy) {
    sendBtn.disabled = busy;
    log.setAttribute('aria-busy', busy ? 'true' : 'false');
    status.textContent = busy ? T.thinking : '';
  }

  function failureText(res, body) {
    if (res.status === 429) {
      var s = parseInt(res.headers.get('retry-after') || '', 10);
      return fill(T.rateLimited, { s: isFinite(s) && s > 0 ? s : 60 });
    }
    if (res.status === 401) return T.unauthorized;
    if (res.status === 400 || res.status === 413) return fill(T.badInput, { m: body && body.error && body.error.message ? body.error.message : res.status });
    return T.serverError;
  }

  /** Parses an SSE byte stream, calling onEvent(name, data) for each complete event. */
  function readEvents(reader, onEvent) {
    var decoder = new TextDecoder();
    var buf = '';
    function dispatch(block) {
      var name = 'message';
      var data = [];
      block.split(/\r?\n/).forEach(function (line) {
        if (line.indexOf('event:') === 0) name = line.slice(6).trim();
        else if (line.indexOf('data:') === 0) data.push(line.slice(5).replace(/^ /, ''));
      });
      if (data.length) onEvent(name, data.join('\n'));
    }
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) {
          buf += decoder.decode();
          if (buf.trim()) dispatch(buf);
          return;
        }
        buf += decoder.decode(r.value, { stream: true });
        var parts = buf.split(/\r?\n\r?\n/);
        buf = parts.pop() || '';
        parts.forEach(dispatch);
        return pump();
      });
    }
    return pump();
  }

  function submit() {
    var question = input.value.trim();
    if (!question || current) return;
    input.value = '';
    var history = turns.slice(-HISTORY_SENT).map(function (t) {
      return { role: t.role, content: t.content };
    });
    turns.push({ role: 'user', content: question });
    saveTurns();
    addMessage('user', question);
    var box = addMessage('assistant', '');
    box.setAttribute('aria-busy', 'true');
    var textEl = box.querySelector('.text');
    setBusy(true);

    var ctrl = new AbortController();
    current = ctrl;
    var timedOut = false;
    var timer = setTimeout(function () {
      timedOut = true;
      ctrl.abort();
    }, REQUEST_TIMEOUT_MS);
    var headers = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (apiKey) headers['x-api-key'] = apiKey;
    var finished = false;

    function fail(text) {
      box.remove();
      notice(text);
    }

    fetch(api + '/api/ask', { method: 'POST', headers: headers, body: JSON.stringify({ question: question, history: history }), signal: ctrl.signal })
      .then(function (res) {
        if (!res.ok || !res.body) {
          return res
            .json()
            .catch(function () {
              return null;
            })
            .then(function (body) {
              fail(failureText(res, body));
            });
        }
        var streamed = '';
        return readEvents(res.body.getReader(), function (name, data) {
          var payload;
          try {
            payload = JSON.parse(data);
          } catch (e) {
            return;
          }
          if (name === 'token') {
            streamed += payload.text || '';
            textEl.textContent = streamed;
            log.scrollTop = log.scrollHeight;
          } else if (name === 'citations') {
            renderCitations(box, payload);
          } else if (name === 'done') {
            finished = true;
            // The final answer replaces the streamed text: an LLM answer may lose unsupported citations in the post-check.
            textEl.textContent = payload.answer;
            if (payload.refused) box.classList.add('refused');
            renderCitations(box, payload.citations);
            turns.push({ role: 'assistant', content: payload.answer, citations: payload.citations, refused: payload.refused });
            saveTurns();
            log.scrollTop = log.scrollHeight;
          } else if (name === 'error') {
            finished = true;
            fail(payload && payload.code === 'bad_input' ? fill(T.badInput, { m: payload.message }) : T.serverError);
          }
        }).then(function () {
          if (!finished) fail(T.serverError);
        });
      })
      .catch(function (err) {
        if (timedOut) fail(T.timeout);
        else if (err && err.name === 'AbortError') box.remove();
        else fail(T.offline);
      })
      .then(function () {
        clearTimeout(timer);
        box.removeAttribute('aria-busy');
        current = null;
        setBusy(false);
        if (!panel.hidden) input.focus();
      });
  }
})();
