"""Scrapy: a real crawl of pages served on 127.0.0.1, through CleanerPipeline, in a subprocess."""
from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

pytest.importorskip("scrapy")

import cleaner  # noqa: E402
from cleaner.integrations._samples import synthetic_html, synthetic_records  # noqa: E402
from cleaner.integrations.scrapy import CleanerPipeline, options_from_settings  # noqa: E402

CHROME_ONLY = "Share on Facebook\nRead more\nAdvertisement\n"

SPIDER = '''
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

base, out_dir, settings = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])

class Pages(scrapy.Spider):
    name = "pages"
    start_urls = [base + "index.txt"]

    def parse(self, response):
        for line in response.text.split():
            yield response.follow(line, self.parse_page)

    def parse_page(self, response):
        field = "html" if response.url.endswith(".html") else "text"
        yield {"url": response.url, field: response.text}

settings.update({"FEEDS": {out_dir + "/items.jsonl": {"format": "jsonlines"}}, "LOG_LEVEL": "WARNING",
                 "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,
                 "ITEM_PIPELINES": {"cleaner.integrations.scrapy.CleanerPipeline": 300}})
process = CrawlerProcess(settings)
crawler = process.create_crawler(Pages)
process.crawl(crawler)
process.start()
with open(out_dir + "/stats.json", "w") as fh:
    json.dump({k: v for k, v in crawler.stats.get_stats().items() if k.startswith(("cleaner/", "item_", "log_count/ERROR", "spider_exceptions"))}, fh)
'''


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Dict[str, Any]]:
    """Pages under tmp_path/site served by a local http.server on 127.0.0.1 (an ephemeral port)."""
    root = tmp_path / "site"
    root.mkdir()
    pages: Dict[str, str] = {}
    for r in synthetic_records(6, seed=11):
        pages[f"page{r['id']}.txt"] = r["text"]
    pages["empty.txt"] = CHROME_ONLY
    pages["huge.txt"] = "word " * 5000
    pages["article.html"] = synthetic_html(random.Random(4))
    for name, body in pages.items():
        (root / name).write_text(body, encoding="utf-8")
    (root / "index.txt").write_text("\n".join(pages), encoding="utf-8")

    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"base": f"http://127.0.0.1:{server.server_address[1]}/", "pages": pages}
    server.shutdown()
    server.server_close()


def _crawl(site: Dict[str, Any], out: Path, settings: Dict[str, Any]) -> Dict[str, Any]:
    out.mkdir()
    script = out / "crawl.py"  # a file, not -c: Scrapy reads the callbacks' source
    script.write_text(SPIDER, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), site["base"], str(out), json.dumps(settings)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    items = [json.loads(line) for line in (out / "items.jsonl").read_text("utf-8").splitlines()]
    stats = json.loads((out / "stats.json").read_text())
    assert "log_count/ERROR" not in stats, proc.stderr[-3000:]
    return {"items": {i["url"].rsplit("/", 1)[1]: i for i in items}, "stats": stats}


def _settings(**extra: Any) -> Dict[str, Any]:
    return {"CLEANER_HTML_FIELD": "html", "CLEANER_MAX_BYTES": 20_000, **extra}


def test_pipeline_cleans_crawled_items_and_counts_stats(site, tmp_path: Path):
    result = _crawl(site, tmp_path / "out", _settings(CLEANER_DROP_EMPTY=True))
    items, stats = result["items"], result["stats"]
    options = {"max_bytes": 20_000}
    expected = {}
    for name, body in site["pages"].items():
        field = "html" if name.endswith(".html") else "text"
        record = {field: body, "url": site["base"] + name}
        expected[name] = cleaner.clean_batch([record], html_field="html", audit=True, **options)[0]

    assert "empty.txt" not in items and stats["cleaner/dropped_empty"] == 1
    assert items["huge.txt"]["cleaner_error"]["type"] == "InputError" and stats["cleaner/errors"] == 1
    assert set(items) == set(site["pages"]) - {"empty.txt"}
    for name, item in items.items():
        if name != "huge.txt":
            assert item["clean_text"] == expected[name]["clean_text"]
            assert item["language"] == expected[name]["language"]
    assert stats["cleaner/items"] == len(site["pages"])
    removed = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("cleaner/removed/")}
    assert removed and removed == dict(Counter(r["rule"] for e in expected.values() for r in e.get("cleaner_audit", [])))


def test_pipeline_output_fields_and_audit_from_settings(site, tmp_path: Path):
    result = _crawl(site, tmp_path / "out", _settings(CLEANER_OUTPUT_FIELD="body", CLEANER_LANGUAGE_FIELD="",
                                                      CLEANER_AUDIT_FIELD="removed", CLEANER_LANGUAGE="en"))
    item = result["items"]["page0.txt"]
    assert "clean_text" not in item and "language" not in item
    assert item["body"] and item["removed"] and {"rule", "stage", "reason"} <= set(item["removed"][0])
    assert result["items"]["empty.txt"]["body"] == ""  # kept: CLEANER_DROP_EMPTY is off by default


def test_options_from_settings_maps_words_and_types():
    opts = options_from_settings({"CLEANER_LANGUAGE": "off", "CLEANER_RULES": "my.yaml", "CLEANER_DETECTOR": "false",
                                  "CLEANER_MAX_BYTES": "1000"})
    assert opts == {"language": False, "rules": ["my.yaml"], "detector": False, "max_bytes": 1000}
    with pytest.raises(TypeError, match="unknown cleaner option"):
        CleanerPipeline(no_such_option=1)
    with pytest.raises(cleaner.RuleError, match="nope.yaml"):  # it passed, then every item failed
        CleanerPipeline(rules=["nope.yaml"])


def test_drop_empty_on_an_item_without_a_url_drops_it():
    """It raised KeyError: 'url' while building the DropItem message."""
    from scrapy.exceptions import DropItem

    for pipeline in (CleanerPipeline(drop_empty=True, language=False, detector=False),
                     CleanerPipeline(drop_empty=True, url_field="link", language=False, detector=False)):
        with pytest.raises(DropItem, match="an item without a URL"):
            pipeline.process_item({"text": ""})
        with pytest.raises(DropItem, match="https://example.com/a"):
            pipeline.process_item({"text": "", "link": "https://example.com/a", "url": "https://example.com/a"})


def test_an_item_without_the_field_names_it_in_its_error():
    """It said "cleaner takes str or bytes, not NoneType"."""
    pipeline = CleanerPipeline(text_field="body", html_field="page_html", language=False, detector=False)
    item = pipeline.process_item({"url": "https://example.com/a", "title": "T"})
    assert item["cleaner_error"]["type"] == "InputError" and "no field 'body'" in item["cleaner_error"]["message"]
    page = "The council approved the new budget on Monday after a long debate."
    assert pipeline.process_item({"body": page, "page_html": None})["clean_text"] == page
    html = f"<html><body><article><p>{page}</p></article></body></html>"
    assert pipeline.process_item({"body": "(see html)", "page_html": html})["clean_text"] == page
