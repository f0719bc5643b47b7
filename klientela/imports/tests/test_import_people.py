import pytest

from klientela.customers.models import Organization, Person
from klientela.customers.services.people import create_person
from klientela.imports.models import Import
from klientela.jobs.models import Job

from .conftest import csv_bytes, ods_bytes, run, xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = ["ФИО", "Телефон", "E-mail", "Компания", "Должность"]


def test_people_with_organizations_phones_and_in_file_duplicates(company):
    head = company["n_head"]
    rows = [
        HEADER,
        ["ИВАНОВ иван иванович", "8 (912) 345-67-89", "Ivan@Example.com", "Ромашка", "директор"],
        ["Петрова Анна", "+7 912 111-22-33 доб. 15", "", "Ромашка", ""],
        ["Иванов Иван", "89123456789", "ivan.second@example.com", "", ""],  # same phone
        ["Сидоров", "не телефон", "", "", ""],  # refused
    ]
    batch = run(head, "person", csv_bytes(rows), region="RU")
    assert batch.status == Import.Status.DONE
    assert (batch.rows, batch.created, batch.updated, batch.failed) == (4, 2, 1, 1)
    ivan = Person.objects.get(last_name="Иванов")
    assert (ivan.first_name, ivan.middle_name) == ("Иван", "Иванович")
    assert [phone.e164 for phone in ivan.phones.all()] == ["+79123456789"]
    assert sorted(email.address for email in ivan.emails.all()) == [
        "ivan.second@example.com",
        "ivan@example.com",
    ]
    anna = Person.objects.get(last_name="Петрова")
    phone = anna.phones.get()
    assert (phone.e164, phone.extension) == ("+79121112233", "15")
    organization = Organization.objects.get()
    assert organization.name == "Ромашка"
    assert set(organization.memberships.values_list("person__last_name", flat=True)) == {
        "Иванов",
        "Петрова",
    }
    assert batch.error_report
    job = Job.objects.get(pk=batch.job_id)
    assert job.status == Job.Status.DONE and job.done == 4


def test_duplicates_in_base_skip_update_create_and_row_override(company):
    head = company["n_head"]
    existing = create_person(
        actor=head, first_name="Jan", last_name="Kowalski", phones=["+48 601 234 567"]
    )
    rows = [["Imię i nazwisko", "Telefon", "Stanowisko"], ["Jan Kowalski", "601-234-567", "CEO"]]
    skipped = run(head, "person", csv_bytes(rows, delimiter=";"), region="PL")
    assert (skipped.created, skipped.skipped) == (0, 1)
    updated = run(head, "person", csv_bytes(rows, delimiter=";"), region="PL", duplicates="update")
    assert updated.updated == 1
    existing.refresh_from_db()
    assert existing.position == "CEO"
    assert Person.objects.count() == 1
    forced = run(
        head,
        "person",
        csv_bytes(rows),
        region="PL",
        duplicates="skip",
        row_decisions={"2": "create"},
    )
    assert forced.created == 1
    assert Person.objects.count() == 2


def test_undo_removes_created_and_restores_updated(company):
    head = company["n_head"]
    existing = create_person(
        actor=head, first_name="Jan", last_name="Novak", position="Sales", emails=["jan@acme.si"]
    )
    rows = [["First name", "Last name", "Position", "Company", "E-pošta"]]
    rows += [
        ["Jan", "Novak", "Director", "Acme d.o.o.", "JAN@acme.si"],
        ["Eva", "Kos", "", "Acme d.o.o.", ""],
    ]
    batch = run(head, "person", xlsx_bytes(rows), "people.xlsx", duplicates="update")
    assert (batch.created, batch.updated) == (1, 1)
    existing.refresh_from_db()
    assert existing.position == "Director"
    from klientela.imports.services.batches import undo_import

    undo_import(actor=head, batch=batch)
    existing.refresh_from_db()
    assert existing.position == "Sales"
    assert not existing.memberships.exists()
    assert list(Person.objects.all()) == [existing]
    assert not Organization.objects.exists()
    batch.refresh_from_db()
    assert batch.status == Import.Status.UNDONE


def test_undo_refused_when_a_card_changed_afterwards(company):
    from django.core.exceptions import ValidationError

    from klientela.customers.services.people import update_person
    from klientela.imports.services.batches import undo_import

    head = company["n_head"]
    batch = run(head, "person", csv_bytes([["Name"], ["Eva Kos"]]))
    person = Person.objects.get()
    update_person(actor=head, person=person, position="Boss")
    with pytest.raises(ValidationError):
        undo_import(actor=head, batch=batch)
    assert Person.objects.exists()


def test_a_manager_may_not_import(company):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(company["n_manager1"], "person", csv_bytes([["Name"], ["Eva Kos"]]))


def test_people_from_an_ods_file(company):
    head = company["n_head"]
    sheet = [["Imię i nazwisko", "Telefon", "E-mail"], ["Anna Nowak", "601 234 567", "a@nowak.pl"]]
    batch = run(head, "person", ods_bytes({"Klienci": sheet}), name="klienci.ods", region="PL")
    assert (batch.status, batch.created, batch.failed) == (Import.Status.DONE, 1, 0)
    anna = Person.objects.get(last_name="Nowak")
    assert [phone.e164 for phone in anna.phones.all()] == ["+48601234567"]


def test_rows_repeating_a_card_of_an_earlier_chunk_merge_into_it(company, monkeypatch):
    from klientela.core.models import AuditEntry
    from klientela.imports.services import batches

    monkeypatch.setattr(batches, "CHUNK_ROWS", 2)
    head = company["n_head"]
    same = ["Ann Lee", "+1 202 555 0143", "ann@lee.com"]
    rows = [["Name", "Phone", "Email"], same, ["Bob Ray", "+1 202 555 0144", ""], same]
    rows.append(["Ann Lee", "+1 202 555 0143", "ann.second@lee.com"])  # adds an email
    batch = run(head, "person", csv_bytes(rows), region="US")
    assert (batch.created, batch.updated, batch.failed) == (2, 2, 0)
    ann = Person.objects.get(last_name="Lee")
    assert sorted(email.address for email in ann.emails.all()) == [
        "ann.second@lee.com",
        "ann@lee.com",
    ]
    kinds = list(
        AuditEntry.objects.filter(content_type__model="person", object_id=str(ann.pk))
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == [AuditEntry.Kind.CREATE, AuditEntry.Kind.UPDATE]


def test_queries_per_chunk_do_not_grow_with_its_rows(company):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    head = company["n_head"]

    def queries(first: int, count: int) -> int:
        rows = [["Name", "Phone", "Email", "Company"]]
        rows += [
            [f"Ann Lee{n}", f"+1 202 555 {n:04d}", f"ann{n}@lee.com", f"Firm {n % 3}"]
            for n in range(first, first + count)
        ]
        with CaptureQueriesContext(connection) as captured:
            batch = run(head, "person", csv_bytes(rows), region="US")
        assert (batch.created, batch.failed) == (count, 0)
        return len(captured)

    queries(0, 5)  # the first import also remembers the mapping and fills caches
    few, many = queries(100, 5), queries(200, 25)
    assert many == few


def test_a_reimport_adds_to_cards_with_history_search_and_undo(company):
    from klientela.core.fulltext import find_ids
    from klientela.core.models import AuditEntry
    from klientela.imports.services.batches import undo_import

    head = company["n_head"]
    ann = create_person(
        actor=head,
        first_name="Ann",
        last_name="Lee",
        phones=["+1 202 555 0143"],
        emails=["ann@lee.com"],
        position="Buyer",
    )
    bob = create_person(actor=head, first_name="Bob", last_name="Ray", phones=["+1 202 555 0144"])
    rows = [["Name", "Phone", "Email", "Company", "Position"]]
    rows += [
        ["Ann Lee", "(202) 555-0143", "ann.work@lee.com", "Lee Trading", "Chief buyer"],
        ["Bob Ray", "202 555 0144", "bob@ray.com", "", ""],
    ]
    batch = run(head, "person", csv_bytes(rows), region="US", duplicates="update")
    assert (batch.created, batch.updated, batch.failed) == (0, 2, 0)

    ann.refresh_from_db()
    assert ann.position == "Chief buyer"
    emails = {email.address: email.is_primary for email in ann.emails.all()}
    assert emails == {"ann@lee.com": True, "ann.work@lee.com": False}  # the primary stays
    assert [link.organization.name for link in ann.memberships.all()] == ["Lee Trading"]
    assert [(email.address, email.is_primary) for email in bob.emails.all()] == [
        ("bob@ray.com", True)  # his first e-mail becomes the primary one
    ]
    entry = AuditEntry.objects.filter(
        content_type__model="person", object_id=str(ann.pk), kind=AuditEntry.Kind.UPDATE
    ).get()
    assert entry.changes["position"]["old"] == "Buyer"
    assert entry.changes["emails"]["new"] == ["ann@lee.com", "ann.work@lee.com"]
    assert entry.changes["memberships"]["old"] == []
    assert find_ids(Person, "ann.work") == [ann.pk]

    undo_import(actor=head, batch=batch)
    ann.refresh_from_db()
    assert ann.position == "Buyer"
    assert [email.address for email in ann.emails.all()] == ["ann@lee.com"]
    assert not ann.memberships.exists()
    assert not bob.emails.exists()


def test_queries_per_chunk_of_updates_do_not_grow_with_its_rows(company):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    head = company["n_head"]

    def queries(first: int, count: int) -> int:
        numbers = range(first, first + count)
        for n in numbers:
            create_person(actor=head, last_name=f"Lee{n}", phones=[f"+1 202 555 {n:04d}"])
        rows = [["Name", "Phone", "Email", "Company"]]
        rows += [
            [f"Ann Lee{n}", f"+1 202 555 {n:04d}", f"ann{n}@lee.com", f"Firm {n % 3}"]
            for n in numbers
        ]
        with CaptureQueriesContext(connection) as captured:
            batch = run(head, "person", csv_bytes(rows), region="US", duplicates="update")
        assert (batch.updated, batch.failed) == (count, 0)
        return len(captured)

    queries(0, 5)  # the first import also remembers the mapping and fills caches
    few, many = queries(100, 5), queries(200, 25)
    assert many == few


def test_updates_the_database_refuses_together_are_written_one_by_one(company, monkeypatch):
    from django.db import DatabaseError

    from klientela.imports.services import customers

    head = company["n_head"]
    ann = create_person(actor=head, last_name="Lee", phones=["+1 202 555 0143"])
    calls = []

    def refused(spec, records, *, actor):
        calls.append(len(records))
        raise DatabaseError("deadlock detected")

    monkeypatch.setattr(customers, "write_additions", refused)
    rows = [["Name", "Phone", "Position"], ["Ann Lee", "202 555 0143", "CEO"]]
    batch = run(head, "person", csv_bytes(rows), region="US", duplicates="update")
    assert calls == [1]
    assert (batch.updated, batch.failed) == (1, 0)
    ann.refresh_from_db()
    assert (ann.first_name, ann.position) == ("Ann", "CEO")


def test_an_organization_named_in_another_case_is_the_same_one(company):
    from klientela.customers.services.organizations import create_organization

    head = company["n_head"]
    existing = create_organization(actor=head, legal_name="Ромашка")
    rows = [["ФИО", "Компания"], ["Иванов Иван", "РОМАШКА"]]
    batch = run(head, "person", csv_bytes(rows), region="RU")
    assert (batch.created, batch.failed) == (1, 0)
    assert list(Organization.objects.all()) == [existing]
    assert existing.memberships.get().person.last_name == "Иванов"
