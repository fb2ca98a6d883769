"""Online play: an authoritative game server, its protocol, its journal and a client.

The server (:mod:`game.server.server`) holds every match, draws from each match's own
generator, checks every move through the core and sends each seat only what the information
model says that seat may know (:mod:`game.server.views`). Games and moves are journaled in
SQLite as they happen (:mod:`game.server.journal`), so a server that is killed restarts with
every game where it was. The protocol (:mod:`game.server.protocol`) is small, versioned and
validated; docs/online.md describes it. The client (:mod:`game.server.client`) is what the
terminal and the window use to join a game.
"""
