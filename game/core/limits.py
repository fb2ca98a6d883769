"""The caps on every resource a scenario file or a command-line flag can ask for.

Each is far beyond what a real scenario or a real run needs, and low enough that a mistyped or
hostile value cannot make the game run for days, fill the memory or crash deep inside. The
loader refuses a file past a cap with its line and column; a command refuses a flag past one
with one line and exit code 2. docs/reliability.md lists them in one table.
"""

from __future__ import annotations

from game.core.numeric import LIMIT

MAX_TURN_LIMIT = 1_000  # turns in a game (a year of turns of nine hours)
MAX_HOURS_PER_TURN = 8_784.0  # a leap year
MIN_ESTIMATE_STEP = 1e-6  # narrower bands would make a band's index overflow on large values
MAX_KM = 100_000.0  # one leg of a route: two and a half times round the Earth
MAX_TEXT = 20_000  # characters in one text of a scenario (a title, a brief, an epilogue)
MAX_ID = 64  # characters in an id
MAX_CHECK_GAMES = 1_000_000  # games in one balance check of a file: a share to within 0.1%
MAX_FILE_CHECK_GAMES = 10_000_000  # games of all the balance checks of a file together
MAX_SEED = 2**128 - 1  # seeds are whole numbers 0..MAX_SEED (a fresh seed has 128 bits)
MAX_FILE_SEED = int(LIMIT)  # a seed written in a scenario file is a number like any other
MAX_GAMES = 100_000_000  # games in one `crisis balance` run
MAX_LINT_GAMES = 100_000  # random games `crisis lint` plays (one at a time)
MAX_SOLVE_BUDGET = 2_000_000  # states an exact solve may explore: about a minute of one core and 3 GB
MAX_SOLVE_PLAYOUTS = 100_000  # playouts per outcome when `crisis solve` estimates
MAX_EQUILIBRIUM_NODES = 30_000_000  # nodes of a game tree `crisis solve --equilibrium` builds: about 6 GB
MAX_EQUILIBRIUM_ITERATIONS = 100_000  # CFR+ iterations of `crisis solve --equilibrium`
MAX_SWEEP_STEPS = 200  # values one `--sweep` tries
MAX_WINDOW = (7_680, 4_320)  # window size in pixels (8K)
MIN_SCALE, MAX_SCALE = 0.5, 3.0  # the window's UI scale
MAX_PATH = 4_096  # characters in a path given on the command line
MAX_SAVE_BYTES = 20_000_000  # a save file
