"""``python -m briefing_app``: the ``briefing`` command."""

from briefing_app.launch import main

if __name__ == "__main__":
    main()
