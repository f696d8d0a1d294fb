"""Messages of the errors a user meets."""

from briefing_app.errors import unknown_message


def test_unknown_names_suggest_the_closest_known_ones():
    message = unknown_message("region", "zhejang", ["zhejiang", "jiangsu", "anhui"])
    assert message == "no region 'zhejang'; did you mean 'zhejiang'?"


def test_no_suggestion_when_nothing_is_close():
    assert unknown_message("sector", "xyz", ["automotive", "ict"]) == "no sector 'xyz'"
