"""The test LMS itself: it must see every API call, keep data like an LMS, and catch misbehaviour.

Each test launches the tiny SCO in tests/browser/harness/fixtures/tiny-sco, which works
with either SCORM version; tests drive it from inside its frame through ``window.sco``.
"""

import shutil

import pytest

from lms import FIXTURES_DIR, format_time, time_to_centiseconds, time_to_seconds

TINY_SCO = FIXTURES_DIR / "tiny-sco"
VERSIONS = ["1.2", "2004"]

# Element names per version, for tests that run on both.
NAMES = {
    "1.2": {
        "entry": "cmi.core.entry",
        "location": "cmi.core.lesson_location",
        "status": "cmi.core.lesson_status",
        "exit": "cmi.core.exit",
        "total": "cmi.core.total_time",
        "score": "cmi.core.score.raw",
        "wrong": "wrong",
    },
    "2004": {
        "entry": "cmi.entry",
        "location": "cmi.location",
        "status": "cmi.completion_status",
        "exit": "cmi.exit",
        "total": "cmi.total_time",
        "score": "cmi.score.raw",
        "wrong": "incorrect",
    },
}


def launch_tiny(lms, page, version, href="index.html", **kwargs):
    return lms.launch(page, TINY_SCO, version=version, launch_href=href, **kwargs)


def sco_set(launch, element, value):
    return launch.frame.evaluate("([e, v]) => sco.set(e, v)", [element, value])


@pytest.mark.parametrize("version", VERSIONS)
def test_content_runs_in_a_frame_and_finds_the_api_in_the_lms_page(lms, page, version):
    launch = launch_tiny(lms, page, version)

    assert launch.frame.parent_frame == page.main_frame
    assert launch.frame.url == launch.package_url + "index.html"
    global_name = "API" if version == "1.2" else "API_1484_11"
    assert page.evaluate(f"() => typeof window.{global_name}.cmi") == "object"
    assert launch.frame.evaluate(f"() => window.{global_name} === undefined")
    assert launch.frame.evaluate("() => sco.version") == version


@pytest.mark.parametrize("version", VERSIONS)
def test_every_call_is_logged_with_its_result_and_error_code(lms, page, version):
    names = NAMES[version]
    launch = launch_tiny(lms, page, version)

    sco_set(launch, names["location"], "page-2")
    sco_set(launch, "cmi.suspend_data", "p=2")
    assert launch.frame.evaluate("() => sco.commit()") == "true"

    log = launch.log()
    init = "LMSInitialize" if version == "1.2" else "Initialize"
    assert [(c.method, c.args, c.result, c.error) for c in log[:3]] == [
        (init, ("",), "true", "0"),
        (log[1].method, (names["entry"],), "ab-initio", "0"),
        (log[2].method, (names["total"],), "00:00:00" if version == "1.2" else "PT0S", "0"),
    ]
    assert [c.kind for c in log[3:]] == ["SetValue", "SetValue", "Commit"]
    assert [(c.element, c.value) for c in log[3:5]] == [
        (names["location"], "page-2"),
        ("cmi.suspend_data", "p=2"),
    ]
    assert launch.values_set() == {names["location"]: "page-2", "cmi.suspend_data": "p=2"}
    assert all(c.error == "0" and c.exception is None for c in log)
    assert log == sorted(log, key=lambda c: c.time_ms)
    assert page.evaluate("() => window.__lmsLog.length") == len(log)
    launch.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_reading_cmi_through_the_runtime_adds_no_api_calls(lms, page, version):
    names = NAMES[version]
    launch = launch_tiny(lms, page, version)
    sco_set(launch, names["location"], "page-3")
    calls_before = len(launch.log())

    assert launch.cmi_value(names["location"]) == "page-3"
    assert launch.cmi_value("cmi.suspend_data") == ""
    assert launch.cmi()[names["location"]] == "page-3"
    assert launch.cmi()[names["entry"]] == "ab-initio"
    assert len(launch.log()) == calls_before


def test_scorm_12_write_only_elements_are_read_from_the_snapshot(lms, page):
    launch = launch_tiny(lms, page, "1.2")
    sco_set(launch, "cmi.interactions.0.id", "q1")

    with pytest.raises(KeyError, match="error 404"):
        launch.cmi_value("cmi.interactions.0.id")
    assert launch.cmi()["cmi.interactions.0.id"] == "q1"
    launch.assert_no_api_errors()


@pytest.mark.parametrize("version", VERSIONS)
def test_waiting_for_a_call_the_content_makes_on_a_click(lms, page, version):
    launch = launch_tiny(lms, page, version, query="exit=normal&session=5")
    mark = len(launch.log())

    launch.frame.get_by_role("button", name="Finish").click()
    finish = launch.wait_for_call("Terminate", since=mark)

    assert (finish.result, finish.error) == ("true", "0")
    exit_set = launch.wait_for_call("SetValue", NAMES[version]["exit"], since=mark)
    assert exit_set.value == "normal" and exit_set.index < finish.index
    assert launch.finish_state().terminated
    launch.assert_clean()


def test_the_runtime_gets_the_learner_and_lms_values(lms, page):
    launch = launch_tiny(lms, page, "2004", data={"cmi.launch_data": "deck=2"})

    assert launch.cmi_value("cmi.learner_id") == "learner-1"
    assert launch.cmi_value("cmi.learner_name") == "Tester, Pat"
    assert launch.cmi_value("cmi.credit") == "credit"
    assert launch.cmi_value("cmi.mode") == "normal"
    assert launch.cmi_value("cmi.launch_data") == "deck=2"


@pytest.mark.parametrize(
    ("version", "element", "value", "code"),
    [
        ("1.2", "cmi.core.lesson_status", "bogus", "405"),
        ("1.2", "cmi.core.session_time", "PT1M30S", "405"),
        ("2004", "cmi.session_time", "00:01:30", "406"),
        ("2004", "cmi.success_status", "bogus", "406"),
    ],
)
def test_a_refused_value_fails_the_no_error_assertion(lms, page, version, element, value, code):
    launch = launch_tiny(lms, page, version)

    assert sco_set(launch, element, value) == "false"

    refused = launch.api_errors()
    assert [(c.element, c.value, c.error) for c in refused] == [(element, value, code)]
    with pytest.raises(AssertionError, match=f"{element}.*error {code}"):
        launch.assert_no_api_errors()


def test_scorm_2004_reads_of_unset_elements_are_allowed(lms, page):
    launch = launch_tiny(lms, page, "2004")

    assert launch.frame.evaluate("() => sco.get('cmi.suspend_data')") == ""

    read = launch.calls("GetValue")[-1]
    assert (read.element, read.error) == ("cmi.suspend_data", "403")
    launch.assert_no_api_errors()


@pytest.mark.parametrize("version", VERSIONS)
def test_resume_delivers_entry_suspend_data_location_and_total_time(lms, page, version):
    names = NAMES[version]
    first = launch_tiny(lms, page, version, query="exit=suspend&session=90")
    sco_set(first, names["location"], "page-4")
    sco_set(first, "cmi.suspend_data", "seen=1,2,3")
    sco_set(first, names["status"], "incomplete")
    sco_set(first, names["score"], "50")
    sco_set(first, "cmi.interactions.0.id", "q1")
    sco_set(first, "cmi.interactions.0.type", "true-false")
    sco_set(first, "cmi.interactions.0.result", names["wrong"])
    first.frame.evaluate("() => sco.commit()")

    kept = first.close_like_tab()

    first.assert_clean()
    assert first.calls("Terminate")[-1].error == "0"
    assert (kept.exit, kept.suspend_data, kept.location) == ("suspend", "seen=1,2,3", "page-4")
    assert kept.terminated and kept.commits == 2
    assert time_to_seconds(kept.total_time, version) == 90
    assert kept.get(names["total"]) == kept.total_time

    second = launch_tiny(lms, page, version, query="exit=suspend&session=30", previous=kept)
    shown = {
        key: second.frame.locator(f"#{key}").inner_text()
        for key in ("entry", "suspend", "location", "total")
    }

    assert shown["entry"] == "resume"
    assert (shown["suspend"], shown["location"]) == ("seen=1,2,3", "page-4")
    assert time_to_seconds(shown["total"], version) == 90
    assert second.cmi_value(names["status"]) == "incomplete"
    assert second.cmi_value(names["score"]) == "50"
    assert second.cmi_value("cmi.interactions._count") == "1"
    assert second.cmi()["cmi.interactions.0.result"] == names["wrong"]
    again = second.close_like_tab()
    second.assert_clean()
    assert time_to_seconds(again.total_time, version) == 120


def test_scorm_2004_normal_exit_starts_a_new_attempt(lms, page):
    first = launch_tiny(lms, page, "2004", query="exit=normal&session=60")
    sco_set(first, "cmi.suspend_data", "done")
    sco_set(first, "cmi.completion_status", "completed")
    kept = first.close_like_tab()
    assert kept.get("cmi.completion_status") == "completed"

    second = launch_tiny(lms, page, "2004", previous=kept)

    assert second.frame.locator("#entry").inner_text() == "ab-initio"
    assert second.frame.locator("#total").inner_text() == "PT0S"
    assert second.cmi_value("cmi.suspend_data") == ""
    assert second.cmi_value("cmi.completion_status") == "unknown"


def test_scorm_12_keeps_data_without_resume_after_a_normal_exit(lms, page):
    first = launch_tiny(lms, page, "1.2", query="session=60")
    sco_set(first, "cmi.core.lesson_status", "completed")
    sco_set(first, "cmi.suspend_data", "done")
    kept = first.close_like_tab()

    second = launch_tiny(lms, page, "1.2", previous=kept)

    assert second.frame.locator("#entry").inner_text() == ""
    assert second.cmi_value("cmi.core.lesson_status") == "completed"
    assert second.cmi_value("cmi.suspend_data") == "done"
    assert time_to_seconds(second.frame.locator("#total").inner_text(), "1.2") == 60


@pytest.mark.parametrize("version", VERSIONS)
def test_data_set_after_the_last_commit_is_lost(lms, page, version):
    names = NAMES[version]
    launch = launch_tiny(lms, page, version)
    launch.frame.evaluate("() => window.removeEventListener('pagehide', sco.finish)")
    sco_set(launch, names["location"], "page-1")
    launch.frame.evaluate("() => sco.commit()")
    sco_set(launch, names["location"], "page-2")

    assert [(c.element, c.value) for c in launch.uncommitted()] == [(names["location"], "page-2")]
    kept = launch.close_like_tab()

    assert kept.location == "page-1"
    assert (kept.commits, kept.terminated) == (1, False)
    assert launch.calls("Terminate") == []


def test_closed_launch_keeps_answering_from_its_record(lms, page):
    launch = launch_tiny(lms, page, "1.2", query="exit=suspend")
    sco_set(launch, "cmi.core.lesson_location", "page-5")
    calls = len(launch.log())
    launch.close_like_tab()

    page.goto("about:blank")

    assert len(launch.log()) == calls + 3  # session_time, exit, LMSFinish on pagehide
    assert launch.cmi_value("cmi.core.exit") == "suspend"
    assert launch.finish_state().location == "page-5"


def test_requests_outside_the_package_are_detected(lms, page):
    clean = launch_tiny(lms, page, "1.2")
    assert clean.outside_requests() == []
    content_urls = {r.url for r in clean.requests if not r.from_lms_page}
    expected = {clean.package_url + name for name in ("index.html", "sco.js", "pic.svg")}
    assert expected <= content_urls
    runtime = clean.server.origin + "/npm/scorm-again/dist/scorm12"
    assert any(r.from_lms_page and r.url.startswith(runtime) for r in clean.requests)

    leaky = launch_tiny(lms, page, "1.2", href="cdn.html")

    assert leaky.outside_requests() == ["https://cdn.example.com/library.js"]
    with pytest.raises(AssertionError, match="outside the package: https://cdn.example.com"):
        leaky.assert_no_problems()


def test_content_loading_harness_files_counts_as_leaving_the_package(lms, page):
    launch = launch_tiny(lms, page, "1.2")
    launch.frame.evaluate("() => fetch('/npm/scorm-again/dist/scorm12.js').then(r => r.status)")

    assert launch.outside_requests() == [launch.server.origin + "/npm/scorm-again/dist/scorm12.js"]


def test_requests_of_windows_the_content_opens_are_checked_too(lms, page):
    launch = launch_tiny(lms, page, "1.2")

    with page.expect_popup() as inside:
        launch.frame.evaluate("() => { window.open('pic.svg'); }")
    inside.value.wait_for_load_state()
    with page.expect_popup() as outside:
        launch.frame.evaluate("() => { window.open('https://example.org/guidance'); }")
    outside.value.wait_for_load_state()

    assert launch.outside_requests() == ["https://example.org/guidance"]
    assert len(launch.popups) == 2


def test_missing_files_are_detected(lms, page):
    launch = launch_tiny(lms, page, "1.2")
    status = launch.frame.evaluate("() => fetch('Missing.txt').then(r => r.status)")

    assert status == 404
    assert launch.failed_requests == [launch.package_url + "Missing.txt (HTTP 404)"]


def test_dialogs_are_detected(lms, page):
    launch = launch_tiny(lms, page, "1.2", href="alert.html")

    assert [(d.type, d.message) for d in launch.dialogs] == [("alert", "Progress saved")]
    with pytest.raises(AssertionError, match="alert dialog: Progress saved"):
        launch.assert_no_problems()


def test_uncaught_exceptions_and_console_errors_in_the_content_are_detected(lms, page):
    launch = launch_tiny(lms, page, "2004")

    launch.frame.add_script_tag(content="console.error('state lost'); throw new Error('boom');")

    assert launch.console_errors() == ["state lost"]
    assert launch.page_errors == ["Error: boom"]
    problems = launch.problems()
    assert "uncaught exception: Error: boom" in problems


def test_axe_finds_an_image_without_alt_text(lms, page):
    launch = launch_tiny(lms, page, "1.2", href="no-alt.html")

    violations = launch.axe_violations()

    assert [v["id"] for v in violations] == ["image-alt"]
    assert violations[0]["nodes"][0]["target"] == "img"
    with pytest.raises(AssertionError, match="image-alt"):
        launch.assert_no_axe_violations()


def test_axe_passes_a_good_page(lms, page):
    launch = launch_tiny(lms, page, "2004")

    launch.assert_no_axe_violations()
    launch.assert_clean()


MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="tiny" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>Tiny</title>
      <item identifier="item1" identifierref="res1" parameters="?exit=suspend">
        <title>Tiny SCO</title><adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="tiny" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>Tiny</title>
      <item identifier="item1" identifierref="res1">
        <title>Tiny SCO</title>
        <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.9"/>
        <imsss:sequencing><imsss:objectives>
          <imsss:primaryObjective objectiveID="passed" satisfiedByMeasure="true">
            <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>
          </imsss:primaryObjective>
        </imsss:objectives></imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""


@pytest.mark.parametrize(
    ("manifest", "version", "query", "expected"),
    [
        (MANIFEST_12, "1.2", "?exit=suspend", {"cmi.student_data.mastery_score": "80"}),
        (
            MANIFEST_2004,
            "2004",
            "",
            {"cmi.scaled_passing_score": "0.8", "cmi.completion_threshold": "0.9"},
        ),
    ],
)
def test_launch_follows_the_manifest(lms, page, tmp_path, manifest, version, query, expected):
    package = tmp_path / "package"
    shutil.copytree(TINY_SCO, package)
    (package / "imsmanifest.xml").write_text(manifest, encoding="utf-8")

    launch = lms.launch(page, package)

    assert launch.version == version
    assert launch.frame.url == launch.package_url + "index.html" + query
    assert {element: launch.cmi_value(element) for element in expected} == expected


@pytest.mark.parametrize(
    ("version", "text", "centiseconds", "formatted"),
    [
        ("1.2", "0000:01:30.50", 9050, "00:01:30.50"),
        ("1.2", "12:00:00", 4320000, "12:00:00"),
        ("1.2", "", 0, "00:00:00"),
        ("2004", "PT1H2M3.45S", 372345, "PT1H2M3.45S"),
        ("2004", "PT1M30.5S", 9050, "PT1M30.5S"),
        ("2004", "P1DT0S", 8640000, "PT24H"),
        ("2004", "PT0H0M0S", 0, "PT0S"),
    ],
)
def test_time_spans_convert_both_ways(version, text, centiseconds, formatted):
    assert time_to_centiseconds(text, version) == centiseconds
    assert format_time(centiseconds, version) == formatted


@pytest.mark.parametrize(
    ("version", "text"), [("1.2", "1:30"), ("1.2", "PT1S"), ("2004", "00:01:30"), ("2004", "PT")]
)
def test_malformed_time_spans_are_refused(version, text):
    with pytest.raises(ValueError):
        time_to_centiseconds(text, version)
