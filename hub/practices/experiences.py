"""Experience reports: "we used it too" — added by any member to a published practice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hub.auth.permissions import Action, require
from hub.extensions import db
from hub.models import Centre, CompanySize, ExperienceReport, Practice, Sector, User
from hub.practices.operations import UnknownReference, record_change
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
    record_change(practice, "experiences")
    return report


def update_experience(actor: User, report: ExperienceReport, data: ReportData) -> None:
    require(actor, Action.EDIT_EXPERIENCE, report)
    _fill(report, data)
    record_change(report.practice, "experiences")


def delete_experience(actor: User, report: ExperienceReport) -> None:
    require(actor, Action.EDIT_EXPERIENCE, report)
    practice = report.practice
    practice.experiences.remove(report)
    record_change(practice, "experiences")


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
