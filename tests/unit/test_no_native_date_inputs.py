"""Every date and time field of the web forms is a Thai-date text field (app.datefields): no native date, time or
datetime-local input (they take the Western year and a 12-hour clock by locale), no WTForms date field."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NATIVE_INPUT = re.compile(r"""type\s*=\s*["'](date|time|datetime-local|month|week)["']|["']type["']\s*:\s*["'](date|time)["']""")
WTFORMS_DATE = re.compile(r"\b(DateField|DateTimeField|DateTimeLocalField|TimeField)\b")


def test_templates_have_no_native_date_inputs():
    found = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / "templates").rglob("*.html"))
             for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if NATIVE_INPUT.search(line)]
    assert found == [], "use ThaiDateField/ThaiDateTimeField or data-thai-date text inputs"


def test_web_forms_use_the_thai_date_fields():
    found = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / "app").rglob("*.py"))
             if "api" not in path.relative_to(ROOT).parts
             for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
             if NATIVE_INPUT.search(line) or WTFORMS_DATE.search(line)]
    assert found == [], "use app.datefields.ThaiDateField / ThaiDateTimeField"
