"""Global search finds records by any part of their words, ignoring case and diacritics."""

import pytest
from django.db import connection

from klientela.core import fulltext
from klientela.core.fulltext import find_ids, index_record, normalize_text, unindex_record
from klientela.core.models import SearchEntry
from tests.accessapp.models import Gadget, Widget


@pytest.fixture
def searchable(db):
    fulltext.register_search_document(Widget, lambda widget: widget.name)
    fulltext.register_search_document(Gadget, lambda gadget: f"{gadget.name} {gadget.custom}")
    yield
    fulltext.unregister_search_document(Widget)
    fulltext.unregister_search_document(Gadget)


def widget(name, responsible=None):
    record = Widget.objects.create(name=name, responsible=responsible)
    index_record(record)
    return record


def found(query, limit=20):
    return {Widget.objects.get(pk=pk).name for pk in find_ids(Widget, query, limit)}


@pytest.fixture
def people(searchable):
    names = [
        "Sokolova Anna, anna.sokolova@example.com",
        "Ivan Petrov",
        "Łukasz Wójcik",
        "Janez Čadež",
        "Пётр Ёлкин",
        "Соколов Алексей",
        "Johanna Berg",
    ]
    return {name: widget(name) for name in names}


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("Ёлкин, Łukasz Čadež!", "елкин lukasz cadez"),
        ("  ŠPELA   Žagar-Novak ", "spela zagar novak"),
        ("anna.sokolova@example.com", "anna sokolova example com"),
        ("Straße Øster", "strasse oster"),
        ("", ""),
    ],
)
def test_text_is_normalized_for_matching(text, normalized):
    assert normalize_text(text) == normalized


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sok", {"Sokolova Anna, anna.sokolova@example.com"}),
        ("SOKOLOVA", {"Sokolova Anna, anna.sokolova@example.com"}),
        ("kolo", {"Sokolova Anna, anna.sokolova@example.com"}),
        ("petrov ivan", {"Ivan Petrov"}),
        ("lukasz", {"Łukasz Wójcik"}),
        ("WOJCIK", {"Łukasz Wójcik"}),
        ("cadez", {"Janez Čadež"}),
        ("čadež", {"Janez Čadež"}),
        ("елкин", {"Пётр Ёлкин"}),
        ("пётр", {"Пётр Ёлкин"}),
        ("петр ёлк", {"Пётр Ёлкин"}),
        ("СОКОЛ", {"Соколов Алексей"}),
        ("anna", {"Sokolova Anna, anna.sokolova@example.com", "Johanna Berg"}),
        ("example.com", {"Sokolova Anna, anna.sokolova@example.com"}),
        ("ivan nobody", set()),
        ("zzz", set()),
    ],
)
def test_words_match_anywhere_case_and_diacritics_aside(people, query, expected):
    assert found(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("an", {"Sokolova Anna, anna.sokolova@example.com"}),
        ("iv p", {"Ivan Petrov"}),
        ("ё", {"Пётр Ёлкин"}),
        ("nn", set()),
        ("ivan p", {"Ivan Petrov"}),
    ],
)
def test_words_shorter_than_three_letters_match_word_starts(people, query, expected):
    assert found(query) == expected


@pytest.mark.parametrize("query", ["", "   ", "!!", "\"'; DROP TABLE core_searchentry; --"])
def test_queries_without_words_find_nothing(people, query):
    assert find_ids(Widget, query) == []


def test_a_rename_updates_the_index(people):
    record = people["Ivan Petrov"]
    record.name = "Ivan Sidorov"
    record.save()

    index_record(record)

    assert found("petrov") == set()
    assert found("sidorov") == {"Ivan Sidorov"}
    assert SearchEntry.objects.filter(object_id=record.pk).count() == 1


def test_a_removed_record_is_no_longer_found(people):
    record = people["Ivan Petrov"]

    unindex_record(record)
    record.delete()

    assert found("ivan") == set()


def test_results_stay_within_the_model(people):
    gadget = Gadget.objects.create(name="Ivan's gadget")
    index_record(gadget)

    assert find_ids(Gadget, "ivan") == [gadget.pk]
    assert found("ivan") == {"Ivan Petrov"}


def test_the_limit_caps_the_results(searchable):
    for number in range(30):
        widget(f"Anna number {number}")

    assert len(find_ids(Widget, "anna", limit=5)) == 5
    assert len(find_ids(Widget, "an", limit=5)) == 5
    assert len(find_ids(Widget, "anna")) == 20


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite ranks by FTS5's bm25")
def test_the_closest_matches_come_first(searchable):
    # given names holding "ivan" as a whole word, at a word start and inside a word
    inside, start, whole = widget("Lukivanko"), widget("Ivanova Anna"), widget("Ivan Petrov")

    # when searching for it
    ids = find_ids(Widget, "ivan")

    # then the whole word comes first and a match inside a word last
    assert ids.index(whole.pk) < ids.index(start.pk) < ids.index(inside.pk)


def test_the_caller_applies_access(company, searchable):
    own = widget("Sokolov trading", company["n_manager1"])
    widget("Sokolov brothers", company["n_manager2"])
    widget("Sokolov and sons", company["s_manager1"])

    ids = find_ids(Widget, "sokolov")
    visible = Widget.objects.visible_to(company["n_manager1"]).filter(pk__in=ids)
    editable = Widget.objects.visible_to(company["n_manager1"], "edit").filter(pk__in=ids)

    assert len(ids) == 3
    assert {record.name for record in visible} == {"Sokolov trading", "Sokolov brothers"}
    assert list(editable) == [own]
    assert not Widget.objects.visible_to(company["nobody"]).filter(pk__in=ids).exists()


def test_reindex_builds_the_entries_of_a_whole_model(searchable):
    Widget.objects.bulk_create(Widget(name=f"Bulk {number} Ёж") for number in range(25))

    assert fulltext.reindex(Widget, batch_size=10) == 25
    assert fulltext.reindex(Widget, batch_size=10) == 25

    assert SearchEntry.objects.count() == 25
    assert len(find_ids(Widget, "еж", limit=50)) == 25
    Widget.objects.filter(name="Bulk 3 Ёж").delete()
    assert fulltext.reindex(Widget) == 24
    assert SearchEntry.objects.count() == 24


def test_unregistered_models_are_refused(db):
    with pytest.raises(LookupError):
        index_record(Widget.objects.create(name="Nobody indexes me"))
