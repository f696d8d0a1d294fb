"""Messages of the errors a user meets."""

from briefing_app.errors import unknown_message


def test_unknown_names_suggest_the_closest_known_ones():
    message = unknown_message("region", "zhejang", ["zhejiang", "jiangsu", "anhui"])
    assert message == "no region 'zhejang'; did you mean 'zhejiang'?"


def test_no_suggestion_when_nothing_is_close():
    assert unknown_message("sector", "xyz", ["automotive", "ict"]) == "no sector 'xyz'"


def test_suggestions_among_many_names_compare_those_alike_at_the_start():
    known = [f"cluster-{n:06d}" for n in range(20_000)] + ["zhejiang-silk"]
    assert "did you mean 'zhejiang-silk'" in unknown_message("cluster", "zhejiang-silc", known)
    assert "did you mean 'cluster-0" in unknown_message("cluster", "cluster-00123x", known)
    assert unknown_message("cluster", "nothing-alike", known) == "no cluster 'nothing-alike'"
