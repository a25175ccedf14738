#!/usr/bin/python3
"""The visitors' search page in a real browser: Debian's chromium, headless,
driven through chromedriver (python3-selenium).

    page_test.py --indexer BIN --searchd BIN --out DIR CASE

Builds an index of the project's corpus (plus an article whose title and
body carry an editor's HTML), starts searchd on a free loopback port, and
runs one CASE (see CASES). Screenshots go to DIR. Exit 0 when the case holds.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import (NoAlertPresentException, NoSuchElementException,
                                        StaleElementReferenceException, TimeoutException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WAIT_SECONDS = 10

XSS_ARTICLE = {"id": "test-xss", "lang": "sv", "type": "news", "published": "2026-03-01",
               "title": "Zyxkvarn <img src=x onerror=alert(1)> nyhet",
               "body": "Zyxkvarn <script>alert(2)</script> labbet öppnar i Flemingsberg."}


class Site:
    """searchd over an index of the corpus, on a free loopback port."""

    def __init__(self, indexer, searchd, work):
        extra = os.path.join(work, "extra.jsonl")
        with open(extra, "w", encoding="utf-8") as f:
            f.write(json.dumps(XSS_ARTICLE, ensure_ascii=False) + "\n")
        index = os.path.join(work, "index")
        subprocess.run([indexer, "build", os.path.join(SOURCE_DIR, "corpus"), extra, "--index", index],
                       check=True, capture_output=True)
        self.process = subprocess.Popen([searchd, "--index", index, "--listen", "127.0.0.1:0"],
                                        stdout=subprocess.PIPE, stderr=open(os.path.join(work, "searchd.log"), "w"),
                                        text=True)
        address = self.process.stdout.readline().strip()
        if not address:
            raise RuntimeError("searchd did not start: see %s" % os.path.join(work, "searchd.log"))
        self.base = "http://" + address

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


def browser(javascript=True, width=1280, height=900, language="sv-SE"):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=%d,%d" % (width, height), "--lang=" + language):
        options.add_argument(flag)
    prefs = {"intl.accept_languages": language}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    service = Service(executable_path="/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def wait_for(driver, condition, what):
    try:
        # The results are swapped while the condition looks: an element found
        # a moment ago may be gone, which only means "not yet".
        return WebDriverWait(driver, WAIT_SECONDS, ignored_exceptions=(
            StaleElementReferenceException, NoSuchElementException)).until(lambda d: condition(d))
    except TimeoutException:
        raise AssertionError("waited %d s for %s; the page's URL is %s" % (WAIT_SECONDS, what, driver.current_url))


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def status_text(driver):
    return driver.find_element(By.ID, "status").text


def hits(driver):
    return driver.find_elements(By.CSS_SELECTOR, "ol.hits > li.hit")


def search_for(driver, site, text):
    driver.get(site.base + "/")
    box = driver.find_element(By.ID, "q")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)
    wait_for(driver, lambda d: "q=" in d.current_url and hits(d), "results for " + text)


# --- the cases -----------------------------------------------------------------------------------

def picking_a_suggestion_shows_highlighted_results(site, out):
    """A visitor types a Swedish query, picks a suggestion with the keyboard and sees highlighted results."""
    driver = browser()
    try:
        driver.get(site.base + "/")
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv", "a Swedish interface")
        box = driver.find_element(By.ID, "q")
        box.send_keys("forskn")
        options = wait_for(driver, lambda d: [o for o in d.find_elements(By.CSS_SELECTOR, "#suggestions li")
                                              if o.is_displayed()], "suggestions for forskn")
        check(any(o.text.startswith("forskning") for o in options),
              "a suggestion completes forskn: %s" % [o.text for o in options])
        check(box.get_attribute("aria-expanded") == "true", "the combobox says it is expanded")
        box.send_keys(Keys.ARROW_DOWN)
        chosen = driver.find_element(By.CSS_SELECTOR, "#suggestions li[aria-selected=true]").text
        check(box.get_attribute("aria-activedescendant"), "the highlighted option is announced")
        box.send_keys(Keys.ENTER)
        wait_for(driver, lambda d: "q=" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".hit mark"),
                 "highlighted results for " + chosen)
        check(chosen.split()[0] in driver.find_element(By.ID, "q").get_attribute("value"),
              "the box holds the suggestion")
        driver.save_screenshot(os.path.join(out, "suggestion-results.png"))
    finally:
        driver.quit()


def escape_closes_the_suggestions(site, out):
    """Escape closes the suggestions and leaves what was typed."""
    driver = browser()
    try:
        driver.get(site.base + "/")
        box = driver.find_element(By.ID, "q")
        box.send_keys("karol")
        wait_for(driver, lambda d: d.find_element(By.ID, "suggestions").is_displayed(), "suggestions")
        box.send_keys(Keys.ESCAPE)
        wait_for(driver, lambda d: not d.find_element(By.ID, "suggestions").is_displayed(), "suggestions closed")
        check(box.get_attribute("value") == "karol", "the typed text stays")
        check(box.get_attribute("aria-expanded") == "false", "the combobox says it is collapsed")
    finally:
        driver.quit()


def a_facet_changes_counts_and_results_and_history_restores_them(site, out):
    """Ticking a facet changes results and counts in place; back and forward restore each state."""
    driver = browser()
    try:
        search_for(driver, site, "forskning")
        before = status_text(driver)
        news = driver.find_element(By.CSS_SELECTOR, "input[name='type:news']")
        news_count = int(news.find_element(By.XPATH, "..").find_element(By.CLASS_NAME, "count").text)
        news.click()
        wait_for(driver, lambda d: "type=news" in d.current_url and status_text(d) != before,
                 "results filtered to news")
        badges = [h.find_element(By.CSS_SELECTOR, ".badge").get_attribute("class") for h in hits(driver)]
        check(badges and all("type-news" in b for b in badges), "only news: %s" % badges)
        check(str(news_count) in status_text(driver), "the status counts the %d news: %s"
              % (news_count, status_text(driver)))
        other_types = driver.find_elements(By.CSS_SELECTOR, "input[name^='type:']:not([name='type:news'])")
        check(other_types, "the other types stay listed with their counts (disjunctive)")
        check(driver.find_element(By.CSS_SELECTOR, "input[name='type:news']").is_selected(), "news stays ticked")
        chips = driver.find_elements(By.CSS_SELECTOR, ".chips a")
        check(len(chips) == 1, "one chip for the chosen filter")
        driver.save_screenshot(os.path.join(out, "facet-news.png"))
        driver.back()
        wait_for(driver, lambda d: "type=news" not in d.current_url and status_text(d) == before,
                 "back to all types")
        check(not driver.find_element(By.CSS_SELECTOR, "input[name='type:news']").is_selected(), "news unticked")
        driver.forward()
        wait_for(driver, lambda d: "type=news" in d.current_url and
                 d.find_element(By.CSS_SELECTOR, "input[name='type:news']").is_selected(), "forward to news")
    finally:
        driver.quit()


def paging_forward_and_back(site, out):
    """The next page shows the following hits; back returns to the first page."""
    driver = browser()
    try:
        search_for(driver, site, "flemingsberg")
        first = [h.text for h in hits(driver)]
        driver.find_element(By.CSS_SELECTOR, "nav.pages a[rel=next]").click()
        wait_for(driver, lambda d: "page=2" in d.current_url and
                 d.find_element(By.CSS_SELECTOR, "ol.hits").get_attribute("start") == "11", "page 2")
        check([h.text for h in hits(driver)] != first, "page 2 shows other hits")
        driver.back()
        wait_for(driver, lambda d: "page=2" not in d.current_url and
                 d.find_element(By.CSS_SELECTOR, "ol.hits").get_attribute("start") == "1", "back on page 1")
    finally:
        driver.quit()


def the_page_works_without_javascript(site, out):
    """Without JavaScript the URL renders results on the server and the form's filters work."""
    driver = browser(javascript=False)
    try:
        driver.get(site.base + "/?q=cellterapi")
        check(driver.find_elements(By.CSS_SELECTOR, ".hit mark"), "highlighted results without JavaScript")
        check("js" not in (driver.find_element(By.TAG_NAME, "html").get_attribute("class") or ""),
              "the script did not run")
        driver.find_element(By.CSS_SELECTOR, "input[name='type:event']").click()
        driver.find_element(By.CSS_SELECTOR, ".facets button.apply").click()
        wait_for(driver, lambda d: "type%3Aevent=1" in d.current_url, "the form sent")
        badges = [h.find_element(By.CSS_SELECTOR, ".badge").get_attribute("class") for h in hits(driver)]
        check(badges and all("type-event" in b for b in badges), "only events: %s" % badges)
        driver.save_screenshot(os.path.join(out, "no-javascript.png"))
    finally:
        driver.quit()


def editors_markup_is_shown_as_text(site, out):
    """An article whose title holds <img onerror> and whose body holds <script> shows them as text."""
    driver = browser()
    try:
        search_for(driver, site, "zyxkvarn")
        hit = hits(driver)[0]
        check("<img src=x onerror=alert(1)>" in hit.find_element(By.TAG_NAME, "h3").text,
              "the title's markup as text: %r" % hit.find_element(By.TAG_NAME, "h3").text)
        check(not hit.find_elements(By.TAG_NAME, "img") and not hit.find_elements(By.TAG_NAME, "script"),
              "no element from the article")
        try:
            driver.switch_to.alert
            raise AssertionError("a script from the article ran")
        except NoAlertPresentException:
            pass
    finally:
        driver.quit()


def screenshots_at_desktop_and_phone_width(site, out):
    """The page fits a desktop and a 360 px phone: screenshots for a person to look at."""
    for name, width, height in (("desktop", 1280, 1000), ("phone", 360, 1400)):
        driver = browser(width=width, height=height)
        try:
            driver.get(site.base + "/?q=cellterapi")
            wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".hit mark"), "results")
            scroll_width = driver.execute_script("return document.documentElement.scrollWidth")
            inner_width = driver.execute_script("return window.innerWidth")
            check(scroll_width <= inner_width, "%s: no sideways scrolling (%d > %d)"
                  % (name, scroll_width, inner_width))
            driver.save_screenshot(os.path.join(out, "page-%s.png" % name))
        finally:
            driver.quit()


def english_for_visitors_who_prefer_it(site, out):
    """A browser that prefers English gets the English interface; the switch goes back to Swedish."""
    driver = browser(language="en-GB")
    try:
        driver.get(site.base + "/?q=cellterapi")
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "an English interface")
        check(driver.find_element(By.CSS_SELECTOR, "#search button[type=submit]").text == "Search", "English labels")
        driver.find_element(By.CSS_SELECTOR, "a.switch").click()
        wait_for(driver, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv",
                 "the Swedish interface")
        check("q=cellterapi" in driver.current_url, "the query stays")
    finally:
        driver.quit()


CASES = {f.__name__: f for f in (picking_a_suggestion_shows_highlighted_results, escape_closes_the_suggestions,
                                 a_facet_changes_counts_and_results_and_history_restores_them,
                                 paging_forward_and_back, the_page_works_without_javascript,
                                 editors_markup_is_shown_as_text, screenshots_at_desktop_and_phone_width,
                                 english_for_visitors_who_prefer_it)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indexer", required=True)
    parser.add_argument("--searchd", required=True)
    parser.add_argument("--out", required=True, help="folder for screenshots")
    parser.add_argument("case", choices=sorted(CASES))
    args = parser.parse_args()
    if not os.access("/usr/bin/chromium", os.X_OK) or not os.access("/usr/bin/chromedriver", os.X_OK):
        sys.exit("page_test: needs Debian's chromium and chromium-driver")
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="sok-browser-")
    site = Site(args.indexer, args.searchd, work)
    try:
        start = time.monotonic()
        CASES[args.case](site, args.out)
        print("%s: holds (%.1f s)" % (CASES[args.case].__doc__, time.monotonic() - start))
    finally:
        site.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
