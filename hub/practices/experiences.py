"""Experience reports: "we used it too" — added by any member to a published practice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hub import events
from hub.auth.permissions import Action, require
from hub.extensions import db
from hub.models import Centre, CompanySize, ExperienceReport, Practice, Sector, User
from hub.practices.operations import UnknownReference
from hub.vocabulary import Result, Status


class NotPublished(ValueError):
    """Reports are only added to published practices."""


@dataclass(frozen=True)
class ReportData:
    centre_id: int
    sector: str
    size: str
    result: str
    date: date
    note: str = ""


def add_experience(actor: User, practice: Practice, data: ReportData) -> ExperienceReport:
    require(actor, Action.ADD_EXPERIENCE, practice)
    if practice.status != Status.PUBLISHED:
        raise NotPublished(practice.slug)
    report = ExperienceReport(author_id=actor.id)
    _fill(report, data)
    practice.experiences.append(report)
    events.emit(events.experience_changed, practice, actor=actor, change="added")
    return report


def update_experience(actor: User, report: ExperienceReport, data: ReportData) -> None:
    require(actor, Action.EDIT_EXPERIENCE, report)
    _fill(report, data)
    events.emit(events.experience_changed, report.practice, actor=actor, change="updated")


def delete_experience(actor: User, report: ExperienceReport) -> None:
    require(actor, Action.EDIT_EXPERIENCE, report)
    practice = report.practice
    practice.experiences.remove(report)
    events.emit(events.experience_changed, practice, actor=actor, change="deleted")


def _fill(report: ExperienceReport, data: ReportData) -> None:
    centre = db.session.get(Centre, data.centre_id)
    if centre is None:
        raise UnknownReference(f"unknown centre: {data.centre_id}")
    if db.session.get(Sector, data.sector) is None:
        raise UnknownReference(f"unknown sector: {data.sector!r}")
    if db.session.get(CompanySize, data.size) is None:
        raise UnknownReference(f"unknown size: {data.size!r}")
    report.centre = centre
    report.sector_code = data.sector
    report.size_code = data.size
    report.result = Result(data.result)
    report.date = data.date
    report.note = data.note.strip()
