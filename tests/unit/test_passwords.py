"""Password rules (app.auth.passwords) and the one rule for an account's e-mail address."""
from __future__ import annotations

import pytest

from app.auth import passwords
from app.auth.passwords import COMMON, CONTAINS_EMAIL, CONTAINS_NAME, TOO_SHORT, password_problem
from app.auth.services import is_acceptable_email


@pytest.mark.parametrize("password", ["prachum-demo", "correct-horse-9", "long-enough-1", "ตั้งรหัสผ่านยาวๆ"])
def test_demo_and_test_passwords_stay_valid(password):
    assert password_problem(password, email="secretariat@demo.prachum.in.th", name="นางสาวทดสอบ ระบบ") is None


def test_twelve_characters_at_least():
    assert passwords.MIN_LENGTH == 12
    assert password_problem("a-b-c-d-e-f") == TOO_SHORT  # 11
    assert password_problem("a-b-c-d-e-f-") is None  # 12
    assert password_problem("") == TOO_SHORT and password_problem(None) == TOO_SHORT


@pytest.mark.parametrize("password", [
    "password1234", "Password1234!", "PASSWORDPASSWORD", "qwertyuiop123", "123456789012", "iloveyou2024!!",
    "1qaz2wsx3edc", "aaaaaaaaaaaaaa", "correcthorsebatterystaple", "admin123456789", "thailand2567!",
])
def test_common_passwords_are_refused(password):
    assert password_problem(password) == COMMON


def test_the_built_in_list_is_a_few_hundred_lower_case_entries():
    listed = passwords.common_passwords()
    assert 300 <= len(listed) <= 5000
    assert all(entry == entry.lower() for entry in listed)


@pytest.mark.parametrize("password,email", [
    ("somchai.k-secure-2567", "somchai.k@psdg.go.th"),
    ("my-SOMCHAI-password-x", "somchai.k@psdg.go.th"),  # a word of the local part, any case
    ("xx-reporter-2567-xx", "reporter.ict@demo.prachum.in.th"),
])
def test_passwords_containing_the_email_are_refused(password, email):
    assert password_problem(password, email=email) == CONTAINS_EMAIL


def test_short_parts_of_the_email_do_not_count():
    assert password_problem("long-enough-1", email="x@example.go.th") is None
    assert password_problem("ict-but-long-enough", email="ict@example.go.th") is None


@pytest.mark.parametrize("password,name", [
    ("Wanida-2567-secure", "นางวนิดา Wanida Srisuk"),
    ("ใจดีมากมาย-12345", "นายสมชาย ใจดีมากมาย"),
])
def test_passwords_containing_the_name_are_refused(password, name):
    assert password_problem(password, email="someone@psdg.go.th", name=name) == CONTAINS_NAME


@pytest.mark.parametrize("email", [
    "clerk@psdg.local", "CLERK@PSDG.LOCAL", "admin@demo.prachum.in.th", "first.last+tag@ministry.go.th",
    "ops@intranet", "a@b.c", "สมชาย@ตัวอย่าง.ไทย", "x-y@sub-domain.example.co.th",
])
def test_acceptable_addresses_include_intranet_domains(email):
    assert is_acceptable_email(email)


@pytest.mark.parametrize("email", [
    "", "no-at-sign", "@psdg.local", "clerk@", "two@@psdg.local", "sp ace@psdg.local", "clerk@psdg..local",
    "clerk@-psdg.local", "clerk@psdg-.local", "clerk@psdg_x.local", "clerk@psdg.local.", "tab\t@psdg.local",
    "a" * 65 + "@psdg.local", "clerk@" + "a" * 250 + ".th",
])
def test_unacceptable_addresses(email):
    assert not is_acceptable_email(email)
