// The digit page: draw on a free-hand canvas or on a 28×28 grid of cells, send the 784
// pixels to predict_server.py (POST /predict) and show what every model thinks.
// Plain JavaScript, no build step; served by `cd web && python -m http.server 8000`.
'use strict';

const SIZE = 28;              // MNIST images are 28×28 pixels
const CELL = 12;              // canvas pixels per MNIST pixel: 336 = 28 × 12, so the
                              // downscale is an exact average over 12×12 blocks
const CANVAS = SIZE * CELL;
// MNIST strokes are about 2.6 pixels wide on a 20-pixel-tall digit. A digit drawn at a
// comfortable 200-250 canvas pixels tall is scaled by about 1/11 on the server, so a
// 28-pixel pen gives MNIST's stroke width; a thin pen gives faint, broken strokes.
const STROKE_WIDTH = 28;
const INK = '#111418';

const $ = (id) => document.getElementById(id);
const percent = (fraction, digits = 2) => `${(100 * fraction).toFixed(digits)}%`;

const state = {
  mode: 'freehand',
  erasing: false,
  cells: new Uint8Array(SIZE * SIZE),   // grid mode: 1 = inked
  panels: new Map(),                     // model name → its panel's elements
  lastRequest: 0,                        // only the newest drawing's answer is shown
};

// ------------------------------------------------------------------ free-hand canvas

const freehand = $('freehand');
const freehandContext = freehand.getContext('2d', { willReadFrequently: true });

function canvasPoint(canvas, event) {
  // The canvas may be shown smaller than its 336×336 pixels (narrow screens).
  const box = canvas.getBoundingClientRect();
  return { x: (event.clientX - box.left) * (canvas.width / box.width),
           y: (event.clientY - box.top) * (canvas.height / box.height) };
}

function strokeTo(from, to) {
  const ctx = freehandContext;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = STROKE_WIDTH;
  ctx.strokeStyle = INK;
  ctx.beginPath();
  ctx.moveTo(from.x, from.y);
  ctx.lineTo(to.x, to.y);
  ctx.stroke();
}

function setupFreehand() {
  let last = null;
  freehand.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    freehand.setPointerCapture(event.pointerId);
    last = canvasPoint(freehand, event);
    strokeTo(last, last);  // a tap leaves a dot
  });
  freehand.addEventListener('pointermove', (event) => {
    if (!last) return;
    // Coalesced events keep fast strokes smooth where the browser batches moves.
    const moves = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const move of moves.length ? moves : [event]) {
      const point = canvasPoint(freehand, move);
      strokeTo(last, point);
      last = point;
    }
  });
  const endStroke = () => {
    if (!last) return;
    last = null;
    predict();
  };
  freehand.addEventListener('pointerup', endStroke);
  freehand.addEventListener('pointercancel', endStroke);
}

function freehandPixels() {
  // Ink is the canvas's alpha; each MNIST pixel is the mean of its 12×12 block (0..255).
  const { data } = freehandContext.getImageData(0, 0, CANVAS, CANVAS);
  const sums = new Float64Array(SIZE * SIZE);
  for (let y = 0; y < CANVAS; y++) {
    const row = Math.floor(y / CELL) * SIZE;
    for (let x = 0; x < CANVAS; x++) sums[row + Math.floor(x / CELL)] += data[(y * CANVAS + x) * 4 + 3];
  }
  return Array.from(sums, (sum) => Math.round(sum / (CELL * CELL)));
}

// ------------------------------------------------------------------ 28×28 grid

const grid = $('grid');
const gridContext = grid.getContext('2d');

function drawGrid() {
  const ctx = gridContext;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, CANVAS, CANVAS);
  ctx.fillStyle = INK;
  state.cells.forEach((inked, i) => {
    if (inked) ctx.fillRect((i % SIZE) * CELL, Math.floor(i / SIZE) * CELL, CELL, CELL);
  });
  ctx.strokeStyle = '#e6e8ef';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let k = 1; k < SIZE; k++) {
    ctx.moveTo(k * CELL + 0.5, 0); ctx.lineTo(k * CELL + 0.5, CANVAS);
    ctx.moveTo(0, k * CELL + 0.5); ctx.lineTo(CANVAS, k * CELL + 0.5);
  }
  ctx.stroke();
}

function cellAt(event) {
  const { x, y } = canvasPoint(grid, event);
  const clamp = (v) => Math.min(SIZE - 1, Math.max(0, Math.floor(v / CELL)));
  return { col: clamp(x), row: clamp(y) };
}

function paintCells(from, to, value) {
  // Every cell on the segment, so a fast drag leaves no gaps.
  const steps = Math.max(Math.abs(to.col - from.col), Math.abs(to.row - from.row));
  for (let s = 0; s <= steps; s++) {
    const t = steps ? s / steps : 0;
    const row = Math.round(from.row + (to.row - from.row) * t);
    const col = Math.round(from.col + (to.col - from.col) * t);
    state.cells[row * SIZE + col] = value;
  }
  drawGrid();
}

function setupGrid() {
  let last = null;
  let value = 1;
  grid.addEventListener('contextmenu', (event) => event.preventDefault());
  grid.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    grid.setPointerCapture(event.pointerId);
    // Erase with the eraser tool, the right mouse button or a pen's eraser end.
    value = state.erasing || event.button === 2 || event.button === 5 ? 0 : 1;
    last = cellAt(event);
    paintCells(last, last, value);
  });
  grid.addEventListener('pointermove', (event) => {
    if (!last) return;
    const cell = cellAt(event);
    paintCells(last, cell, value);
    last = cell;
  });
  const endStroke = () => {
    if (!last) return;
    last = null;
    predict();
  };
  grid.addEventListener('pointerup', endStroke);
  grid.addEventListener('pointercancel', endStroke);
  drawGrid();
}

// ------------------------------------------------------------------ modes and tools

function setMode(mode) {
  state.mode = mode;
  for (const tab of document.querySelectorAll('.tabs button')) {
    tab.setAttribute('aria-selected', String(tab.dataset.mode === mode));
  }
  freehand.hidden = mode !== 'freehand';
  grid.hidden = mode !== 'grid';
  $('eraser').hidden = mode !== 'grid';
  $('hint').textContent = mode === 'grid'
    ? 'Click and drag to ink cells; right-drag or the eraser removes them.'
    : 'Draw with a mouse, pen or finger; the models answer when you lift it.';
  predict();
}

function toggleEraser() {
  state.erasing = !state.erasing;
  $('eraser').setAttribute('aria-pressed', String(state.erasing));
}

function clearDrawing() {
  if (state.mode === 'grid') {
    state.cells.fill(0);
    drawGrid();
  } else {
    freehandContext.clearRect(0, 0, CANVAS, CANVAS);
  }
  predict();
}

function currentImage() {
  // The grid posts 0/1 like the original page; the canvas posts grey levels 0..255.
  return state.mode === 'grid'
    ? { image: Array.from(state.cells), max_value: 1 }
    : { image: freehandPixels(), max_value: 255 };
}

// ------------------------------------------------------------------ server (server.js)

async function connect() {
  stopReconnecting();
  localStorage.setItem(SERVER_KEY, serverUrl());
  setStatus('unknown', 'connecting…');
  try {
    await refreshPanels();
    setStatus('ok', modelCount());
    showMessage('');
    predict();
    showFeedbackCount();
  } catch (error) {
    showServerError(error);
  }
}

async function refreshPanels() {
  const { models } = await callServer('/models');
  buildPanels(models);
}

async function predict() {
  const request = ++state.lastRequest;
  const { image, max_value } = currentImage();
  if (!image.some((v) => v > 0)) {
    showBlank();
    return;
  }
  const started = performance.now();
  const stopWaiting = whileWaiting(() => {
    if (request !== state.lastRequest) return;
    showBlank('waiting for the server…');  // not the answer to an older drawing
    setStatus('unknown', 'waiting…');
  });
  try {
    const answer = await callServer('/predict', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ image, max_value, preprocess: $('preprocess').checked }),
    });
    if (request !== state.lastRequest) return;  // a newer drawing is on its way
    if (panelsOutOfDate(answer)) await refreshPanels();
    if (request !== state.lastRequest) return;
    showAnswer(answer, performance.now() - started);
    setStatus('ok', modelCount());
    showMessage('');
    offerFeedback({ image, max_value });
  } catch (error) {
    if (request !== state.lastRequest) return;
    showBlank('no answer for this drawing');  // never the last drawing's answer
    showServerError(error);
  } finally {
    stopWaiting();
  }
}

function panelsOutOfDate(answer) {
  // The panels come from GET /models; the server may have reloaded a model, loaded or
  // unloaded one, or remade its ensemble since (each answer names the version it is).
  const names = answer.models.map((result) => result.name);
  return names.length !== state.panels.size || answer.models.some(
    (result) => state.panels.get(result.name)?.version !== result.version);
}

// ------------------------------------------------------------------ results

function buildPanels(models) {
  const container = $('models');
  container.replaceChildren();
  state.panels.clear();
  for (const model of models) addPanel(model);
}

function addPanel({ name, version, test_accuracy: test, drawn_test_accuracy: drawn, members,
                   method }) {
  const panel = $('model-panel').content.firstElementChild.cloneNode(true);
  panel.dataset.model = name;
  panel.classList.add('idle');
  if (members) markEnsemble(panel, members, method, drawn);
  panel.querySelector('.model-name').textContent = name;
  panel.querySelector('.model-accuracy').textContent =
    typeof test === 'number' ? `test ${percent(test)}` : '';
  const bars = panel.querySelector('.bars');
  const fills = [];
  for (let digit = 0; digit < 10; digit++) {
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.innerHTML = `<div class="bar-fill" style="height:0%"></div><span class="bar-label">${digit}</span>`;
    bars.appendChild(bar);
    fills.push(bar);
  }
  if (members) $('models').prepend(panel); else $('models').appendChild(panel);
  state.panels.set(name, { panel, bars: fills, ensemble: Boolean(members), version });
  return state.panels.get(name);
}

// ------------------------------------------------------------------ the ensemble
// The server's `ensemble` (the loaded models combined; it lists its members): its own
// panel, first and marked, with no vote in the verdict on what the models say.
function markEnsemble(panel, members, method, drawn) {  // drawn: choose_ensemble.py's
  panel.classList.add('ensemble');
  const note = document.createElement('p');
  note.className = 'model-members';
  const how = { mean: 'mean', weighted: 'weighted mean' }[method] || 'combination';
  note.textContent = `${how} of ${members.join(', ')}` +
    (typeof drawn === 'number' ? ` · drawn digits ${percent(drawn)}` : '');
  panel.querySelector('header').after(note);
}

function isEnsemble(name) {
  return Boolean(state.panels.get(name)?.ensemble);
}

function modelCount() {
  const count = [...state.panels.values()].filter((entry) => !entry.ensemble).length;
  return `${count} model${count === 1 ? '' : 's'}`;
}

function majorityDigit(results) {
  // Most votes; a tie goes to the digit with the larger summed probability.
  const votes = new Map();
  for (const r of results) {
    const v = votes.get(r.prediction) || { count: 0, weight: 0 };
    votes.set(r.prediction, { count: v.count + 1, weight: v.weight + r.probabilities[r.prediction] });
  }
  return [...votes.entries()].sort((a, b) => b[1].count - a[1].count || b[1].weight - a[1].weight)[0][0];
}

function showAnswer(answer, roundTripMs) {
  drawSeen(answer.input);
  $('seen-note').textContent = answer.preprocessed
    ? 'normalised like MNIST: cropped, scaled to fit 20×20, centred by mass'
    : 'as drawn (normalisation off)';
  for (const { panel } of state.panels.values()) panel.classList.add('idle');
  for (const result of answer.models) {
    if (!state.panels.has(result.name)) {
      addPanel({ name: result.name, members: result.members, version: result.version });
    }
  }
  const models = answer.models.filter((r) => !isEnsemble(r.name));
  const majority = majorityDigit(models.length ? models : answer.models);
  for (const result of answer.models) {
    showResult(state.panels.get(result.name), result, result.prediction !== majority);
  }
  const agree = answer.models.every((r) => r.prediction === majority);
  const verdict = $('verdict');
  verdict.dataset.state = agree ? 'agree' : 'disagree';
  $('verdict-digit').textContent = majority;
  const dissenters = answer.models.filter((r) => r.prediction !== majority);
  $('verdict-text').textContent = agree
    ? `${models.length > 1 ? 'all ' + models.length + ' models agree' : answer.models[0].name} · ${Math.round(roundTripMs)} ms`
    : `models disagree: ${dissenters.map((r) => `${r.name} says ${r.prediction}`).join(', ')}`;
}

function showResult({ panel, bars }, result, dissent) {
  panel.classList.remove('idle');
  panel.classList.toggle('dissent', dissent);
  panel.querySelector('.model-digit').textContent = result.prediction;
  result.probabilities.forEach((p, digit) => {
    bars[digit].classList.toggle('top', digit === result.prediction);
    bars[digit].firstElementChild.style.height = percent(p, 1);
    bars[digit].title = `${digit}: ${percent(p, 1)}`;
  });
  const confidence = result.probabilities[result.prediction];
  panel.querySelector('.model-confidence').textContent = `${percent(confidence, 1)} sure`;
  panel.querySelector('.model-time').textContent = `${result.milliseconds.toFixed(2)} ms`;
}

function showBlank(why = 'Draw a digit to start') {
  withdrawFeedback();
  drawSeen(null);
  $('seen-note').textContent = '28×28, as sent to every model';
  $('verdict').dataset.state = 'empty';
  $('verdict-digit').textContent = '?';
  $('verdict-text').textContent = why;
  for (const { panel, bars } of state.panels.values()) {
    panel.classList.add('idle');
    panel.classList.remove('dissent');
    panel.querySelector('.model-digit').textContent = '–';
    panel.querySelector('.model-confidence').textContent = '';
    panel.querySelector('.model-time').textContent = '';
    for (const bar of bars) {
      bar.classList.remove('top');
      bar.firstElementChild.style.height = '0%';
    }
  }
}

function drawSeen(rows) {
  // White ink on black, the way MNIST digits are usually shown.
  const ctx = $('seen').getContext('2d');
  const pixels = ctx.createImageData(SIZE, SIZE);
  (rows || []).flat().forEach((v, i) => {
    const grey = Math.round(255 * Math.min(1, Math.max(0, v)));
    pixels.data.set([grey, grey, grey], i * 4);
  });
  for (let i = 3; i < pixels.data.length; i += 4) pixels.data[i] = 255;
  ctx.putImageData(pixels, 0, 0);
}

// ------------------------------------------------------------------ start

function setupControls() {
  for (const tab of document.querySelectorAll('.tabs button')) {
    tab.addEventListener('click', () => setMode(tab.dataset.mode));
  }
  $('clear').addEventListener('click', clearDrawing);
  $('eraser').addEventListener('click', toggleEraser);
  $('preprocess').addEventListener('change', predict);
  // ?server=URL in the page's address wins over the remembered one (links, tests).
  $('server-url').value = new URLSearchParams(location.search).get('server')
    || localStorage.getItem(SERVER_KEY) || DEFAULT_SERVER;
  $('server-form').addEventListener('submit', (event) => {
    event.preventDefault();
    connect();
  });
  $('server-url').addEventListener('change', () => {
    if ($('server-url').value.trim()) connect();  // not while the field is being cleared
  });
  document.addEventListener('keydown', (event) => {
    if (event.target.matches('input[type="url"], input[type="text"]')) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const actions = {
      c: clearDrawing, escape: clearDrawing, delete: clearDrawing, backspace: clearDrawing,
      e: () => { if (state.mode === 'grid') toggleEraser(); },
      f: () => setMode('freehand'), g: () => setMode('grid'),
    };
    const action = actions[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    action();
  });
}

setupFreehand();
setupGrid();
setupControls();
setupFeedback();
showBlank();
connect();
