"""The screens of the game, one module each, on the app's scene stack."""
