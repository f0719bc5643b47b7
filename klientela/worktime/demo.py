"""Demo working time: time logged on the demo activities already done (their duration, or a
guess for tasks and emails), a little other work each week, and a few absences, approved or
waiting, so the timesheet, the planned load and the manager report look alive.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from klientela.activities.models import Activity
from klientela.activities.services import zone_of
from klientela.core.demodata import DemoLoader

from .models import Absence, TimeEntry

SEED = 2027
GUESS_MINUTES = {"call": (10, 30), "meeting": (60, 120), "task": (30, 180), "email": (10, 30)}
OTHER_WORK = ["Team meeting", "Preparing the weekly report", "Training", "Updating the CRM"]
ABSENCE_NOTES = {"vacation": "Family holiday", "business_trip": "Trade fair", "sick": ""}


def is_loaded() -> bool:
    return TimeEntry.objects.exists() or Absence.objects.exists()


def load_worktime(context: dict) -> None:
    rng = random.Random(SEED)
    now = timezone.now()
    users = list(get_user_model().objects.filter(is_active=True, role__isnull=False).order_by("pk"))
    entries = []
    done = Activity.objects.filter(status=Activity.Status.DONE, responsible__in=users).only(
        "pk", "kind", "responsible_id", "organization_id", "occurs_at", "duration"
    )
    by_id = {user.pk: user for user in users}
    for activity in done.iterator():
        user = by_id[activity.responsible_id]
        if rng.random() < 0.15:  # not everyone logs everything
            continue
        lo, hi = GUESS_MINUTES[activity.kind]
        minutes = activity.duration_minutes or rng.randint(lo, hi) // 5 * 5 or lo
        entries.append(
            TimeEntry(
                user=user,
                day=activity.occurs_at.astimezone(zone_of(user)).date(),
                minutes=minutes,
                activity_id=activity.pk,
                organization_id=activity.organization_id,
                created_by=user,
            )
        )
    for user in users:
        today = now.astimezone(zone_of(user)).date()
        for weeks_back in range(5):
            day = today - datetime.timedelta(days=7 * weeks_back + rng.randint(0, 4))
            if day > today:
                continue
            entries.append(
                TimeEntry(
                    user=user,
                    day=day,
                    minutes=rng.choice([30, 45, 60, 90]),
                    note=rng.choice(OTHER_WORK),
                    created_by=user,
                )
            )
    TimeEntry.objects.bulk_create(entries, batch_size=500)
    absences = []
    for number, user in enumerate(users):
        today = now.astimezone(zone_of(user)).date()
        if number % 3 == 0:
            start = today + datetime.timedelta(days=rng.randint(7, 30))
            kind, length, approved = "vacation", rng.randint(5, 10), number % 2 == 0
        elif number % 3 == 1:
            start = today - datetime.timedelta(days=rng.randint(10, 20))
            kind, length, approved = "sick", rng.randint(1, 3), True
        else:
            start = today + datetime.timedelta(days=rng.randint(2, 14))
            kind, length, approved = "business_trip", rng.randint(1, 3), False
        absences.append(
            Absence(
                user=user,
                kind=kind,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=length - 1),
                note=ABSENCE_NOTES[kind],
                is_approved=approved,
                approved_at=now if approved else None,
                created_by=user,
            )
        )
    Absence.objects.bulk_create(absences)


# After the activities (order 40): time is logged on them.
DEMO = DemoLoader(key="worktime", order=45, load=load_worktime, is_loaded=is_loaded)
