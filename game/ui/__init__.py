"""The pygame-ce front end: the window, its scenes and widgets (the map lives in ``map.py``)."""

import os

# pygame greets on import; a game window has no use for that line on the terminal
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
