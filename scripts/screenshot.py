"""Refresh docs/screenshot.png, the README's picture of the drawing page: a 3 drawn free-hand
with real pointer moves, the answers, the correction digits, in headless Chromium. It starts
and stops the real servers on free ports (predict_server.py, its feedback in a temporary
folder; web/ by http.server). Needs chromium, chromedriver and selenium (requirements-dev).

    python scripts/screenshot.py [--out docs/screenshot.png] [--model_dir model]
"""
import argparse
import importlib.util
import math
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from graphs.messages import one_line  # noqa: E402  (needs the project on the path)

CHROMIUM, CHROMEDRIVER = '/usr/bin/chromium', '/usr/bin/chromedriver'
# As tests/test_browser.py's (root, a container, a closed network); all of the page shows.
CHROMIUM_FLAGS = ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
                  '--no-first-run', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync', '--hide-scrollbars',
                  '--window-size=1280,1000')
WAIT_S = 120  # the predict server loads every model before it answers
CANVAS = 336  # the free-hand canvas's size in its own pixels


def start(work, children, *args):
    """`python ARGS` in a child process (into children), output in a file: its Serving URL."""
    log_path = os.path.join(work, 'child%d.log' % len(children))
    with open(log_path, 'w') as log:
        children.append(subprocess.Popen((sys.executable, '-u') + args, cwd=ROOT, stdout=log,
                                         stderr=subprocess.STDOUT))
    with open(log_path) as log:
        output, deadline = '', time.time() + WAIT_S
        while time.time() < deadline and children[-1].poll() is None:
            output += log.read()
            found = re.search(r'^Serving.*?(http://[\w.]+:\d+)', output, re.M)
            if found:
                return found.group(1)
            time.sleep(0.2)
    raise RuntimeError('%s did not start: %s' % (args[args[0] == '-m'],  # its last words
                                                 (output.strip().splitlines() or ['-'])[-1]))


def three():
    """A 3 as a pen goes, two arcs, the upper one smaller: canvas pixels from its centre."""
    def arc(cx, cy, r, start, end, n=40):
        return [(cx + r * math.cos(math.radians(a)), cy + r * math.sin(math.radians(a)))
                for a in (start + (end - start) * i / n for i in range(n + 1))]
    return arc(-3, -56, 58, -155, 105) + arc(-3, 60, 66, -105, 150)


def draw_three(actions, canvas):
    """Press, move through three() (a few pixels apart), release: a mouse's events."""
    scale = canvas.rect['width'] / CANVAS  # Selenium's offsets: from the centre, page pixels
    offsets = [(round(x * scale), round(y * scale)) for x, y in three()]
    actions.move_to_element_with_offset(canvas, *offsets[0]).click_and_hold()
    for offset in offsets[1:]:
        actions.move_to_element_with_offset(canvas, *offset)
    actions.release().perform()


def shoot(page_url, out, profile):
    """Draw the 3, wait for every answer and the digits, save the screenshot: the verdict."""
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + ('--user-data-dir=' + profile,):
        options.add_argument(flag)
    with webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options) as driver:
        driver.get(page_url)
        wait = WebDriverWait(driver, WAIT_S)
        wait.until(lambda d: d.find_element(By.ID, 'server-status').text.endswith('models'),
                   'the page did not connect to the predict server')
        draw_three(webdriver.ActionChains(driver, 5), driver.find_element(By.ID, 'freehand'))
        wait.until(lambda d: all(
            e.text.isdigit() for e in d.find_elements(By.CSS_SELECTOR, '.model-digit'))
            and d.find_element(By.ID, 'feedback').is_displayed(), 'no answers came')
        time.sleep(1)  # the bars' transitions end
        driver.save_screenshot(out)
        return driver.find_element(By.ID, 'verdict-text').text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--out', default=os.path.join(ROOT, 'docs', 'screenshot.png'))
    parser.add_argument('--model_dir', default=os.path.join(ROOT, 'model'))
    args = parser.parse_args()
    if not all(os.path.exists(path) for path in (CHROMIUM, CHROMEDRIVER)):
        sys.exit('screenshot: chromium or chromedriver missing; run scripts/install_browser.sh')
    if importlib.util.find_spec('selenium') is None:
        sys.exit('screenshot: selenium not installed; pip install -r requirements-dev.txt')
    children = []
    with tempfile.TemporaryDirectory() as work:
        try:
            web = start(work, children, '-m', 'http.server', '0', '--bind', '127.0.0.1',
                        '--directory', os.path.join(ROOT, 'web'))
            predict = start(work, children, 'predict_server.py', '--port', '0', '--model_dir',
                            args.model_dir, '--feedback_dir', os.path.join(work, 'feedback'),
                            '--allow_origin', web)
            verdict = shoot('%s/index.html?server=%s' % (web, predict),
                            os.path.abspath(args.out), os.path.join(work, 'chromium'))
        except Exception as error:  # selenium's, the servers' and ours: one line, no trace
            sys.exit('screenshot: %s' % one_line(error))
        finally:
            for child in children:
                child.terminate()
                child.wait()
    print('wrote %s (%s)' % (args.out, verdict))


if __name__ == '__main__':
    main()
