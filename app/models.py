"""Every model in one import, for Alembic, the shell and the services."""
from app.actions.models import ActionNote
from app.agenda.models import AgendaItem
from app.api.models import IdempotencyKey
from app.attachments.models import Attachment
from app.audit.models import AuditEvent
from app.auth.models import ApiToken, LoginSession, User
from app.bodies.models import Body, Membership, Unit
from app.calendar.models import BodyFollow, FeedChange, FeedGeneration
from app.exports.models import Export
from app.evidence.models import CheckIn, IdentityCheck, IdentityCode, MeetingRecording, ParticipationInterval, TechnicalIncident
from app.circulations.models import Circulation, CirculationAnswer
from app.mail.models import OutgoingMail
from app.meetings.models import Attendance, Meeting, MeetingDay, Rsvp
from app.notify.models import LineLinkCode, NoticeSent, NotificationPreference, OutgoingLine
from app.minutes.models import ActionItem, Minutes, MinutesComment, MinutesItem, MinutesVersion
from app.reports.models import (
    AssessmentBand,
    AssessmentScore,
    Plan,
    ProgressReport,
    ReminderSent,
    ReportingRound,
    ReportVersion,
    RoundTally,
    SubItem,
    Theme,
    sub_item_units,
)
from app.search.models import SearchEntry, SearchQueueItem
from app.series.models import MeetingSeries
from app.votes.models import SecretBallot, Vote, VoteVoter

__all__ = [
    "ActionItem", "ActionNote", "AgendaItem", "AssessmentBand", "AssessmentScore", "ApiToken", "Attachment", "Attendance", "AuditEvent", "Body", "Export", "BodyFollow", "FeedChange", "FeedGeneration", "IdempotencyKey", "LoginSession", "Meeting", "MeetingDay",
    "LineLinkCode", "Membership", "Minutes", "NoticeSent", "NotificationPreference", "OutgoingLine", "MinutesComment", "OutgoingMail", "MinutesItem", "MinutesVersion", "Plan", "ProgressReport",
    "ReminderSent", "ReportingRound", "ReportVersion", "RoundTally", "Rsvp", "SearchEntry", "SearchQueueItem", "SubItem", "Theme", "Unit", "User", "sub_item_units",
    "SecretBallot", "Vote", "VoteVoter",
    "MeetingSeries",
    "Circulation", "CirculationAnswer",
    "CheckIn", "IdentityCheck", "IdentityCode", "MeetingRecording", "ParticipationInterval", "TechnicalIncident",
]
