"""Custom fields: one validator for every path, filters and sorting on both databases, display."""

import datetime
import json
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from klientela.core import access, customfields
from klientela.core.audit import history_for
from klientela.core.customfields import services
from klientela.core.models import FieldDefinition, ReferenceItem, ReferenceList
from tests.accessapp.models import Gadget

NBSP = "\u00a0"


@pytest.fixture
def gadget_entity(db):
    access.register_entity("gadget", label="Gadget", model=Gadget)
    yield "gadget"
    access.unregister_entity("gadget")


@pytest.fixture
def sizes(db):
    sizes = services.create_reference_list(
        actor=None, key="size", name="Size", names={"ru": "Размер"}
    )
    for key, label, russian in [
        ("small", "Small", "Малый"),
        ("medium", "Medium", "Средний"),
        ("large", "Large", "Большой"),
    ]:
        services.add_reference_item(
            actor=None, reference_list=sizes, key=key, label=label, labels={"ru": russian}
        )
    services.add_reference_item(
        actor=None, reference_list=sizes, key="huge", label="Huge", is_active=False
    )
    return sizes


def define(key, type, **fields):
    fields.setdefault("label", key.replace("_", " ").capitalize())
    return services.create_field_definition(
        actor=None, entity="gadget", key=key, type=type, **fields
    )


@pytest.fixture
def fields(gadget_entity, sizes):
    return {
        "code": define("code", "text", options={"max_length": 5}, section="Main"),
        "notes": define("notes", "long_text"),
        "employees": define("employees", "number", options={"min": 0, "max": 100000}),
        "revenue": define("revenue", "money", options={"currencies": ["EUR", "JPY"]}),
        "founded": define("founded", "date"),
        "is_partner": define("is_partner", "boolean", section="Main"),
        "size": define("size", "choice", reference_list=sizes, labels={"ru": "Размер"}),
        "tags": define("tags", "multi_choice", reference_list=sizes),
        "owner": define("owner", "user"),
    }


def validate(data, **kwargs):
    return customfields.validate_custom_values("gadget", data, **kwargs)


def errors_of(data, **kwargs):
    with pytest.raises(ValidationError) as raised:
        validate(data, **kwargs)
    return raised.value.message_dict


@pytest.mark.parametrize(
    ("key", "value", "cleaned"),
    [
        ("code", "  AB-1 ", "AB-1"),
        ("code", 12345, "12345"),
        ("notes", "line one\nline two", "line one\nline two"),
        ("employees", "42", 42),
        ("employees", 42.5, 42.5),
        ("employees", "1 234,5", 1234.5),
        ("employees", Decimal("7.00"), 7),
        (
            "revenue",
            {"amount": "123.4", "currency": "eur"},
            {"amount": "123.40", "currency": "EUR"},
        ),
        ("revenue", "99.990000", {"amount": "99.99", "currency": "EUR"}),
        ("revenue", {"amount": 1500, "currency": "JPY"}, {"amount": "1500", "currency": "JPY"}),
        ("revenue", 10.1, {"amount": "10.10", "currency": "EUR"}),
        ("founded", "2024-02-29", "2024-02-29"),
        ("founded", datetime.date(2020, 1, 31), "2020-01-31"),
        ("is_partner", False, False),
        ("is_partner", "yes", True),
        ("size", "medium", "medium"),
        ("tags", ["large", "small", "large"], ["large", "small"]),
        ("tags", "small", ["small"]),
    ],
)
def test_each_type_cleans_good_values_into_json(fields, key, value, cleaned):
    result = validate({key: value}, partial=True)

    assert result == {key: cleaned}
    assert json.loads(json.dumps(result)) == result


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("code", "ABCDEF", "Ensure this value has at most 5 characters (it has 6)."),
        ("code", ["a"], "Enter text."),
        ("employees", "many", "Enter a number."),
        ("employees", True, "Enter a number."),
        ("employees", "NaN", "Enter a number."),
        ("employees", -1, "Enter a value of at least 0."),
        ("employees", 100001, "Enter a value of at most 100000."),
        ("employees", "1.234567890123456", "Enter a number with at most 15 significant digits."),
        ("revenue", {"amount": "1", "currency": "XYZ"}, "“XYZ” is not a currency code."),
        ("revenue", {"amount": "1", "currency": "USD"}, "Use one of these currencies: EUR, JPY."),
        ("revenue", {"amount": "1.5", "currency": "JPY"}, "Use at most 0 decimal places for JPY."),
        ("revenue", {"sum": "1"}, "Enter money as an amount and a currency."),
        ("founded", "31.01.2020", "Enter a date as YYYY-MM-DD."),
        ("founded", "2023-02-29", "Enter a date as YYYY-MM-DD."),
        ("is_partner", "maybe", "Enter yes or no."),
        ("size", "giant", "“giant” is not one of the available choices."),
        ("size", "huge", "“huge” is not one of the available choices."),
        ("tags", ["small", "giant"], "“giant” is not one of the available choices."),
        ("tags", {"small": True}, "Choose from the available options."),
        ("owner", "someone", "Choose a user."),
        ("owner", 999999, "Choose an active user."),
    ],
)
def test_each_type_refuses_bad_values_with_a_clear_message(fields, key, value, message):
    assert errors_of({key: value}, partial=True) == {f"custom.{key}": [message]}


def test_user_values_must_be_active_users(fields, django_user_model):
    active = django_user_model.objects.create(username="active")
    gone = django_user_model.objects.create(username="gone", is_active=False)

    assert validate({"owner": active}, partial=True) == {"owner": active.pk}
    assert validate({"owner": str(active.pk)}, partial=True) == {"owner": active.pk}
    assert errors_of({"owner": gone.pk}, partial=True) == {
        "custom.owner": ["Choose an active user."]
    }


def test_required_fields_are_enforced_unless_partial(fields):
    services.update_field_definition(actor=None, definition=fields["code"], required=True)

    assert errors_of({}) == {"custom.code": ["This field is required."]}
    assert errors_of({"code": "  "}, partial=True) == {"custom.code": ["This field is required."]}
    assert validate({"notes": "fine"}, partial=True) == {"notes": "fine"}


def test_full_validation_returns_every_active_key_empty_ones_as_none(fields):
    cleaned = validate({"code": "A1", "notes": ""})

    assert cleaned["code"] == "A1"
    assert set(cleaned) == set(fields)
    assert {value for key, value in cleaned.items() if key != "code"} == {None}


def test_unknown_and_inactive_keys_are_refused(fields):
    services.update_field_definition(actor=None, definition=fields["notes"], is_active=False)

    assert errors_of({"colour": "red", "notes": "x"}, partial=True) == {
        "custom.colour": ["There is no such field."],
        "custom.notes": ["This field is no longer in use."],
    }
    assert errors_of(["not", "an", "object"]) == {
        "custom": ["Custom fields must be an object of keys and values."]
    }


def test_every_error_is_reported_at_once(fields):
    assert set(errors_of({"code": "TOO LONG", "employees": "x", "size": "giant"})) == {
        "custom.code",
        "custom.employees",
        "custom.size",
    }


def test_the_mixin_merges_values_and_keeps_hidden_ones(fields):
    gadget = Gadget.objects.create(
        name="G", custom={"code": "OLD", "notes": "kept", "size": "small"}
    )
    services.update_field_definition(actor=None, definition=fields["notes"], is_active=False)

    gadget.set_custom_values({"code": "NEW", "size": None}, partial=True)
    gadget.save()
    gadget.refresh_from_db()

    assert gadget.custom == {"code": "NEW", "notes": "kept"}


def test_renaming_a_field_keeps_stored_data(fields):
    gadget = Gadget.objects.create(name="G", custom={"code": "A1"})

    services.update_field_definition(
        actor=None, definition=fields["code"], label="Client code", labels={"ru": "Код"}
    )
    gadget.refresh_from_db()

    assert gadget.custom == {"code": "A1"}
    assert customfields.custom_display("gadget", gadget.custom, "ru")[0] == ("Main", "Код", "A1")


def test_key_entity_and_type_cannot_change(fields):
    with pytest.raises(ValidationError) as raised:
        services.update_field_definition(
            actor=None, definition=fields["code"], key="client_code", type="number"
        )

    assert set(raised.value.message_dict) == {"key", "type"}
    assert FieldDefinition.objects.get(pk=fields["code"].pk).key == "code"


def test_bounds_are_stored_as_json_numbers(gadget_entity):
    definition = define("area", "number", options={"min": "0.5", "max": "1000"})

    definition.refresh_from_db()
    assert definition.options == {"min": 0.5, "max": 1000}
    field = customfields.custom_form_fields("gadget", "en")[""]["custom.area"]
    assert (field.min_value, field.max_value) == (Decimal("0.5"), Decimal("1000"))


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"key": "Bad Key", "type": "text"}, "key"),
        ({"key": "a__b", "type": "text"}, "key"),
        ({"key": "kind", "type": "choice"}, "reference_list"),
        ({"key": "kind", "type": "colour"}, "type"),
        ({"key": "kind", "type": "text", "options": {"min": 1}}, "options"),
        ({"key": "kind", "type": "number", "options": {"min": 5, "max": 1}}, "options"),
        ({"key": "kind", "type": "text", "options": {"max_length": 0}}, "options"),
        ({"key": "kind", "type": "money", "options": {"currencies": ["ZZZ"]}}, "options"),
    ],
)
def test_definitions_are_checked(gadget_entity, fields, error_field):
    with pytest.raises(ValidationError) as raised:
        define(**fields)

    assert error_field in raised.value.message_dict
    assert not FieldDefinition.objects.exists()


def test_a_text_field_takes_no_reference_list(gadget_entity, sizes):
    with pytest.raises(ValidationError) as raised:
        define("kind", "text", reference_list=sizes)

    assert raised.value.message_dict == {
        "reference_list": ["Only choice fields use a reference list."]
    }


def test_keys_are_unique_per_entity_and_the_entity_must_exist(fields):
    with pytest.raises(ValidationError):
        define("code", "text")
    with pytest.raises(ValidationError) as raised:
        services.create_field_definition(
            actor=None, entity="spaceship", key="code", label="Code", type="text"
        )

    assert raised.value.message_dict == {"entity": ["Unknown entity."]}


def test_only_administrators_change_definitions_and_lists(company, gadget_entity, sizes):
    manager = company["n_manager1"]

    with pytest.raises(PermissionDenied):
        services.create_field_definition(
            actor=manager, entity="gadget", key="code", label="Code", type="text"
        )
    with pytest.raises(PermissionDenied):
        services.add_reference_item(actor=manager, reference_list=sizes, key="xl", label="XL")

    assert not FieldDefinition.objects.exists()
    assert not sizes.items.filter(key="xl").exists()
    definition = services.create_field_definition(
        actor=company["admin"], entity="gadget", key="code", label="Code", type="text"
    )
    assert history_for(definition).get().actor == company["admin"]


# --- Filtering and sorting on the database --------------------------------------------------


@pytest.fixture
def gadgets(fields, django_user_model):
    anna = django_user_model.objects.create(username="zed", first_name="Anna")
    boris = django_user_model.objects.create(username="amy", first_name="Boris")
    rows = {
        "a": {
            "code": "Alpha",
            "employees": 9,
            "revenue": {"amount": "900.00", "currency": "EUR"},
            "founded": "2021-12-01",
            "is_partner": True,
            "size": "large",
            "tags": ["small", "large"],
            "owner": boris.pk,
        },
        "b": {
            "code": "beta",
            "employees": 10,
            "revenue": {"amount": "1000", "currency": "JPY"},
            "founded": "2021-02-10",
            "is_partner": False,
            "size": "small",
            "tags": ["medium"],
            "owner": anna.pk,
        },
        "c": {
            "code": "Gamma",
            "employees": 100.5,
            "revenue": {"amount": "80.50", "currency": "EUR"},
            "founded": "2019-07-30",
            "size": "huge",
        },
        "d": {},
    }
    return {name: Gadget.objects.create(name=name, custom=custom) for name, custom in rows.items()}


def names(condition=None, order=None):
    rows = Gadget.objects.all()
    if condition is not None:
        rows = rows.filter(condition)
    rows = rows.order_by(*([order] if order is not None else []), "name")
    return [gadget.name for gadget in rows]


def where(key, lookup, value):
    return customfields.custom_filter_q("gadget", key, lookup, value)


@pytest.mark.parametrize(
    ("key", "lookup", "value", "expected"),
    [
        ("code", "equals", "beta", ["b"]),
        ("code", "contains", "AM", ["c"]),
        ("code", "contains", "a", ["a", "b", "c"]),
        ("code", "isnull", True, ["d"]),
        ("code", "isnull", False, ["a", "b", "c"]),
        ("employees", "equals", "10", ["b"]),
        ("employees", "equals", 100.5, ["c"]),
        ("employees", "range", {"min": 9.5}, ["b", "c"]),
        ("employees", "range", (None, "10"), ["a", "b"]),
        ("employees", "range", ("9", "100"), ["a", "b"]),
        ("revenue", "range", {"min": "100", "max": "1000"}, ["a", "b"]),
        ("revenue", "range", {"min": "100", "currency": "eur"}, ["a"]),
        ("founded", "equals", "2021-02-10", ["b"]),
        ("founded", "range", {"min": "2020-01-01", "max": "2021-06-30"}, ["b"]),
        ("founded", "range", {"max": datetime.date(2021, 2, 10)}, ["b", "c"]),
        ("is_partner", "equals", True, ["a"]),
        ("is_partner", "equals", "no", ["b"]),
        ("size", "equals", "large", ["a"]),
        ("size", "in", ["small", "huge"], ["b", "c"]),
        ("size", "in", [], []),
        ("tags", "equals", "large", ["a"]),
        ("tags", "in", ["medium", "large"], ["a", "b"]),
        ("tags", "isnull", True, ["c", "d"]),
    ],
)
def test_filters(gadgets, key, lookup, value, expected):
    assert names(where(key, lookup, value)) == expected


def test_filter_by_user(gadgets):
    boris = gadgets["a"].custom["owner"]

    assert names(where("owner", "equals", boris)) == ["a"]
    assert names(where("owner", "in", [str(boris), gadgets["b"].custom["owner"]])) == ["a", "b"]


def test_filters_combine_with_other_conditions(gadgets):
    condition = where("size", "in", ["small", "large"]) & ~where("is_partner", "equals", True)

    assert names(condition) == ["b"]


def test_unsupported_filters_and_unknown_fields_are_refused(fields):
    with pytest.raises(ValidationError, match="cannot be filtered"):
        where("employees", "contains", "1")
    with pytest.raises(ValidationError, match="There is no custom field"):
        where("colour", "equals", "red")
    with pytest.raises(ValidationError, match="Enter a number"):
        where("employees", "equals", "ten")


@pytest.mark.parametrize(
    ("key", "descending", "expected"),
    [
        ("employees", False, ["a", "b", "c", "d"]),
        ("employees", True, ["c", "b", "a", "d"]),
        ("revenue", False, ["c", "a", "b", "d"]),
        ("founded", False, ["c", "b", "a", "d"]),
        ("founded", True, ["a", "b", "c", "d"]),
        ("code", False, ["a", "b", "c", "d"]),
        ("size", False, ["b", "a", "c", "d"]),
        ("owner", False, ["b", "a", "c", "d"]),
    ],
)
def test_sorting_is_numeric_chronological_and_puts_empty_values_last(
    gadgets, key, descending, expected
):
    assert names(order=customfields.custom_order_by("gadget", key, descending)) == expected


def test_multiple_choice_cannot_be_sorted(fields):
    with pytest.raises(ValidationError, match="cannot be sorted"):
        customfields.custom_order_by("gadget", "tags")


def test_filters_reach_custom_fields_across_relations(gadgets):
    from tests.accessapp.models import GadgetPhone

    phone = GadgetPhone(gadget=gadgets["b"])
    phone.set_phone("+7 495 123-45-67")
    phone.save()

    condition = customfields.custom_filter_q(
        "gadget", "employees", "equals", 10, field="gadget__custom"
    )
    assert list(GadgetPhone.objects.filter(condition)) == [phone]


# --- Display, forms, API descriptions --------------------------------------------------------


def test_display_in_the_readers_language(gadgets):
    custom = gadgets["a"].custom

    assert customfields.custom_display("gadget", custom, "en") == [
        ("Main", "Code", "Alpha"),
        ("", "Employees", "9"),
        ("", "Revenue", "€900.00"),
        ("", "Founded", "Dec 1, 2021"),
        ("Main", "Is partner", "Yes"),
        ("", "Size", "Large"),
        ("", "Tags", "Small, Large"),
        ("", "Owner", "Boris"),
    ]
    russian = dict(
        (label, shown)
        for _section, label, shown in customfields.custom_display("gadget", custom, "ru")
    )
    assert russian["Размер"] == "Большой"
    assert russian["Is partner"] == "Да"
    assert russian["Revenue"] == f"900,00{NBSP}€"


def test_display_keeps_retired_choices_and_skips_empty_values(gadgets):
    shown = customfields.custom_display("gadget", gadgets["c"].custom, "en")

    assert ("", "Size", "Huge") in shown
    assert ("", "Employees", "100.5") in shown
    assert customfields.custom_display("gadget", {}, "en") == []


def test_form_fields_grouped_by_section_in_order(fields):
    sections = customfields.custom_form_fields("gadget", "ru")

    assert list(sections) == ["Main", ""]
    assert list(sections["Main"]) == ["custom.code", "custom.is_partner"]
    main, other = sections["Main"], sections[""]
    assert isinstance(main["custom.code"], forms.CharField)
    assert main["custom.code"].max_length == 5
    assert isinstance(other["custom.notes"].widget, forms.Textarea)
    assert isinstance(other["custom.employees"], forms.DecimalField)
    assert other["custom.size"].label == "Размер"
    assert [key for key, _label in other["custom.size"].choices] == ["", "small", "medium", "large"]
    assert dict(other["custom.size"].choices)["small"] == "Малый"
    assert isinstance(other["custom.tags"], forms.MultipleChoiceField)
    assert isinstance(other["custom.owner"], forms.ModelChoiceField)


def gadget_form(data=None, initial=None):
    form = forms.Form(data=data, initial=initial)
    for section in customfields.custom_form_fields("gadget", "en").values():
        form.fields.update(section)
    return form


def test_a_form_round_trip_through_the_one_validator(fields, django_user_model):
    owner = django_user_model.objects.create(username="owner")
    form = gadget_form(
        data={
            "custom.code": "X1",
            "custom.employees": "12.5",
            "custom.revenue_0": "10.5",
            "custom.revenue_1": "JPY",
            "custom.founded": "2024-05-06",
            "custom.is_partner": "true",
            "custom.size": "small",
            "custom.tags": ["small", "large"],
            "custom.owner": str(owner.pk),
        }
    )
    assert form.is_valid(), form.errors

    with pytest.raises(ValidationError) as raised:
        validate(customfields.custom_values_from_form(form.cleaned_data))
    form.add_error(None, raised.value)

    assert form.errors == {
        "custom.revenue": ["Use at most 0 decimal places for JPY."],
    }


def test_form_values_are_stored_as_json_and_shown_again(fields, django_user_model):
    owner = django_user_model.objects.create(username="owner")
    form = gadget_form(
        data={
            "custom.employees": "12.5",
            "custom.revenue_0": "10.5",
            "custom.revenue_1": "EUR",
            "custom.founded": "2024-05-06",
            "custom.is_partner": "false",
            "custom.tags": ["large"],
            "custom.owner": str(owner.pk),
        }
    )
    assert form.is_valid(), form.errors
    gadget = Gadget(name="G")

    gadget.set_custom_values(customfields.custom_values_from_form(form.cleaned_data))
    gadget.save()
    gadget.refresh_from_db()
    initial = customfields.custom_initial("gadget", gadget.custom)

    assert gadget.custom == {
        "employees": 12.5,
        "revenue": {"amount": "10.50", "currency": "EUR"},
        "founded": "2024-05-06",
        "is_partner": False,
        "tags": ["large"],
        "owner": owner.pk,
    }
    assert initial["custom.employees"] == Decimal("12.5")
    assert initial["custom.founded"] == datetime.date(2024, 5, 6)
    rendered = str(gadget_form(initial=initial))
    assert 'value="2024-05-06"' in rendered
    assert 'value="10.50"' in rendered


def test_api_descriptions_are_json_ready(fields):
    described = customfields.describe_custom_fields("gadget", "ru")

    assert json.loads(json.dumps(described)) == described
    size = next(field for field in described if field["key"] == "size")
    assert size["label"] == "Размер"
    assert size["reference_list"] == "size"
    assert size["choices"][0] == {"key": "small", "label": "Малый"}
    assert [choice["key"] for choice in size["choices"]] == ["small", "medium", "large"]
    assert size["lookups"] == ["equals", "in", "isnull"]


def test_api_shows_only_active_fields(fields):
    services.update_field_definition(actor=None, definition=fields["notes"], is_active=False)

    assert customfields.active_custom_values(
        "gadget", {"code": "A", "notes": "hidden", "stale": 1}
    ) == {"code": "A"}


# --- Reference lists --------------------------------------------------------------------------


def test_reference_lists_in_the_users_language(sizes):
    assert customfields.active_items("size", "ru") == [
        ("small", "Малый"),
        ("medium", "Средний"),
        ("large", "Большой"),
    ]
    assert customfields.active_items("size", "pl")[0] == ("small", "Small")
    assert customfields.label_for("size", "huge", "ru") == "Huge"
    assert customfields.label_for("size", "gone", "ru") == "gone"
    assert sizes.name_in("ru") == "Размер"


def test_retiring_an_item_keeps_it_for_display_only(sizes):
    small = sizes.items.get(key="small")

    services.update_reference_item(actor=None, item=small, is_active=False)

    assert "small" not in dict(customfields.active_items("size"))
    assert customfields.labels_for("size")["small"] == "Small"


def test_system_lists_and_lists_in_use_are_not_deleted(fields, sizes):
    system = services.create_reference_list(
        actor=None, key="industry", name="Industry", is_system=True
    )

    with pytest.raises(ValidationError, match="system list"):
        services.delete_reference_list(actor=None, reference_list=system)
    with pytest.raises(ValidationError, match="delete those fields first"):
        services.delete_reference_list(actor=None, reference_list=sizes)
    assert ReferenceList.objects.filter(pk__in=[system.pk, sizes.pk]).count() == 2


def test_an_unused_list_is_deleted_with_its_items(db):
    colours = services.create_reference_list(actor=None, key="colour", name="Colour")
    services.add_reference_item(actor=None, reference_list=colours, key="red", label="Red")

    services.delete_reference_list(actor=None, reference_list=colours)

    assert not ReferenceItem.objects.filter(reference_list__key="colour").exists()


# --- Deleting a definition --------------------------------------------------------------------


def test_deleting_a_definition_removes_its_key_from_stored_json(fields, company):
    for number in range(7):
        Gadget.objects.create(name=f"g{number}", custom={"code": f"C{number}", "employees": number})
    Gadget.objects.create(name="without", custom={"employees": 1})

    rewritten = services.delete_field_definition(
        actor=company["admin"], definition=fields["code"], batch_size=3
    )

    assert rewritten == 7
    assert not FieldDefinition.objects.filter(key="code").exists()
    assert all("code" not in gadget.custom for gadget in Gadget.objects.all())
    assert sorted(gadget.custom["employees"] for gadget in Gadget.objects.all()) == [
        0,
        1,
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert errors_of({"code": "C1"}, partial=True) == {"custom.code": ["There is no such field."]}


def test_deleting_is_for_administrators_only(fields, company):
    gadget = Gadget.objects.create(name="g", custom={"code": "C"})

    with pytest.raises(PermissionDenied):
        services.delete_field_definition(actor=company["n_head"], definition=fields["code"])

    assert FieldDefinition.objects.filter(key="code").exists()
    gadget.refresh_from_db()
    assert gadget.custom == {"code": "C"}
