"""End to end in a real browser: the static page (served by `python -m http.server`) and
predict_server.py, driven through Debian's Chromium, headless, by Selenium and chromedriver.

Needs /usr/bin/chromium and /usr/bin/chromedriver (scripts/install_browser.sh installs them
from Debian), selenium (requirements-dev.txt) and the real MNIST, since the drawn digits
must really be recognised; skips with the reason when any is missing. Screenshots go to
test-artifacts/.
"""
import os
import socket

import numpy as np
import pytest

from conftest import ROOT
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
    real MNIST (a few seconds), allowing the page's origin."""
    model_dir = tmp_path_factory.mktemp('browser') / 'model'
    train_model('nn', real_mnist, model_dir, steps=1000)
    train_model('regression', real_mnist, model_dir, steps=500)
    web = ServerProcess(['-m', 'http.server', '0', '--bind', '127.0.0.1',
                         '--directory', os.path.join(ROOT, 'web')], ready_prefix='Serving HTTP')
    try:
        predict = start_predict_server(model_dir, '--allow_origin', web.url)
        yield web, predict
        predict.stop()
    finally:
        web.stop()


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


def draw(driver, canvas, points, steps_per_segment=8):
    """Press, move through `points` (canvas pixels, 0..336) in small steps, release: the
    mouse events a person makes, sent through chromedriver."""
    from selenium.webdriver.common.action_chains import ActionChains

    box = canvas.rect
    scale = box['width'] / CANVAS

    def offset(x, y):  # Selenium moves relative to the element's centre
        return int(round((x - CANVAS / 2) * scale)), int(round((y - CANVAS / 2) * scale))

    actions = ActionChains(driver, duration=5)
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

def test_an_unreachable_server_is_explained(browser):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(('127.0.0.1', 0))
        closed_port = probe.getsockname()[1]
    use_server(browser, 'http://127.0.0.1:%d' % closed_port)
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


def test_the_page_logged_no_errors(browser):
    errors = [entry for entry in browser.get_log('browser') if entry['level'] == 'SEVERE'
              and 'net::ERR_CONNECTION_REFUSED' not in entry['message']]  # the closed port
    assert not errors
