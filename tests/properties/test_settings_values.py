"""Every setting, given values of every type: validate() accepts it or raises a
SettingsError naming the key."""

from hypothesis import given
from hypothesis import strategies as st

from papershelf.errors import SettingsError
from papershelf.settings import SETTINGS, validate

from ..strategies import phrase
from .budget import examples, ran

KEYS = [setting.key for setting in SETTINGS]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=30),
    phrase(4),
    st.binary(max_size=8),
    st.sampled_from(
        ["", " ", "-1", "0", "https://", "http://127.0.0.1:0/", "../..", "{ids}", "%s"]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4),
    ),
    max_leaves=8,
)


@examples(400)
@given(st.sampled_from(KEYS), values)
def test_a_setting_of_any_value_is_accepted_or_named(key, value):
    ran("settings values")
    try:
        checked = validate({key: value})
    except SettingsError as error:
        assert key in str(error), str(error)
        return
    assert set(checked) == set(KEYS)
