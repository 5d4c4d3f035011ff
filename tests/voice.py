"""The one check of an input error's wording, shared by the score and tryptase tests."""

import mastolib as ml


def assert_voice(exc, fragment, allowed):
    """Issue 17, one voice: an InputError names the label and unit, the value and the allowed
    range; ``.field`` carries the id (``fragment`` is ``"id=value"``), the message never does."""
    name, sep, value = fragment.partition("=")
    if isinstance(exc, ml.InputError) and sep and name.isidentifier():
        assert exc.field == name, exc.field
        assert f" = {value}" in str(exc) and f"{name}=" not in str(exc), str(exc)
    else:
        assert fragment in str(exc), str(exc)
    assert allowed in str(exc), str(exc)
