"""`flask mail fetch` against a real IMAP server: Dovecot (Debian's dovecot-imapd) started for these tests
with its own configuration in a temporary directory (plaintext login on 127.0.0.1, maildir, no TLS).
The tests put calendar answers into the mailbox by IMAP APPEND, as a mail server would deliver them."""
from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from app.audit.models import AuditEvent
from app.extensions import db
from app.mail import inbox
from app.meetings import services
from app.meetings.models import Rsvp
from tests.unit.test_itip_replies import render_fixture
from tests.when import local

DOVECOT = "/usr/sbin/dovecot"
USER = "prachum@psdg.go.th"
PASSWORD = "p@ss/w%rd 1!"  # percent-encoded in the URL
MEMBERS = ("somchai.j@ict.example.go.th", "kannika@bps.example.go.th")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def dovecot():
    """A Dovecot IMAP server on a free port of 127.0.0.1 with one mailbox (USER / PASSWORD); stopped after."""
    if not Path(DOVECOT).exists():
        pytest.skip("Dovecot is not installed (/usr/sbin/dovecot; Debian: apt-get install -y dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="prachum-dovecot-"))
    root.chmod(0o755)
    mail = root / "mail"
    mail.mkdir()
    me = pwd.getpwuid(os.getuid())
    if os.getuid() == 0:  # Dovecot refuses root for mail and login processes: its own users take over
        internal, login = "dovecot", "dovenull"
        mail_user = pwd.getpwnam("dovecot")
        os.chown(mail, mail_user.pw_uid, mail_user.pw_gid)
    else:  # a rootless Dovecot runs everything as the current user
        internal = login = me.pw_name
        mail_user = me
    users = root / "users"
    users.write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    users.chmod(0o644)
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{mail}/%u
mail_uid = {mail_user.pw_uid}
mail_gid = {mail_user.pw_gid}
first_valid_uid = {mail_user.pw_uid}
last_valid_uid = {mail_user.pw_uid}
first_valid_gid = {mail_user.pw_gid}
default_internal_user = {internal}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {users}
}}
userdb {{
  driver = passwd-file
  args = {users}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
""")
    # The master daemonizes; its output goes to the log file (a pipe would stay open with the daemon).
    with open(root / "start.log", "wb") as output:
        subprocess.run([DOVECOT, "-c", str(config)], check=True, stdout=output, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=30)
    try:
        for _attempt in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("Dovecot did not start: " + (root / "dovecot.log").read_text(errors="replace"))
        yield {"port": port, "log": root / "dovecot.log"}
    finally:
        subprocess.run([DOVECOT, "-c", str(config), "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       stdin=subprocess.DEVNULL, timeout=30)
        pid_file = root / "run" / "master.pid"
        for _attempt in range(50):
            if not pid_file.exists():
                break
            time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def mailbox(dovecot):
    """A logged-in IMAP connection on an emptied mailbox (INBOX, no other folder), for the test's own checks."""
    connection = imaplib.IMAP4("127.0.0.1", dovecot["port"])
    connection.login(USER, PASSWORD)
    typ, folders = connection.list()
    for line in folders:
        name = line.decode().rsplit(' "." ', 1)[-1].strip('"')
        if name != "INBOX":
            connection.delete(f'"{name}"')
    typ, data = connection.select("INBOX")
    if int(data[0]):
        connection.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
        connection.expunge()
    yield connection
    connection.logout()


def url_for(dovecot, folder: str = "INBOX") -> str:
    return f"imap://{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@127.0.0.1:{dovecot['port']}/{folder}"


def append(connection, data: bytes, folder: str = "INBOX") -> None:
    typ, _data = connection.append(folder, None, None, data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert typ == "OK"


def count(connection, folder: str) -> int:
    typ, data = connection.select(inbox._quote(folder), readonly=True)
    assert typ == "OK", data
    return int(data[0])


@pytest.fixture
def meeting(make_body, make_user, add_member):
    body = make_body("คณะทำงานติดตามผลการดำเนินงาน")
    for index, address in enumerate(MEMBERS):
        add_member(body, make_user("member", email=address, name=f"กรรมการ {index + 1}"))
    meeting = services.schedule_meeting(body, {"starts_at": local(10, 9, 30), "ends_at": local(10, 12),
                                               "venue": "ห้องประชุมจันทรเกษม"}, notify=False).meeting
    db.session.commit()
    return meeting


def answers(meeting) -> dict[str, str]:
    db.session.expire_all()
    return {r.user.email: r.response for r in db.session.scalars(db.select(Rsvp).where(Rsvp.meeting_id == meeting.id))}


def test_fetch_applies_the_answers_and_moves_them_out_of_the_way(app, dovecot, mailbox, meeting, monkeypatch):
    append(mailbox, render_fixture("outlook_accepted.eml", uid=meeting.uid, attendee=MEMBERS[0]))
    append(mailbox, render_fixture("gmail_accepted.eml", uid=meeting.uid, attendee=MEMBERS[1]))
    append(mailbox, "From: a.member@example.go.th\r\nSubject: ขอบคุณ\r\n\r\nขอบคุณครับ\r\n".encode())
    monkeypatch.setitem(app.config, "PRACHUM_IMAP_URL", url_for(dovecot))
    runner = app.test_cli_runner()

    result = runner.invoke(args=["mail", "fetch"])
    assert result.exit_code == 0, result.output + dovecot["log"].read_text(errors="replace")
    assert "messages with answers 2, without 1, failed 0; answers applied 2, ignored 0" in result.output
    assert answers(meeting) == {MEMBERS[0]: "accepted", MEMBERS[1]: "accepted"}
    assert (count(mailbox, "INBOX"), count(mailbox, "Processed"), count(mailbox, "Unprocessed")) == (0, 2, 1)

    audited = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))
    again = runner.invoke(args=["mail", "fetch"])
    assert again.exit_code == 0 and "answers applied 0, ignored 0" in again.output
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == audited
    assert (count(mailbox, "Processed"), count(mailbox, "Unprocessed")) == (2, 1)


def test_ignored_answers_are_read_once_too(app, dovecot, mailbox, meeting, monkeypatch):
    append(mailbox, render_fixture("apple_declined.eml", uid=meeting.uid, attendee=MEMBERS[0],
                                   sender="someone.else@example.com"))
    monkeypatch.setitem(app.config, "PRACHUM_IMAP_URL", url_for(dovecot))
    monkeypatch.setitem(app.config, "PRACHUM_IMAP_PROCESSED", "Calendar answers")
    result = app.test_cli_runner().invoke(args=["mail", "fetch"])
    assert "answers applied 0, ignored 1" in result.output
    assert answers(meeting) == {}
    assert (count(mailbox, "INBOX"), count(mailbox, "Calendar answers")) == (0, 1)


def test_copy_delete_expunge_when_not_moving_and_thai_folder_names(app, dovecot, mailbox, meeting):
    append(mailbox, render_fixture("apple_tentative.eml", uid=meeting.uid, attendee=MEMBERS[0]))
    append(mailbox, b"From: x@example.go.th\r\nSubject: hello\r\n\r\nhello\r\n")
    seen = []

    def handle(data: bytes) -> bool:
        seen.append(data)
        return b"iCal-20200901" in data  # the .ics attachment's name

    summary = inbox.fetch(inbox.parse_imap_url(url_for(dovecot)), handle,
                          processed="ตอบรับแล้ว", unprocessed="อ่านไม่ได้", allow_move=False)
    assert (summary.processed, summary.unprocessed, summary.failed) == (1, 1, 0)
    assert count(mailbox, "INBOX") == 0  # copied, flagged \Deleted and expunged
    assert (count(mailbox, "ตอบรับแล้ว"), count(mailbox, "อ่านไม่ได้")) == (1, 1)
    typ, folders = mailbox.list()
    utf7 = "ตอบรับแล้ว".encode("utf-7").replace(b"+", b"&").replace(b"/", b",")  # RFC 3501 modified UTF-7
    assert any(utf7 in line for line in folders), folders
    assert len(seen) == 2


def test_a_message_that_fails_stays_for_the_next_run(app, dovecot, mailbox, meeting, monkeypatch):
    append(mailbox, render_fixture("outlook_accepted.eml", uid=meeting.uid, attendee=MEMBERS[0]))
    monkeypatch.setitem(app.config, "PRACHUM_IMAP_URL", url_for(dovecot))

    def broken(data):
        raise RuntimeError("database is down")

    monkeypatch.setattr("app.meetings.replies.apply_message", broken)
    result = app.test_cli_runner().invoke(args=["mail", "fetch"])
    assert result.exit_code == 1 and "failed 1" in result.output
    assert count(mailbox, "INBOX") == 1
    monkeypatch.undo()
    monkeypatch.setitem(app.config, "PRACHUM_IMAP_URL", url_for(dovecot))
    assert app.test_cli_runner().invoke(args=["mail", "fetch"]).exit_code == 0
    assert answers(meeting) == {MEMBERS[0]: "accepted"} and count(mailbox, "INBOX") == 0


def test_a_wrong_password_or_no_url_is_a_clear_error(app, dovecot, monkeypatch):
    monkeypatch.setitem(app.config, "PRACHUM_IMAP_URL", None)
    result = app.test_cli_runner().invoke(args=["mail", "fetch"])
    assert result.exit_code == 1 and "PRACHUM_IMAP_URL is not set" in result.output
    monkeypatch.setitem(app.config, "PRACHUM_IMAP_URL", url_for(dovecot).replace("w%25rd", "wrong"))
    result = app.test_cli_runner().invoke(args=["mail", "fetch"])
    assert result.exit_code == 1 and "IMAP 127.0.0.1" in result.output
    assert "wrong" not in result.output and PASSWORD not in result.output


@pytest.mark.parametrize("url,expected", [
    ("imaps://rsvp%40psdg.go.th:p%40ss%2Fw%3Ard@mail.psdg.go.th/INBOX",
     ("mail.psdg.go.th", 993, "rsvp@psdg.go.th", "p@ss/w:rd", "INBOX", True)),
    ("imap://u:secret@127.0.0.1:1143", ("127.0.0.1", 1143, "u", "secret", "INBOX", False)),
    ("IMAP://u:secret@h/Calendar%20answers", ("h", 143, "u", "secret", "Calendar answers", False)),
])
def test_parse_imap_url(url, expected):
    settings = inbox.parse_imap_url(url)
    assert (settings.host, settings.port, settings.username, settings.password, settings.folder,
            settings.tls) == expected
    assert settings.password not in repr(settings)


@pytest.mark.parametrize("url", ["", "pop3://u:p@h/", "imap://h/INBOX", "imap://u@h/", "imap://u:p@h:99999/"])
def test_parse_imap_url_refuses(url):
    with pytest.raises(ValueError):
        inbox.parse_imap_url(url)
