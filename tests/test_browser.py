"""End to end in a real browser: the static page (served by `python -m http.server`) and
predict_server.py, driven through Debian's Chromium, headless, by Selenium and chromedriver.

Needs /usr/bin/chromium and /usr/bin/chromedriver (scripts/install_browser.sh installs them
from Debian), selenium (requirements-dev.txt) and the real MNIST, since the drawn digits
must really be recognised; skips with the reason when any is missing. Screenshots go to
test-artifacts/.
"""
import json
import os
import socket
import time

import numpy as np
import pytest

from conftest import ROOT
from graphs import records
from servers import ServerProcess, start_predict_server, train_model

CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
# As root, in a container, on a closed network: no sandbox, no GPU, and none of the
# background connections (without those flags Chromium's own requests get refused).
CHROMIUM_FLAGS = ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
                  '--no-first-run', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync', '--window-size=1400,1000')
ARTIFACTS = os.path.join(ROOT, 'test-artifacts')
WAIT_S = 30
CANVAS = 336  # the drawing canvases' size in their own pixels


# ---------------------------------------------------------------------------- fixtures

@pytest.fixture(scope='module')
def selenium():
    """The selenium package, or a skip saying what to install."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(path)]
    if missing:
        pytest.skip('%s not installed; run scripts/install_browser.sh' % ' and '.join(missing))
    return pytest.importorskip(
        'selenium', reason='selenium not installed; pip install -r requirements-dev.txt')


@pytest.fixture(scope='module')
def servers(selenium, real_mnist, tmp_path_factory):
    """The page's web server and a predict server with nn and regression trained on the
    real MNIST (a few seconds), allowing the page's origin and keeping feedback in
    `predict.feedback_dir`."""
    model_dir = tmp_path_factory.mktemp('browser') / 'model'
    train_model('nn', real_mnist, model_dir, steps=1000)
    train_model('regression', real_mnist, model_dir, steps=500)
    write_ensemble_record(model_dir, {'nn': 0.75, 'regression': 0.25}, drawn_test_accuracy=0.875)
    web = ServerProcess(['-m', 'http.server', '0', '--bind', '127.0.0.1',
                         '--directory', os.path.join(ROOT, 'web')], ready_prefix='Serving HTTP')
    try:
        feedback_dir = str(tmp_path_factory.mktemp('browser_feedback'))
        predict = start_predict_server(model_dir, '--allow_origin', web.url,
                                       '--feedback_dir', feedback_dir)
        predict.feedback_dir, predict.model_dir = feedback_dir, model_dir
        yield web, predict
        predict.stop()
    finally:
        web.stop()


def write_ensemble_record(model_dir, weights, **accuracies):
    """model/ensemble.json for the models in `model_dir` as they are, as choose_ensemble.py
    writes it, with these weights and accuracies."""
    members = []
    for name, weight in weights.items():
        with open(os.path.join(model_dir, name, 'model.json')) as f:
            made = json.load(f)
        checkpoint = os.path.join(model_dir, name, made['checkpoint'])
        members.append({'name': name, 'version': made['global_step'],
                        'checkpoint': made['checkpoint'], 'weight': weight,
                        'fingerprint': records.checkpoint_fingerprint(checkpoint)})
    with open(os.path.join(model_dir, 'ensemble.json'), 'w') as f:
        json.dump(dict(accuracies, method='weighted', members=members), f)


@pytest.fixture(scope='module')
def browser(selenium, servers, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument('--user-data-dir=%s' % tmp_path_factory.mktemp('chromium-profile'))
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    web, predict = servers
    driver.get('%s/index.html?server=%s' % (web.url, predict.url))
    yield driver
    driver.quit()


# ---------------------------------------------------------------------------- helpers

def element(driver, element_id):
    from selenium.webdriver.common.by import By
    return driver.find_element(By.ID, element_id)


def wait_until(driver, condition, message):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, WAIT_S).until(lambda d: condition(), message)


def use_server(driver, url):
    from selenium.webdriver.common.keys import Keys
    field = element(driver, 'server-url')
    field.clear()
    field.send_keys(url + Keys.ENTER)


def pointer_actions(driver, pointer):
    """ActionChains whose pointer is a 'mouse', a 'touch' (a finger) or a 'pen'."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.pointer_input import PointerInput

    devices = None if pointer == 'mouse' else [PointerInput(pointer, pointer)]
    return ActionChains(driver, duration=5, devices=devices)


def draw(driver, canvas, points, steps_per_segment=8, pointer='mouse'):
    """Press, move through `points` (canvas pixels, 0..336) in small steps, release: the
    pointer events a person makes with a mouse, a finger or a pen, sent through
    chromedriver."""
    box = canvas.rect
    scale = box['width'] / CANVAS

    def offset(x, y):  # Selenium moves relative to the element's centre
        return int(round((x - CANVAS / 2) * scale)), int(round((y - CANVAS / 2) * scale))

    actions = pointer_actions(driver, pointer)
    actions.move_to_element_with_offset(canvas, *offset(*points[0])).click_and_hold()
    for start, end in zip(points, points[1:]):
        for t in np.linspace(0, 1, steps_per_segment + 1)[1:]:
            actions.move_to_element_with_offset(
                canvas, *offset(*(np.array(start) + t * (np.array(end) - np.array(start)))))
    actions.release().perform()


def model_predictions(driver):
    """{model name: the digit its panel shows}."""
    from selenium.webdriver.common.by import By
    panels = driver.find_elements(By.CSS_SELECTOR, '.model')
    return {panel.find_element(By.CSS_SELECTOR, '.model-name').text:
            panel.find_element(By.CSS_SELECTOR, '.model-digit').text for panel in panels}


def wait_for_predictions(driver, previous_text):
    wait_until(driver, lambda: element(driver, 'verdict-text').text not in ('', previous_text)
               and all(d.isdigit() for d in model_predictions(driver).values()),
               'no predictions appeared')
    return model_predictions(driver)


def screenshot(driver, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    driver.save_screenshot(os.path.join(ARTIFACTS, name))


# ---------------------------------------------------------------------------- the tests

def closed_port_url():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(('127.0.0.1', 0))
        return 'http://127.0.0.1:%d' % probe.getsockname()[1]


def test_an_address_that_is_not_one_is_explained(browser):
    use_server(browser, 'localhost8888')  # fetched as this page's own path, it was a 404
    wait_until(browser, lambda: '"localhost8888" is not a server address' in
               element(browser, 'message').text, 'no "not a server address" message')
    assert element(browser, 'server-status').text == 'error'


def test_an_unreachable_server_is_explained(browser):
    use_server(browser, closed_port_url())
    wait_until(browser, lambda: 'Cannot reach the prediction server' in
               element(browser, 'message').text, 'no "cannot reach" message')
    assert element(browser, 'server-status').text == 'unreachable'


def test_a_free_hand_seven_is_recognised_by_every_model(browser, servers):
    _, predict = servers
    use_server(browser, predict.url)  # back from the closed port
    wait_until(browser, lambda: element(browser, 'server-status').text == '2 models',
               'the page did not connect to the predict server')
    assert not element(browser, 'message').is_displayed()
    # A seven, drawn small and off to the upper left: normalisation has to find it.
    draw(browser, element(browser, 'freehand'), [(40, 50), (170, 50), (90, 230)])
    predictions = wait_for_predictions(browser, 'Draw a digit to start')
    screenshot(browser, 'browser-freehand.png')
    assert predictions == {'nn': '7', 'regression': '7', 'ensemble': '7'}
    assert element(browser, 'verdict-digit').text == '7'
    # The 28×28 image the models saw is drawn, and the page says it was normalised.
    assert 'normalised' in element(browser, 'seen-note').text


def test_the_ensemble_panel_comes_first_and_says_what_it_combines(browser):
    from selenium.webdriver.common.by import By

    first = browser.find_element(By.CSS_SELECTOR, '#models .model')
    assert 'ensemble' in first.get_attribute('class')
    assert first.find_element(By.CLASS_NAME, 'model-name').text == 'ensemble'
    assert first.find_element(By.CLASS_NAME, 'model-members').text == (
        'weighted mean of nn, regression · drawn digits 87.50%')


def test_no_answer_to_an_older_drawing_stays_when_the_server_is_gone(browser, servers):
    from selenium.webdriver.common.by import By

    _, predict = servers
    use_server(browser, closed_port_url())  # as if the server stopped, the seven still shown
    wait_until(browser, lambda: element(browser, 'server-status').text == 'unreachable',
               'the page did not notice the server was gone')
    draw(browser, element(browser, 'freehand'), [(200, 120), (320, 120)])  # a new drawing
    wait_until(browser, lambda: element(browser, 'verdict-text').text ==
               'no answer for this drawing', 'the old answer stayed')
    assert element(browser, 'verdict-digit').text == '?'
    assert set(model_predictions(browser).values()) == {'–'}
    use_server(browser, predict.url)  # back: the drawing on the page is answered
    wait_for_predictions(browser, 'no answer for this drawing')
    assert not element(browser, 'message').is_displayed()
    browser.find_element(By.TAG_NAME, 'body').send_keys('c')


def test_the_page_fits_a_phone(browser):
    browser.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {
        'width': 375, 'height': 800, 'deviceScaleFactor': 1, 'mobile': False})
    try:
        time.sleep(0.5)  # a layout pass
        screenshot(browser, 'browser-phone.png')
        assert browser.execute_script('return document.documentElement.scrollWidth') <= 375
        for element_id in ('server-status', 'freehand'):
            assert element(browser, element_id).rect['x'] + element(
                browser, element_id).rect['width'] <= 375, element_id
    finally:
        browser.execute_cdp_cmd('Emulation.clearDeviceMetricsOverride', {})


def test_a_grid_one_and_the_clear_shortcut(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.find_element(By.TAG_NAME, 'body').send_keys('g')  # keyboard: grid mode
    grid = element(browser, 'grid')
    wait_until(browser, grid.is_displayed, 'the grid did not appear')
    before = element(browser, 'verdict-text').text
    # A one, a single cell wide, drawn cell by cell like on the original page.
    draw(browser, grid, [(190, 60), (178, 290)])
    predictions = wait_for_predictions(browser, before)
    screenshot(browser, 'browser-grid.png')
    assert predictions == {'nn': '1', 'regression': '1', 'ensemble': '1'}
    browser.find_element(By.TAG_NAME, 'body').send_keys(Keys.ESCAPE)  # keyboard: clear
    wait_until(browser, lambda: element(browser, 'verdict-digit').text == '?', 'not cleared')
    assert set(model_predictions(browser).values()) == {'–'}


def feedback_button(driver, digit):
    from selenium.webdriver.common.by import By
    return driver.find_element(By.CSS_SELECTOR, '#feedback-digits button[data-digit="%d"]'
                               % digit)


def kept_on_disk(feedback_dir):
    """The feedback set's images, labels and drawings as the server left them."""
    from graphs import extra_data
    return extra_data.read_set(feedback_dir, 'feedback', ('images', 'labels', 'drawings'))


def test_a_finger_drawn_digit_is_corrected_with_one_tap_and_kept_on_disk(browser, servers):
    from selenium.webdriver.common.by import By

    _, predict = servers
    body = browser.find_element(By.TAG_NAME, 'body')
    body.send_keys('f')  # free-hand mode
    body.send_keys('c')  # a clean canvas
    before = element(browser, 'verdict-text').text
    # A four, drawn with a finger (touch pointer events).
    draw(browser, element(browser, 'freehand'), [(110, 40), (80, 190), (230, 190)],
         pointer='touch')
    draw(browser, element(browser, 'freehand'), [(200, 60), (200, 300)], pointer='touch')
    wait_for_predictions(browser, before)
    wait_until(browser, lambda: element(browser, 'feedback').is_displayed(),
               'no digits to correct the answer with')
    # As a person would, after a look at the answer: Chrome takes a tap within its
    # double-tap time of the last touch for part of a gesture, and sends no click.
    time.sleep(1)
    pointer_actions(browser, 'touch').click(feedback_button(browser, 4)).perform()
    wait_until(browser, lambda: 'Kept as a 4' in element(browser, 'feedback-note').text,
               'the page did not confirm the drawing was kept')
    assert 'holds 1 corrected drawing' in element(browser, 'feedback-note').text
    assert not feedback_button(browser, 9).is_enabled()  # one label per drawing
    screenshot(browser, 'browser-feedback.png')
    kept = kept_on_disk(predict.feedback_dir)
    assert kept['labels'].tolist() == [4]
    drawing, image = kept['drawings'][0], kept['images'][0]
    assert 0 < (drawing > 0).mean() < 0.5 and len(np.unique(drawing)) > 2  # grey levels
    # Normalised like MNIST: the ink fits the central 20×20 box.
    rows, cols = np.nonzero(image > 25)
    assert rows.min() >= 3 and rows.max() <= 24 and cols.min() >= 3 and cols.max() <= 24


def test_a_pen_drawn_grid_digit_is_corrected_with_a_key(browser, servers):
    from selenium.webdriver.common.by import By

    _, predict = servers
    body = browser.find_element(By.TAG_NAME, 'body')
    body.send_keys('g')
    body.send_keys('c')
    before = element(browser, 'verdict-text').text
    draw(browser, element(browser, 'grid'), [(150, 60), (150, 290)], pointer='pen')
    wait_for_predictions(browser, before)
    wait_until(browser, lambda: feedback_button(browser, 1).is_enabled(), 'nothing to correct')
    body.send_keys('1')
    wait_until(browser, lambda: 'holds 2 corrected drawings' in
               element(browser, 'feedback-note').text, 'the key sent no feedback')
    kept = kept_on_disk(predict.feedback_dir)
    assert kept['labels'].tolist() == [4, 1]
    assert set(np.unique(kept['drawings'][1])) == {0, 255}  # the grid's cells, as sent


def test_a_server_that_keeps_no_feedback_offers_no_digits(browser, servers):
    from selenium.webdriver.common.by import By

    web, predict = servers
    keeps_none = start_predict_server(predict.model_dir, '--allow_origin', web.url)
    try:
        use_server(browser, keeps_none.url)
        wait_until(browser, lambda: element(browser, 'server-status').text == '2 models',
                   'the page did not connect to the second server')
        browser.find_element(By.TAG_NAME, 'body').send_keys('c')
        before = element(browser, 'verdict-text').text
        draw(browser, element(browser, 'grid'), [(150, 60), (150, 290)])
        wait_for_predictions(browser, before)
        time.sleep(1)  # GET /feedback has answered 404 by now
        assert not element(browser, 'feedback').is_displayed()
        assert element(browser, 'feedback-note').text == ''
    finally:
        keeps_none.stop()


def test_the_panels_follow_a_new_ensemble(browser, servers):
    """The server remakes its ensemble when ensemble.json changes (or a model is
    reloaded): the next answer's versions tell the page to describe it again."""
    from selenium.webdriver.common.by import By

    _, predict = servers
    use_server(browser, predict.url)
    wait_until(browser, lambda: element(browser, 'server-status').text == '2 models',
               'the page did not connect')
    write_ensemble_record(predict.model_dir, {'nn': 0.5, 'regression': 0.5},
                          drawn_test_accuracy=0.9)
    try:
        wait_until(browser, lambda: predict_server_weights(predict) == {
            'nn': 0.5, 'regression': 0.5}, 'the server did not read the new ensemble.json')
        body = browser.find_element(By.TAG_NAME, 'body')
        body.send_keys('c')
        draw(browser, element(browser, 'grid'), [(150, 60), (150, 290)])
        wait_until(browser, lambda: ensemble_note(browser) == (
            'weighted mean of nn, regression · drawn digits 90.00%'),
            'the ensemble panel still describes the old ensemble')
    finally:
        write_ensemble_record(predict.model_dir, {'nn': 0.75, 'regression': 0.25},
                              drawn_test_accuracy=0.875)


def ensemble_note(driver):
    """The ensemble panel's description, or None while the panels are being rebuilt."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    try:
        return driver.find_element(By.CLASS_NAME, 'model-members').text
    except StaleElementReferenceException:
        return None


def predict_server_weights(predict):
    import urllib.request
    with urllib.request.urlopen(predict.url + '/models', timeout=10) as answer:
        models = json.load(answer)['models']
    return [model for model in models if model['name'] == 'ensemble'][0]['weights']


def test_the_page_logged_no_errors(browser):
    errors = [entry for entry in browser.get_log('browser') if entry['level'] == 'SEVERE'
              and 'net::ERR_CONNECTION_REFUSED' not in entry['message']  # the closed port
              and '/feedback - Failed to load resource' not in entry['message']]  # kept none
    assert not errors
