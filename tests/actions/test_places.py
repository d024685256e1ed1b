import pytest

from actions.places import load_gazetteer


@pytest.fixture(scope="module")
def gazetteer(root):
    return load_gazetteer(root / "data/referrals/places.yml")


@pytest.mark.parametrize(
    ("text", "name", "province", "region"),
    [
        ("Vancouver", "Vancouver", "BC", "lower_mainland"),
        ("in kelowna", "Kelowna", "BC", "okanagan"),
        ("DTES", "Downtown Eastside", "BC", "vancouver"),
        ("Victoria, BC", "Victoria", "BC", "greater_victoria"),
        ("langford", "Victoria", "BC", "greater_victoria"),
        ("Calgary", "Calgary", "AB", None),
        ("Whitehorse", "Whitehorse", "YT", "yukon"),
        ("outside BC", "outside BC", "CA", None),
        ("bc", "British Columbia", "BC", "bc"),
        ("White Rock", "White Rock", "BC", "lower_mainland"),
        ("west van", "West Vancouver", "BC", "lower_mainland"),
        ("the lower mainland", "Lower Mainland", "BC", "lower_mainland"),
    ],
)
def test_places_resolve_to_province_and_region(gazetteer, text, name, province, region):
    location = gazetteer.resolve(text)
    assert (location.name, location.province) == (name, province)
    if region:
        assert region in location.regions


@pytest.mark.parametrize("text", [None, "", "Atlantis", "my house"])
def test_unknown_places_resolve_to_none(gazetteer, text):
    assert gazetteer.resolve(text) is None


def lookup_names(root) -> set:
    import yaml

    lookup = yaml.safe_load((root / "data/nlu/location_lookup.yml").read_text(encoding="utf-8"))
    return {
        line.strip()[2:].lower()
        for block in lookup["nlu"]
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    }


def test_every_place_the_assistant_picks_out_is_one_it_knows(root, gazetteer):
    """A place found in a message but unknown to places.yml would get no local services."""
    unknown = sorted(name for name in lookup_names(root) if gazetteer.resolve(name) is None)
    assert not unknown, f"add these to data/referrals/places.yml: {unknown}"


def test_every_place_is_in_the_nlu_lookup_table(root):
    import yaml

    names = lookup_names(root)
    places = yaml.safe_load((root / "data/referrals/places.yml").read_text(encoding="utf-8"))
    missing = [
        place["name"]
        for province in places["provinces"].values()
        for place in province.get("places", [])
        if place["name"].lower() not in names and not place.get("ambiguous")
    ]
    assert not missing, f"add these to data/nlu/location_lookup.yml: {missing}"
