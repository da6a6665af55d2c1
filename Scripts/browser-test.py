#!/usr/bin/env python3
"""Drives the browser client of resume-optimizer-server in headless Chromium (Selenium).

Usage: Scripts/browser-test.py BASE_URL ARTIFACT_DIR

The server at BASE_URL must run with --dev (the page is offered a ready token) and a --stub-delay of a
few seconds (so that PROCESSING can be seen and a running job cancelled). The test:

1. opens the page, takes the development token, uploads Examples/Samples/resume.docx, pastes
   Examples/Samples/job-description.txt, submits, sees PROCESSING, waits for COMPLETED, checks the
   match score, keywords and warnings, follows the download link and checks the file;
2. submits a .txt without text and waits for FAILED with the message and what to do;
3. submits again and cancels the running job;
4. refuses an empty (0-byte) file before sending it;
5. checks the recent jobs list, the labels of every control, keyboard focus, the page at 360 px,
   and that the browser reported no Content-Security-Policy violation.

A screenshot of each state is saved in ARTIFACT_DIR. Exits 0 when every check passed.
"""

import json
import os
import sys
import tempfile
import time
import urllib.request
import zipfile

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "Examples", "Samples")

passed = 0
failed = 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
        print(f"  ok   {what}")
    else:
        failed += 1
        print(f"  FAIL {what}")


def make_driver(download_dir):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1100,1400", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {
        "download.default_directory": download_dir,
        "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
    })
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_dir})
    return driver


def badge(driver):
    return driver.find_element(By.ID, "status-badge").text.strip()


def wait_for_state(driver, states, timeout):
    WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: badge(d) in states)
    return badge(driver)


def submit(driver, resume_path, job_text):
    driver.find_element(By.ID, "resume").send_keys(resume_path)
    job = driver.find_element(By.ID, "job")
    job.clear()
    # The job description is pasted through the clipboard-free path: typed into the field.
    job.send_keys(job_text)
    driver.find_element(By.ID, "submit").click()


def shot(driver, artifacts, name):
    path = os.path.join(artifacts, name)
    # A full-page screenshot: the window grows to the page's height first.
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 600)")
    width = driver.execute_script("return window.innerWidth")
    driver.set_window_size(max(width, 360), min(height + 150, 4000))
    driver.save_screenshot(path)
    print(f"  saved {path}")


def wait_for_download(directory, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        names = [n for n in os.listdir(directory) if not n.endswith(".crdownload")]
        if names:
            return os.path.join(directory, names[0])
        time.sleep(0.2)
    return None


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    base = sys.argv[1].rstrip("/")
    artifacts = os.path.abspath(sys.argv[2])
    os.makedirs(artifacts, exist_ok=True)
    download_dir = tempfile.mkdtemp(prefix="resume-optimizer-downloads-")
    job_text = open(os.path.join(SAMPLES, "job-description.txt"), encoding="utf-8").read()
    driver = make_driver(download_dir)
    try:
        return run(driver, base, artifacts, download_dir, job_text)
    finally:
        driver.quit()


def run(driver, base, artifacts, download_dir, job_text):
    print("== The page and the development token")
    driver.get(base + "/")
    check(driver.title == "Resume optimizer", "the page is served at /")
    WebDriverWait(driver, 10).until(EC.visibility_of_element_located((By.ID, "use-dev-token")))
    check(True, "the page offers the development token")
    unlabeled = driver.execute_script(
        "return Array.from(document.querySelectorAll('input, textarea, select'))"
        ".filter(c => c.labels.length === 0).map(c => c.id)")
    check(unlabeled == [], f"every control has a label (unlabeled: {unlabeled})")
    check(driver.find_element(By.ID, "status").get_attribute("aria-live") == "polite",
          "status changes are announced (aria-live)")
    shot(driver, artifacts, "01-start.png")

    # Keyboard: from the token field, Tab reaches the token button, and Enter presses it.
    driver.execute_script("document.getElementById('token').focus()")
    focused = None
    for _ in range(4):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        focused = driver.switch_to.active_element.get_attribute("id")
        if focused == "use-dev-token":
            break
    check(focused == "use-dev-token", f"the token button is reached with Tab (focus on {focused!r})")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    token = driver.find_element(By.ID, "token").get_attribute("value")
    check(token.count(".") == 2, "Enter on the button fills the token field with a JWT")
    stored = driver.execute_script("return sessionStorage.getItem('resume-optimizer.token')")
    check(stored == token, "the token is kept in sessionStorage (this tab only)")
    local = driver.execute_script("return localStorage.length")
    check(local == 0, "nothing is written to localStorage")

    print("== COMPLETED: the sample .docx")
    driver.find_element(By.ID, "resume").send_keys(os.path.join(SAMPLES, "resume.docx"))
    select = Select(driver.find_element(By.ID, "format"))
    docx_option = driver.find_element(By.CSS_SELECTOR, '#format option[value="docx"]')
    with urllib.request.urlopen(base + "/openapi.json") as response:
        document = json.load(response)
    field = document["components"]["schemas"]["OptimizeRequest"]["properties"].get("outputFormat", {})
    docx_output = "docx" in field.get("enum", [])
    expected = "docx" if docx_output else "txt"
    check((docx_option.get_attribute("disabled") is None) == docx_output,
          f"docx output is offered for a .docx resume exactly when the server takes it ({docx_output})")
    check(select.first_selected_option.get_attribute("value") == expected, f"{expected} output is chosen for a .docx resume")
    submit(driver, os.path.join(SAMPLES, "resume.docx"), job_text)
    state = wait_for_state(driver, {"PROCESSING", "COMPLETED", "FAILED"}, 15)
    check(state == "PROCESSING", f"the job shows PROCESSING first (saw {state})")
    stage = driver.find_element(By.ID, "status-message").text
    check(bool(stage), f"PROCESSING shows the stage ({stage!r})")
    check(driver.find_element(By.ID, "cancel").is_displayed(), "a running job can be cancelled")
    shot(driver, artifacts, "02-processing.png")

    state = wait_for_state(driver, {"COMPLETED", "FAILED", "CANCELLED"}, 90)
    check(state == "COMPLETED", f"the job ends COMPLETED (saw {state}: "
          f"{driver.find_element(By.ID, 'status-message').text})")
    before = driver.find_element(By.ID, "score-before").text
    after = driver.find_element(By.ID, "score-after").text
    check(before.isdigit() and after.isdigit(), f"the match score before → after is shown ({before} → {after})")
    missing = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#missing li")]
    matched = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#matched li")]
    warnings = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#warnings li")]
    matched_shown = driver.find_element(By.ID, "matched-block").is_displayed()
    documented = "matchedKeywords" in document["components"]["schemas"]["JobStatus"]["properties"]
    check(matched_shown == documented, f"matched keywords are shown exactly when the server sends them ({documented})")
    check(missing != ["None"] and len(missing) >= 1, f"the missing keywords are listed ({len(missing)})")
    check(len(warnings) >= 1, f"the fact-check warnings are listed, or 'None' ({warnings[:1]})")
    link = driver.find_element(By.ID, "download")
    href = link.get_attribute("href")
    check(href.startswith(base + "/downloads/"), "the download link points to a signed download")
    shot(driver, artifacts, "03-completed.png")

    link.click()
    downloaded = wait_for_download(download_dir)
    check(downloaded is not None, f"following the link downloads a file ({downloaded and os.path.basename(downloaded)})")
    if downloaded:
        data = open(downloaded, "rb").read()
        if downloaded.endswith(".docx"):
            with zipfile.ZipFile(downloaded) as archive:
                document = archive.read("word/document.xml").decode("utf-8")
            check("Jordan" in document and "Rivera" in document, "the downloaded .docx holds the resume")
        else:
            text = data.decode("utf-8")
            check("Jordan Rivera" in text or "JORDAN RIVERA" in text, "the downloaded text holds the resume")
    with urllib.request.urlopen(href) as response:
        disposition = response.headers.get("Content-Disposition", "")
    check(disposition.startswith("attachment;"), "the link answers with an attachment")

    print("== FAILED: a .txt without text")
    blank = os.path.join(download_dir, "..", "blank-resume.txt")
    blank = os.path.abspath(blank)
    with open(blank, "w", encoding="utf-8") as handle:
        handle.write("\n   \n\t\n")
    driver.get(base + "/")
    driver.find_element(By.ID, "resume").send_keys(blank)
    check(Select(driver.find_element(By.ID, "format")).first_selected_option.get_attribute("value") == "txt",
          "text output is chosen for a .txt resume")
    submit(driver, blank, job_text)
    state = wait_for_state(driver, {"FAILED", "COMPLETED", "CANCELLED"}, 60)
    check(state == "FAILED", f"the job ends FAILED (saw {state})")
    message = driver.find_element(By.ID, "status-message").text
    hint = driver.find_element(By.ID, "status-hint").text
    check(bool(message), f"FAILED shows the message ({message!r})")
    check(hint.startswith("What to do:"), f"FAILED says what to do ({hint!r})")
    shot(driver, artifacts, "04-failed.png")

    print("== CANCELLED: cancel a running job")
    driver.find_element(By.ID, "resume").send_keys(os.path.join(SAMPLES, "resume.txt"))
    submit(driver, os.path.join(SAMPLES, "resume.txt"), job_text)
    WebDriverWait(driver, 15).until(EC.element_to_be_clickable((By.ID, "cancel")))
    driver.find_element(By.ID, "cancel").click()
    state = wait_for_state(driver, {"CANCELLED", "COMPLETED", "FAILED"}, 30)
    check(state == "CANCELLED", f"the cancelled job ends CANCELLED (saw {state})")
    shot(driver, artifacts, "05-cancelled.png")

    print("== Refusal before sending: an empty file")
    empty = os.path.abspath(os.path.join(download_dir, "..", "empty-resume.txt"))
    open(empty, "wb").close()
    driver.find_element(By.ID, "resume").send_keys(empty)
    driver.find_element(By.ID, "submit").click()
    error = driver.find_element(By.ID, "form-error")
    check(error.is_displayed() and "empty" in error.text, f"an empty file is refused ({error.text!r})")

    print("== Recent jobs, 360 px")
    driver.find_element(By.ID, "refresh-history").click()
    # The list may render again while it is read (a refresh, a job's change): read its texts in one
    # script call, so no element goes stale between finding it and reading it.
    def history_texts(d):
        return d.execute_script(
            "return Array.from(document.querySelectorAll('#history li'), li => li.innerText)")
    try:
        WebDriverWait(driver, 10).until(lambda d: len(history_texts(d)) >= 3)
    except TimeoutException:
        pass
    entries = history_texts(driver)
    check(len(entries) >= 3, f"the recent jobs list shows the jobs ({len(entries)})")
    check(any("COMPLETED" in e for e in entries) and any("FAILED" in e for e in entries)
          and any("CANCELLED" in e for e in entries), "the list shows each job's status")
    driver.set_window_size(360, 1400)
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    check(overflow <= 0, f"nothing overflows at 360 px (overflow {overflow} px)")
    driver.save_screenshot(os.path.join(artifacts, "06-narrow-360px.png"))
    print(f"  saved {os.path.join(artifacts, '06-narrow-360px.png')}")

    print("== Content-Security-Policy")
    with urllib.request.urlopen(base + "/") as response:
        policy = response.headers.get("Content-Security-Policy", "")
    check("script-src 'self'" in policy and "default-src 'none'" in policy, f"the page is sent with a strict CSP")
    logs = driver.get_log("browser")
    violations = [entry["message"] for entry in logs if "Content Security Policy" in entry["message"]]
    check(violations == [], f"the browser reported no CSP violation {violations}")
    errors = [entry["message"] for entry in logs if entry["level"] == "SEVERE" and "favicon" not in entry["message"]
              and "/status" not in entry["message"] and "/jobs" not in entry["message"]]
    check(errors == [], f"no script errors {errors}")

    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
