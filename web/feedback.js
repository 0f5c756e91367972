// The page's feedback: after an answer, one click on a digit (or a key 0–9) says what the
// drawing really was. The drawing the models answered for is sent with that label to
// POST /feedback, which keeps it for training, and the page shows how many the server
// holds. Loaded before server.js and app.js, whose callServer and $ it uses once the page
// runs, and
// which calls offerFeedback, withdrawFeedback and showFeedbackCount.
'use strict';

const feedback = {
  drawing: null,  // { image, max_value } answered for, until labelled
  kept: true,     // whether the server keeps feedback (GET /feedback answers)
};

function setupFeedback() {
  for (let digit = 0; digit < 10; digit++) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = String(digit);
    button.dataset.digit = String(digit);
    button.addEventListener('click', () => sendFeedback(digit));
    $('feedback-digits').appendChild(button);
  }
  document.addEventListener('keydown', (event) => {
    if (event.target.matches('input[type="url"], input[type="text"]')) return;
    if (event.ctrlKey || event.metaKey || event.altKey || !/^[0-9]$/.test(event.key)) return;
    event.preventDefault();
    sendFeedback(Number(event.key));
  });
}

function offerFeedback(drawing) {
  feedback.drawing = drawing;
  $('feedback').hidden = !feedback.kept;
  for (const button of $('feedback-digits').children) {
    button.disabled = false;
    button.setAttribute('aria-pressed', 'false');
  }
}

function withdrawFeedback() {
  feedback.drawing = null;
  $('feedback').hidden = true;
}

async function sendFeedback(digit) {
  const drawing = feedback.drawing;
  if (!drawing) return;  // nothing answered yet, or this drawing is labelled already
  feedback.drawing = null;
  for (const button of $('feedback-digits').children) {
    button.disabled = true;
    button.setAttribute('aria-pressed', String(button.dataset.digit === String(digit)));
  }
  try {
    const summary = await callServer('/feedback', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ image: drawing.image, max_value: drawing.max_value, label: digit }),
    });
    $('feedback-note').textContent = `Kept as a ${digit}, thank you. ${heldText(summary)}`;
  } catch (error) {
    $('feedback-note').textContent = `Not kept: ${error.message}`;
    if (!feedback.drawing) offerFeedback(drawing);  // try again, unless redrawn meanwhile
  }
}

function heldText({ total }) {
  return `The server holds ${total} corrected drawing${total === 1 ? '' : 's'}.`;
}

async function showFeedbackCount() {
  try {
    $('feedback-note').textContent = heldText(await callServer('/feedback'));
    feedback.kept = true;
  } catch (error) {  // a server that keeps no feedback: no digits to click
    feedback.kept = false;
    $('feedback-note').textContent = '';
  }
  $('feedback').hidden = !(feedback.kept && feedback.drawing);
}
