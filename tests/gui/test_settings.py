"""Settings are declared once, typed, and survive a round trip through the INI file."""

from briefing_app.gui import settings as keys
from briefing_app.gui.settings import RECENT_LIMIT, AppSettings


def test_defaults_types_and_round_trip(qapp, tmp_path):
    ini = tmp_path / "settings.ini"
    settings = AppSettings.at(ini)
    assert settings.page_size == "A4"
    assert settings.recent_briefings() == []
    assert settings.database_path is None

    settings.set(keys.PAGE_SIZE, "Letter")
    settings.set(keys.AUTHOR, "Zhang Wei 张伟")
    settings.set(keys.DATABASE_PATH, str(tmp_path / "kb.sqlite"))
    settings.remember_briefing("prd-visit")
    settings.sync()

    again = AppSettings.at(ini)
    assert again.page_size == "Letter"
    assert again.author == "Zhang Wei 张伟"
    assert again.database_path == tmp_path / "kb.sqlite"
    # One remembered item must come back as a list, not a bare string.
    assert again.recent_briefings() == ["prd-visit"]


def test_recent_briefings_are_newest_first_unique_and_bounded(qapp, tmp_path):
    settings = AppSettings.at(tmp_path / "s.ini")
    for number in range(RECENT_LIMIT + 3):
        settings.remember_briefing(f"b{number}")
    settings.remember_briefing("b5")
    recent = settings.recent_briefings()
    assert recent[0] == "b5" and len(recent) == RECENT_LIMIT and len(set(recent)) == RECENT_LIMIT
    settings.forget_briefing("b5")
    assert "b5" not in settings.recent_briefings()


def test_a_hand_edited_bad_value_falls_back_to_the_default(qapp, tmp_path):
    ini = tmp_path / "s.ini"
    ini.write_text("[export]\npage_size=A0\n", encoding="utf-8")
    assert AppSettings.at(ini).page_size == "A4"
