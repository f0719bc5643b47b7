"""Phones are understood however they are typed and found by any form or by their ending."""

import phonenumbers
import pytest
from django.db import connection, transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from klientela.core.phones import format_phone, normalize_phone, phone_search_keys
from tests.accessapp.models import Gadget, GadgetPhone

REGIONS = ["RU", "PL", "SI", "US", "DE"]


@pytest.fixture(autouse=True, scope="module")
def russian_installation():
    with override_settings(PHONE_REGION="RU"):
        yield


@st.composite
def valid_numbers(draw):
    """A valid number of one of our regions: an example number with its ending replaced."""
    region = draw(st.sampled_from(REGIONS))
    kind = draw(st.sampled_from([PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE]))
    example = phonenumbers.example_number_for_type(region, kind)
    national = phonenumbers.national_significant_number(example)
    ending = draw(st.text("0123456789", min_size=4, max_size=4))
    number = phonenumbers.parse(f"+{example.country_code}{national[:-4]}{ending}")
    if not phonenumbers.is_valid_number(number):
        number = example
    return region, number


def written_forms(draw, region, number):
    """The ways people write this number, each with the region it must be read in."""
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    national = phonenumbers.national_significant_number(number)
    code = number.country_code
    forms = [
        (e164, None),
        (phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL), None),
        (phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL), region),
        (national, region),
        (f"00 {code} {national}", None),
        (f"00{code}{national}", region),
    ]
    trunk = phonenumbers.ndd_prefix_for_region(region, True)
    if trunk:
        forms.append((f"{trunk}{national}", region))
    cuts = sorted(draw(st.sets(st.integers(1, len(national) - 1), max_size=4)))
    groups = [national[start:end] for start, end in zip([0, *cuts], [*cuts, None], strict=True)]
    separator = draw(st.sampled_from([" ", "-", ".", " - "]))
    if len(groups) > 1 and draw(st.booleans()):
        groups[0] = f"({groups[0]})"
    forms.append((f"+{code} {separator.join(groups)}", None))
    forms.append((separator.join(groups), region))
    return forms


@given(data=st.data(), generated=valid_numbers())
@settings(max_examples=300, deadline=None)
def test_every_written_form_normalizes_to_the_same_number(data, generated):
    region, number = generated
    expected = phonenumbers.format_number(number, PhoneNumberFormat.E164)

    for written, read_in in written_forms(data.draw, region, number):
        info = normalize_phone(written, read_in)
        assert (written, info.e164) == (written, expected)
        assert info.is_valid
        assert info.region == phonenumbers.region_code_for_number(number)


@given(st.text())
@settings(max_examples=500, deadline=None)
def test_any_text_is_kept_and_never_raises(text):
    info = normalize_phone(text)

    assert info.raw == text.strip()
    assert info.is_valid == (info.e164 is not None)
    assert info.national_digits.isdigit() or info.national_digits == ""


@pytest.mark.parametrize(
    "typed",
    [
        "+7 (495) 123-45-67",
        "8 495 123 45 67",
        "84951234567",
        "4951234567",
        "74951234567",
        "+7.495.123.45.67",
        "8 (495) 123-45-67",
    ],
)
def test_russian_forms_with_the_default_region(typed):
    assert normalize_phone(typed).e164 == "+74951234567"


@pytest.mark.parametrize(
    ("typed", "number", "extension"),
    [
        ("+7 495 123-45-67 ext. 12", "+74951234567", "12"),
        ("+7 495 123-45-67 доб. 12", "+74951234567", "12"),
        ("8 (495) 123-45-67 (доб. 305)", "+74951234567", "305"),
        ("+48 22 123 45 67 wew. 12", "+48221234567", "12"),
        ("+386 1 234 56 78 int. 7", "+38612345678", "7"),
        ("+1 201-555-0123 x45", "+12015550123", "45"),
    ],
)
def test_extensions_are_split_off(typed, number, extension):
    info = normalize_phone(typed)

    assert (info.e164, info.extension) == (number, extension)


def test_international_prefix_00_works_from_a_region_that_dials_810():
    info = normalize_phone("00 48 22 123 45 67", "RU")

    assert (info.e164, info.region, info.national_digits) == ("+48221234567", "PL", "221234567")


@pytest.mark.parametrize("typed", ["call me", "123-45-67", "+7 495", "12", "☎☎☎", ""])
def test_invalid_input_is_kept_as_typed(typed):
    info = normalize_phone(f"  {typed} ")

    assert info.raw == typed
    assert info.e164 is None
    assert not info.is_valid
    assert info.national_digits == "".join(char for char in typed if char.isdigit())


def test_format_for_display():
    assert format_phone("+74951234567") == "+7 495 123-45-67"
    assert format_phone("+74951234567", "national") == "8 (495) 123-45-67"
    assert format_phone("+48221234567", "national") == "+48 22 123 45 67"
    assert format_phone("+48221234567", "national", region="PL") == "22 123 45 67"
    assert format_phone("+74951234567", extension="12") == "+7 495 123-45-67 ext. 12"
    assert format_phone(None) == ""
    assert format_phone("not a number") == "not a number"


def test_search_keys_for_full_and_partial_input():
    full = phone_search_keys("8 (495) 123-45-67")
    partial = phone_search_keys("123-45-67")
    short = phone_search_keys("45-67")

    assert (full.e164, full.national_digits, full.tail) == (
        "+74951234567",
        "4951234567",
        "4951234567",
    )
    assert (partial.e164, partial.tail) == (None, "1234567")
    assert (short.tail, short.national_digits) == (None, "4567")
    assert phone_search_keys("no digits").is_empty


def stored(raw, gadget=None, region=None):
    phone = GadgetPhone(gadget=gadget or Gadget.objects.create(name="G"))
    phone.set_phone(raw, region)
    phone.save()
    return phone


def found(query, region=None):
    return set(GadgetPhone.objects.filter(GadgetPhone.matching_phone(query, region)))


@pytest.mark.django_db
def test_a_stored_number_is_found_whatever_way_it_is_typed():
    moscow = stored("+7 (495) 123-45-67")
    stored("+7 (495) 123-45-68")
    stored("+48 22 765 43 21")

    for query in ["84951234567", "4951234567", "+7 495 1234567", "123-45-67", "1234567"]:
        assert found(query) == {moscow}, query


@pytest.mark.django_db
def test_partial_input_matches_the_ending_only():
    moscow = stored("+7 (495) 123-45-67")
    warsaw = stored("+48 22 123 45 67")

    assert found("123 45 67") == {moscow, warsaw}
    assert found("4567") == set()
    assert found("495 123") == set()


@pytest.mark.django_db
def test_invalid_stored_numbers_are_found_by_their_digits():
    internal = stored("ext. line 305")
    typo = stored("8 (495) 123-45-6")

    assert internal.is_valid is False
    assert found("305") == {internal}
    assert found("84951234 56") == {typo}
    assert found("495 123 456") == {typo}


@pytest.mark.django_db
def test_tail_key_at_the_edge_of_the_range():
    nines = stored("+7 999 999-99-99")
    stored("+7 999 999-99-98")

    assert found("999-99-99") == {nines}


@pytest.mark.django_db
def test_the_owner_is_found_through_its_phones():
    first, second = Gadget.objects.create(name="first"), Gadget.objects.create(name="second")
    stored("+7 (495) 123-45-67", first)
    stored("+7 (812) 765-43-21", second)

    condition = GadgetPhone.matching_phone("8-812-765-4321", prefix="phones__")
    assert list(Gadget.objects.filter(condition).distinct()) == [second]


@pytest.mark.django_db
def test_display_prefers_the_formatted_number():
    assert stored("84951234567 доб. 5").display == "+7 495 123-45-67 ext. 5"
    assert stored("call the office").display == "call the office"


@pytest.mark.django_db
def test_the_ending_match_can_use_the_index():
    phones = GadgetPhone.objects.filter(GadgetPhone.matching_phone("123-45-67"))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A test table is tiny; make the planner show whether it could use the index.
                cursor.execute("SET LOCAL enable_seqscan = off")
        plan = phones.explain()

    assert "digits_reversed" in plan
    assert "Seq Scan" not in plan and "SCAN accessapp_gadgetphone" not in plan


@pytest.mark.django_db(transaction=False)
@given(data=st.data(), generated=valid_numbers())
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_stored_number_is_found_by_every_form_and_its_last_seven_digits(data, generated):
    region, number = generated
    national = phonenumbers.national_significant_number(number)
    with transaction.atomic():
        phone = stored(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL))

        for written, read_in in written_forms(data.draw, region, number):
            assert phone in found(written, read_in), written
        assert phone in found(national[-7:])
        transaction.set_rollback(True)
