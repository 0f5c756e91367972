// Talking to predict_server.py: its address, one request with a deadline, and what the
// page says about the server (the status beside the address, the message under the bar).
'use strict';

const DEFAULT_SERVER = 'http://127.0.0.1:8888';
const SERVER_KEY = 'digits.predictServer';
// The models answer in milliseconds: a server silent for this long is stuck (stopped,
// overloaded, behind a dead proxy), and the page says so instead of waiting for ever.
const ANSWER_TIMEOUT_MS = 10000;
const WAITING_AFTER_MS = 1000;     // then the page shows that it is still waiting
const RECONNECT_EVERY_MS = 5000;   // while the server is unreachable, try again this often

class ServerError extends Error {
  constructor(message, { unreachable = false } = {}) {
    super(message);
    this.unreachable = unreachable;  // worth trying again later: it may come back
  }
}

function serverUrl() {
  return ($('server-url').value.trim() || DEFAULT_SERVER).replace(/\/+$/, '');
}

function checkedServerUrl() {
  // A typo ("localhost8888", "not a url") would otherwise be fetched as a path of this
  // page's own server, whose 404 says nothing about the real mistake.
  const server = serverUrl();
  let url = null;
  try { url = new URL(server); } catch { /* not a URL */ }
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    throw new ServerError(`"${server}" is not a server address: give one such as ` +
      `${DEFAULT_SERVER}.`);
  }
  return server;
}

async function callServer(path, options = {}) {
  const server = checkedServerUrl();
  let response;
  try {
    response = await fetch(server + path,
      { ...options, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
  } catch (error) {
    if (error.name === 'TimeoutError') {
      throw new ServerError(`The prediction server at ${server} did not answer within ` +
        `${ANSWER_TIMEOUT_MS / 1000} s: is it stuck or overloaded?`, { unreachable: true });
    }
    throw new ServerError(`Cannot reach the prediction server at ${server}. Start it ` +
      'with "python predict_server.py" (its --allow_origin must include this page\'s ' +
      `origin, ${location.origin}).`, { unreachable: true });
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ServerError(`The prediction server answered ${response.status}: ` +
      (body && body.error ? body.error : response.statusText));
  }
  return body;
}

function setStatus(kind, text) {
  const status = $('server-status');
  status.dataset.state = kind;
  status.textContent = text;
}

function showMessage(text) {
  const message = $('message');
  message.textContent = text || '';
  message.hidden = !text;
}

function showServerError(error) {
  setStatus('error', error.unreachable ? 'unreachable' : 'error');
  showMessage(error.message);
  if (error.unreachable) reconnectLater();
}

let reconnectTimer = null;

function reconnectLater() {
  // The server restarting is routine (a new model, a crash): the page notices it came
  // back without the user having to draw again.
  if (reconnectTimer !== null) return;
  reconnectTimer = setTimeout(connect, RECONNECT_EVERY_MS);
}

function stopReconnecting() {  // connect() was called: by the user, or by the timer
  clearTimeout(reconnectTimer);
  reconnectTimer = null;
}

function whileWaiting(show) {
  // `show` runs if an answer takes longer than WAITING_AFTER_MS; call the result to stop.
  const timer = setTimeout(show, WAITING_AFTER_MS);
  return () => clearTimeout(timer);
}
