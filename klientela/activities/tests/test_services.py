"""Activity rules: times per kind, links, completing with a follow-up, cancelling, subtasks."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from klientela.activities import services
from klientela.activities.models import Activity, ChecklistItem
from klientela.core.audit import history_for
from klientela.core.models import AuditEntry
from klientela.customers import services as customers

from .conftest import at

WHEN = at("2026-03-10T09:00+00:00")


def plan(actor, **fields):
    fields.setdefault("kind", "call")
    fields.setdefault("subject", "Call about the offer")
    if fields["kind"] == "task":
        fields.setdefault("due_at", WHEN)
    else:
        fields.setdefault("starts_at", WHEN)
    return services.create_activity(actor=actor, **fields)


def test_a_call_is_planned_for_its_start_and_a_task_for_its_due_time(company):
    manager = company["n_manager1"]

    call = plan(manager, ends_at=WHEN + datetime.timedelta(minutes=30))
    task = plan(manager, kind="task", subject="Send the offer", starts_at=WHEN)

    assert (call.occurs_at, call.finishes_at) == (WHEN, WHEN + datetime.timedelta(minutes=30))
    assert (task.starts_at, task.due_at, task.occurs_at, task.finishes_at) == (
        None,
        WHEN,
        WHEN,
        WHEN,
    )
    assert call.responsible == manager and call.responsible_team == manager.team
    assert call.direction == "outgoing" and task.direction == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "task", "due_at": None}, "due_at"),
        ({"kind": "meeting", "starts_at": None}, "starts_at"),
        ({"ends_at": WHEN - datetime.timedelta(hours=1)}, "ends_at"),
        ({"subject": "   "}, "subject"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_what_a_kind_needs_is_checked_and_nothing_is_saved(company, fields, field):
    with pytest.raises(ValidationError) as error:
        plan(company["n_manager1"], **fields)

    assert field in error.value.message_dict
    assert not Activity.objects.exists()


def test_an_all_day_task_lasts_its_whole_day_in_the_responsibles_zone(company):
    manager = company["n_manager1"]
    manager.timezone = "Asia/Vladivostok"
    manager.save()

    task = plan(manager, kind="task", due_at=at("2026-03-10T15:00+10:00"), is_all_day=True)

    assert task.due_at == at("2026-03-10T00:00+10:00")
    assert task.finishes_at == at("2026-03-11T00:00+10:00")


def test_an_activity_about_a_deal_is_about_its_client_too(company, clients):
    activity = plan(company["n_manager1"], deal=clients["north_deal"])

    assert activity.organization == clients["north"]
    assert activity.person == clients["north_person"]


def test_a_manager_links_only_what_they_see_and_plans_only_for_themselves(company, clients):
    manager = company["n_manager1"]

    with pytest.raises(ValidationError) as error:
        plan(manager, organization=clients["south"])
    assert "organization" in error.value.message_dict
    with pytest.raises(ValidationError):
        plan(manager, deal=clients["south_deal"])
    with pytest.raises(PermissionDenied):
        plan(manager, responsible=company["n_manager2"])
    with pytest.raises(PermissionDenied):
        plan(company["nobody"])
    assert not Activity.objects.exists()

    # A head plans for the team, not for the other team.
    planned = plan(company["n_head"], responsible=company["n_manager2"])
    assert planned.responsible == company["n_manager2"]
    with pytest.raises(PermissionDenied):
        plan(company["n_head"], responsible=company["s_manager1"])


def test_creating_and_changing_are_audited(company, clients):
    manager = company["n_manager1"]
    activity = plan(manager, organization=clients["north"])

    services.update_activity(
        actor=manager,
        activity=activity,
        subject="Call about the new offer",
        participants=[company["n_manager2"]],
    )

    entries = list(history_for(activity))
    assert [entry.kind for entry in entries] == [AuditEntry.Kind.UPDATE, AuditEntry.Kind.CREATE]
    assert entries[0].changes["subject"]["new"] == "Call about the new offer"
    assert entries[0].changes["participants"]["new"] == "n_manager2"
    assert entries[0].actor == manager


def test_completing_records_the_result_and_plans_the_follow_up_in_one_step(company, clients):
    manager = company["n_manager1"]
    call = plan(manager, deal=clients["north_deal"])
    tomorrow = WHEN + datetime.timedelta(days=1)

    done = services.complete_activity(
        actor=manager,
        activity=call,
        result="Interested, wants a demo",
        duration=datetime.timedelta(minutes=12),
        follow_up={"kind": "meeting", "subject": "Demo", "starts_at": tomorrow},
        now=WHEN + datetime.timedelta(minutes=15),
    )

    call.refresh_from_db()
    assert (call.status, call.result, call.duration_minutes) == ("done", done.activity.result, 12)
    assert call.completed_at == WHEN + datetime.timedelta(minutes=15)
    assert call.completed_by == manager
    follow_up = done.follow_up
    assert (follow_up.kind, follow_up.subject, follow_up.occurs_at) == ("meeting", "Demo", tomorrow)
    assert follow_up.follow_up_of == call and follow_up.status == "planned"
    assert (follow_up.organization, follow_up.deal) == (clients["north"], clients["north_deal"])
    assert follow_up.responsible == manager
    assert history_for(call).first().changes["status"]["new"] == "Done"


def test_a_refused_follow_up_leaves_the_activity_open(company):
    manager = company["n_manager1"]
    call = plan(manager)

    with pytest.raises(ValidationError) as error:
        services.complete_activity(
            actor=manager,
            activity=call,
            result="Call back",
            follow_up={"kind": "task", "subject": "Offer"},  # a task without a due time
        )

    assert "follow_up_due_at" in error.value.message_dict
    assert Activity.objects.get(pk=call.pk).status == "planned"
    assert Activity.objects.count() == 1


def test_completing_needs_a_result_and_happens_once(company):
    manager = company["n_manager1"]
    call = plan(manager)

    with pytest.raises(ValidationError) as error:
        services.complete_activity(actor=manager, activity=call, result="  ")
    assert "result" in error.value.message_dict

    services.complete_activity(actor=manager, activity=call, result="Done")
    with pytest.raises(ValidationError):
        services.complete_activity(actor=manager, activity=call, result="Again")
    with pytest.raises(ValidationError):
        services.cancel_activity(actor=manager, activity=call)


def test_a_colleague_may_not_complete_or_delete_a_managers_activity(company):
    call = plan(company["n_manager1"])

    with pytest.raises(PermissionDenied):
        services.complete_activity(actor=company["n_manager2"], activity=call, result="x")
    with pytest.raises(PermissionDenied):
        services.delete_activity(actor=company["n_manager2"], activity=call)
    assert Activity.objects.get(pk=call.pk).status == "planned"


def test_subtasks_belong_to_tasks_and_hold_their_parent_open(company):
    manager = company["n_manager1"]
    task = plan(manager, kind="task", subject="Prepare the tender")
    subtask = plan(manager, kind="task", subject="Get the references", parent=task)

    with pytest.raises(ValidationError):
        plan(manager, kind="call", parent=task)
    with pytest.raises(ValidationError):
        plan(manager, kind="task", parent=subtask)
    with pytest.raises(ValidationError) as error:
        services.complete_activity(actor=manager, activity=task, result="Sent")
    assert error.value.code == "subtasks"

    services.complete_activity(actor=manager, activity=subtask, result="Got them")
    services.complete_activity(actor=manager, activity=task, result="Sent")
    assert Activity.objects.get(pk=task.pk).status == "done"


def test_cancelling_a_task_cancels_its_open_subtasks(company):
    manager = company["n_manager1"]
    task = plan(manager, kind="task", subject="Prepare the tender")
    subtask = plan(manager, kind="task", subject="Get the references", parent=task)

    services.cancel_activity(actor=manager, activity=task, reason="Tender withdrawn")

    subtask.refresh_from_db()
    assert (task.status, task.result) == ("cancelled", "Tender withdrawn")
    assert (subtask.status, subtask.result) == ("cancelled", "Tender withdrawn")


def test_a_tasks_checklist(company):
    manager = company["n_manager1"]
    task = plan(manager, kind="task", checklist=["Prices", " ", "Specification"])

    item = services.add_checklist_item(actor=manager, activity=task, text="Approval")
    services.set_checklist_item_done(actor=manager, item=item, is_done=True)
    services.remove_checklist_item(actor=manager, item=task.checklist.get(text="Prices"))

    assert list(task.checklist.values_list("text", "is_done")) == [
        ("Specification", False),
        ("Approval", True),
    ]
    with pytest.raises(ValidationError):
        services.add_checklist_item(actor=manager, activity=plan(manager), text="x")
    with pytest.raises(PermissionDenied):
        services.add_checklist_item(actor=company["n_manager2"], activity=task, text="x")
    assert ChecklistItem.objects.count() == 2


def test_handing_a_client_over_moves_its_planned_activities(company, clients):
    old, new = company["n_manager1"], company["n_manager2"]
    planned = plan(old, organization=clients["north"])
    done = plan(old, organization=clients["north"])
    services.complete_activity(actor=old, activity=done, result="Done")

    customers.hand_over(
        actor=company["n_head"], records=[clients["north"]], new_owner=new, include_open_work=True
    )

    planned.refresh_from_db()
    done.refresh_from_db()
    assert (planned.responsible, planned.responsible_team) == (new, new.team)
    assert done.responsible == old
